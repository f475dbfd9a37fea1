from django import forms
from django.contrib.auth.password_validation import password_validators_help_text_html
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models import Organisation, Unit
from .roles import Role


class _MembershipFields(forms.Form):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        label=_("Organisation"),
        error_messages={
            "invalid_choice": _("Choose one of the organisations whose users you manage.")
        },
    )
    role = forms.ChoiceField(label=pgettext_lazy("user account", "Role"), choices=Role.choices)
    unit = forms.ModelChoiceField(
        queryset=Unit.objects.none(),
        label=pgettext_lazy("user account", "Unit (optional)"),
        required=False,
        help_text=_("A centre or department of the chosen organisation."),
        error_messages={"invalid_choice": _("Choose one of the units of your organisation.")},
    )

    def __init__(self, *args, organisations, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["unit"].queryset = units
        if organisations.count() == 1:
            self.fields["organisation"].initial = organisations.first()
            self.fields["organisation"].widget = forms.HiddenInput()

    def full_clean(self):
        super().full_clean()
        # A hidden field's error would not show beside it: show it above the form.
        if self.fields["organisation"].widget.is_hidden and "organisation" in self._errors:
            errors = self._errors.pop("organisation")
            self._errors.setdefault(NON_FIELD_ERRORS, self.error_class(error_class="nonfield"))
            self._errors[NON_FIELD_ERRORS].extend(errors)

    def clean(self):
        data = super().clean()
        organisation, unit = data.get("organisation"), data.get("unit")
        if organisation and unit and unit.organisation_id != organisation.pk:
            self.add_error("unit", _("The unit must be one of the organisation's own units."))
        return data


class UserCreateForm(_MembershipFields):
    username = forms.RegexField(
        label=_("Username"),
        max_length=150,
        regex=r"^[\w.@+-]+\Z",
        error_messages={
            "invalid": _("Letters, digits and @ . + - _ only, without spaces."),
        },
    )
    first_name = forms.CharField(
        label=pgettext_lazy("user account", "First name"), max_length=150, required=False
    )
    last_name = forms.CharField(
        label=pgettext_lazy("user account", "Last name"), max_length=150, required=False
    )
    email = forms.EmailField(label=pgettext_lazy("user account", "Email"), required=False)
    field_order = ["username", "first_name", "last_name", "email", "organisation", "role", "unit"]


class MembershipAddForm(_MembershipFields):
    pass


class MembershipChangeForm(forms.Form):
    role = forms.ChoiceField(label=pgettext_lazy("user account", "Role"), choices=Role.choices)
    unit = forms.ModelChoiceField(
        queryset=Unit.objects.none(),
        label=pgettext_lazy("user account", "Unit (optional)"),
        required=False,
    )

    def __init__(self, *args, membership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(
            organisation_id=membership.organisation_id
        )


class PasswordSetForm(forms.Form):
    password1 = forms.CharField(
        label=pgettext_lazy("user account", "New password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        strip=False,
        help_text=password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("New password again"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        strip=False,
    )

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        return data
