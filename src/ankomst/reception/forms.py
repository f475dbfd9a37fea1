from django import forms
from django.utils.translation import gettext_lazy as _

from ankomst import limits
from ankomst.accounts.models import UnitKind

from .models import ChecklistItem, ChildOffer, FollowUpKind, HomeKind, PlanStatusKind, Programme
from .selectors import DEPARTMENTS

DATE = forms.DateInput(attrs={"type": "date"})
DEPARTMENT_CHOICES = [(k, UnitKind(k).label) for k in DEPARTMENTS]


class ArrivalForm(forms.Form):
    household = forms.ModelChoiceField(queryset=None, label=_("Household"))
    decision_date = forms.DateField(
        label=_("Assignment decision"), widget=DATE, validators=[limits.validate_record_date]
    )
    handover_date = forms.DateField(
        label=_("Handover date"),
        widget=DATE,
        required=False,
        validators=[limits.validate_record_date],
        help_text=_(
            "Leave empty for the rule's date: the end of the first full month after the "
            "decision, moved to the next working day."
        ),
    )

    def __init__(self, *args, households=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["household"].queryset = households


class HandoverForm(forms.Form):
    handover_date = forms.DateField(
        label=_("Handover date"), widget=DATE, validators=[limits.validate_record_date]
    )
    agreed_by = forms.CharField(
        label=_("Agreed with (name and centre)"),
        max_length=200,
        required=False,
        help_text=_("Required when the household is handed over before the rule's date."),
    )


class HomeForm(forms.Form):
    first_home = forms.ChoiceField(
        label=_("First home"), choices=[c for c in HomeKind.choices if c[0]]
    )
    permanent_from = forms.DateField(
        label=_("In a permanent home from"),
        widget=DATE,
        required=False,
        validators=[limits.validate_record_date],
    )


class TaskDoneForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)
    done_on = forms.DateField(
        label=_("Done on"), widget=DATE, required=False, validators=[limits.validate_past_date]
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class TaskVersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)


class HandOffForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)
    to_department = forms.ChoiceField(label=_("Hand off to"), choices=DEPARTMENT_CHOICES)
    note = forms.CharField(
        label=_("What they need to know"), max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )


class ChecklistItemForm(forms.ModelForm):
    class Meta:
        model = ChecklistItem
        fields = ["title", "department", "months_from_handover", "days_from_handover", "active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = DEPARTMENT_CHOICES
        self.fields["months_from_handover"].max_value = 12
        self.fields["months_from_handover"].widget.attrs["max"] = 12
        self.fields["days_from_handover"].widget.attrs.update(min=-120, max=365)

    def clean_months_from_handover(self):
        value = self.cleaned_data["months_from_handover"]
        if value > 12:
            raise forms.ValidationError(_("At most 12 months."))
        return value

    def clean_days_from_handover(self):
        value = self.cleaned_data["days_from_handover"]
        if not -120 <= value <= 365:
            raise forms.ValidationError(_("Between 120 days before and 365 days after."))
        return value


class PlanForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)
    programme = forms.ChoiceField(label=_("Programme"), choices=Programme.choices)
    contract_signed_on = forms.DateField(
        label=_("Integration contract signed"),
        widget=DATE,
        required=False,
        validators=[limits.validate_past_date],
    )
    language_module = forms.IntegerField(
        label=_("Danish language school module"), min_value=1, max_value=6, required=False
    )
    education = forms.CharField(
        label=_("Education"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    work_experience = forms.CharField(
        label=_("Work experience"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    interests = forms.CharField(
        label=_("Interests and competences"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class PlanStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=PlanStatusKind.choices)
    start = forms.DateField(label=_("From"), widget=DATE, validators=[limits.validate_past_date])
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class ChildStartForm(forms.Form):
    offer = forms.ChoiceField(label=_("Offer"), choices=ChildOffer.choices)
    place = forms.CharField(label=_("Institution"), max_length=200, required=False)
    started_on = forms.DateField(
        label=_("Started on"), widget=DATE, required=False, validators=[limits.validate_past_date]
    )


class FollowUpForm(forms.Form):
    kind = forms.ChoiceField(label=_("Follow-up"), choices=FollowUpKind.choices)
    on = forms.DateField(label=_("Date"), widget=DATE, validators=[limits.validate_record_date])
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
