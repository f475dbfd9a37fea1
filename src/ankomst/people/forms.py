from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from ankomst.accounts.models import Organisation
from ankomst.limits import MAX_SEARCH_LENGTH

from .models import Household, IdentifierKind, Language, LanguageLevel, Person, PersonAlias
from .validators import cpr_birth_date


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class PersonForm(forms.ModelForm):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label=_("Organisation")
    )
    aliases = forms.CharField(
        label=_("Other names and spellings"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line, e.g. earlier spellings or names used by others."),
    )

    class Meta:
        model = Person
        fields = [
            "organisation",
            "name_document",
            "name_latin",
            "date_of_birth",
            "date_of_birth_estimated",
            "sex",
            "nationality",
            "phone",
            "needs_accessible_housing",
            "household",
            "relation",
        ]
        widgets = {"date_of_birth": DateInput()}

    def __init__(self, *args, organisations, households, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        if self.instance.pk:
            self.fields["organisation"].disabled = True
            self.fields["organisation"].initial = self.instance.organisation_id
            self.fields["aliases"].initial = "\n".join(a.name for a in self.instance.aliases.all())
        elif organisations.count() == 1:
            self.fields["organisation"].initial = organisations.first()
        self.fields["household"].queryset = households
        self.fields["name_document"].widget.attrs["dir"] = "auto"

    def clean(self):
        data = super().clean()
        if data.get("household") and not data.get("relation"):
            self.add_error("relation", _("Say how the person is related in the household."))
        if data.get("relation") and not data.get("household"):
            self.add_error("household", _("Choose the household the relation refers to."))
        organisation = self.instance.organisation if self.instance.pk else data.get("organisation")
        household = data.get("household")
        if household and organisation and household.organisation_id != organisation.pk:
            self.add_error("household", _("The household belongs to another organisation."))
        return data

    def clean_aliases(self) -> str:
        max_length = PersonAlias._meta.get_field("name").max_length
        for line in self.cleaned_data.get("aliases", "").splitlines():
            if len(line.strip()) > max_length:
                raise forms.ValidationError(
                    _("Each name may have at most %(n)s characters (one per line).")
                    % {"n": max_length}
                )
        return self.cleaned_data.get("aliases", "")

    def alias_list(self) -> list[str]:
        return [
            line.strip()
            for line in self.cleaned_data.get("aliases", "").splitlines()
            if line.strip()
        ]


class IdentifierForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", "---------"), *IdentifierKind.choices], required=False
    )
    value = forms.CharField(label=_("Number"), max_length=40, required=False)

    def clean(self):
        data = super().clean()
        kind, value = data.get("kind"), (data.get("value") or "").strip()
        if kind and not value:
            self.add_error("value", _("Write the number."))
        if value and not kind:
            self.add_error("kind", _("Choose the kind of number."))
        if kind == IdentifierKind.CPR and value:
            try:
                cpr_birth_date(value)
            except forms.ValidationError as exc:
                self.add_error("value", exc)
        return data


class LanguageForm(forms.Form):
    language = forms.ModelChoiceField(
        queryset=Language.objects.all(), label=_("Language"), required=False
    )
    level = forms.ChoiceField(
        label=_("Level"), choices=[("", "---------"), *LanguageLevel.choices], required=False
    )

    def clean(self):
        data = super().clean()
        if data.get("language") and not data.get("level"):
            self.add_error("level", _("Choose the level."))
        if data.get("level") and not data.get("language"):
            self.add_error("language", _("Choose the language."))
        return data


IdentifierFormSet = formset_factory(IdentifierForm, extra=2, max_num=4)
LanguageFormSet = formset_factory(LanguageForm, extra=2, max_num=8)


class HouseholdForm(forms.ModelForm):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label=_("Organisation")
    )

    class Meta:
        model = Household
        fields = ["organisation", "reference", "notes"]

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["reference"].required = False
        self.fields["reference"].help_text = _("Leave empty to number it automatically.")
        if self.instance.pk:
            self.fields["organisation"].disabled = True
            self.fields["organisation"].initial = self.instance.organisation_id
            self.fields["reference"].required = True
        elif organisations.count() == 1:
            self.fields["organisation"].initial = organisations.first()

    def validate_unique(self):
        # Uniqueness of the reference is checked by the service against the chosen organisation.
        pass


class SensitiveForm(forms.Form):
    purpose = forms.CharField(label=_("Purpose of this change"), max_length=300)
    health_notes = forms.CharField(
        label=_("Health"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    religion = forms.CharField(label=_("Religion"), max_length=100, required=False)
    ethnicity = forms.CharField(label=_("Ethnicity"), max_length=100, required=False)


class PurposeForm(forms.Form):
    purpose = forms.CharField(
        label=_("Why do you need to see this?"),
        max_length=300,
        help_text=_("Your reason is written to the audit log together with your name."),
    )


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name, case number or CPR number"), required=False, max_length=MAX_SEARCH_LENGTH
    )
