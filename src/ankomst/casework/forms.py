from django import forms
from django.utils.translation import gettext_lazy as _

from ankomst import limits
from ankomst.accounts.models import Organisation
from ankomst.people.forms import DateInput

from .models import ConcernCategory, Severity


class ConcernForm(forms.Form):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label=_("Organisation")
    )
    resident = forms.CharField(
        label=_("Resident (optional)"),
        max_length=200,
        required=False,
        help_text=_("Name or case number. Leave empty when the concern is about a situation."),
    )
    category = forms.ChoiceField(
        label=_("Category"), choices=ConcernCategory.choices, widget=forms.RadioSelect
    )
    severity = forms.ChoiceField(
        label=_("Severity"), choices=Severity.choices, widget=forms.RadioSelect
    )
    description = forms.CharField(
        label=_("What happened or was observed"), widget=forms.Textarea(attrs={"rows": 5})
    )

    def __init__(self, *args, organisations, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        if editing:
            del self.fields["organisation"]
            del self.fields["resident"]
        elif organisations.count() == 1:
            self.fields["organisation"].initial = organisations.first()
            self.fields["organisation"].widget = forms.HiddenInput()


class FollowUpForm(forms.Form):
    description = forms.CharField(
        label=_("What is to be done"), widget=forms.Textarea(attrs={"rows": 2})
    )
    owner = forms.ModelChoiceField(queryset=None, label=_("Owner"))
    due_on = forms.DateField(
        label=_("Due on"), widget=DateInput(), validators=[limits.validate_record_date]
    )

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, prefix="follow_up", **kwargs)
        self.fields["owner"].queryset = owners
        self.fields["owner"].label_from_instance = lambda u: u.get_full_name() or u.get_username()


class PoliceReportForm(forms.Form):
    reported_on = forms.DateField(
        label=_("Reported to the police liaison on"),
        widget=DateInput(),
        validators=[limits.validate_past_date],
    )
    reference = forms.CharField(label=_("Police reference"), max_length=60)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="police", **kwargs)


class CloseForm(forms.Form):
    outcome = forms.CharField(
        label=_("Outcome"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required: how the concern was resolved or why it is closed."),
        error_messages={"required": _("Describe the outcome before closing the concern.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="close", **kwargs)
