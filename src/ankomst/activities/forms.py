from django import forms
from django.utils.translation import gettext_lazy as _

from ankomst import limits
from ankomst.accounts.models import Organisation
from ankomst.people.forms import DateInput

from .models import Activity, AttendanceStatus, ContractStatus, ResidenceContract, Session


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class ActivityForm(forms.ModelForm):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label=_("Organisation")
    )

    class Meta:
        model = Activity
        fields = ["organisation", "kind", "name", "description", "place", "teacher", "active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, organisations, teachers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["teacher"].queryset = teachers
        self.fields["teacher"].label_from_instance = lambda u: u.get_full_name() or u.get_username()
        if self.instance.pk:
            self.fields["organisation"].disabled = True
            self.fields["organisation"].initial = self.instance.organisation_id
        elif organisations.count() == 1:
            self.fields["organisation"].initial = organisations.first()

    def validate_unique(self):
        # The service checks the name against the chosen organisation and reports a clash.
        pass


class SessionForm(forms.ModelForm):
    class Meta:
        model = Session
        fields = ["date", "starts_at", "ends_at", "place", "teacher", "cancelled"]
        widgets = {"date": DateInput(), "starts_at": TimeInput(), "ends_at": TimeInput()}

    def __init__(self, *args, teachers, creating: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["teacher"].queryset = teachers
        self.fields["teacher"].label_from_instance = lambda u: u.get_full_name() or u.get_username()
        self.fields["place"].required = False
        if creating:
            del self.fields["cancelled"]
            self.fields["teacher"].required = False
            self.fields["teacher"].help_text = _("Leave empty for the activity's usual teacher.")
            self.fields["place"].help_text = _("Leave empty for the activity's usual place.")

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The session must end after it starts."))
        return data


class MarkForm(forms.Form):
    person = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=limits.MAX_ID)
    status = forms.ChoiceField(choices=AttendanceStatus.choices)
    reason = forms.CharField(max_length=200, required=False)


def _contract_field(name: str, **kwargs):
    return ResidenceContract._meta.get_field(name).formfield(**kwargs)


class ContractForm(forms.Form):
    """The contract's fields; the service checks what each status requires, with one message per field."""

    status = forms.ChoiceField(
        label=_("Status"), choices=ContractStatus.choices, widget=forms.RadioSelect
    )
    signed_on = _contract_field("signed_on", widget=DateInput())
    hours_per_week = _contract_field("hours_per_week")
    covers = _contract_field(
        "covers",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "E.g. Danish teaching 3 × 3 hours, cleaning of the common kitchen, asylum course."
        ),
    )
    sanctions = _contract_field("sanctions", widget=forms.Textarea(attrs={"rows": 3}))
    not_required_reason = _contract_field(
        "not_required_reason", help_text=_("Only when the status is “Not required”.")
    )

    def __init__(self, *args, instance: ResidenceContract | None = None, **kwargs):
        if instance is not None:
            kwargs.setdefault(
                "initial", {name: getattr(instance, name) for name in self.base_fields}
            )
        super().__init__(*args, **kwargs)


class PersonQueryForm(forms.Form):
    q = forms.CharField(
        label=_("Find a resident to enrol"),
        max_length=200,
        required=False,
        help_text=_("Name in any spelling or case number."),
    )
