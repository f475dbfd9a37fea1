from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ankomst import limits

from .models import MAX_NATIONAL_NUMBER, Education
from .services import TABLES

DATE = forms.DateInput(attrs={"type": "date"})
VERSION = {"widget": forms.HiddenInput, "min_value": 1, "max_value": 2**31 - 1}
NUMBER = {"min_value": 1, "max_value": MAX_NATIONAL_NUMBER}


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    table = forms.ChoiceField(label=_("Figures"), choices=list(TABLES.items()))
    national_number = forms.IntegerField(
        label=_("National number"),
        help_text=_("Refugees expected to be granted a residence permit this year (persons)."),
        **NUMBER,
    )
    reunified_nationally = forms.IntegerField(
        label=_("Family members reunified nationally last year"),
        required=False,
        min_value=0,
        max_value=MAX_NATIONAL_NUMBER,
        help_text=_("Leave empty to take the table's figure."),
    )
    announced_on = forms.DateField(
        label=_("Announced on"), widget=DATE, validators=[limits.validate_record_date]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["year"].initial = today.year + 1
        self.fields["announced_on"].initial = today


class ExchangeForm(forms.Form):
    version = forms.IntegerField(**VERSION)
    giver = forms.ChoiceField(label=_("From"))
    receiver = forms.ChoiceField(label=_("To"))
    persons = forms.IntegerField(label=_("Persons"), **NUMBER)
    reason = forms.CharField(
        label=_("Agreement"),
        max_length=300,
        help_text=_("What the municipalities agreed, and when."),
    )

    def __init__(self, *args, municipalities=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "—")] + [(m.code, f"{m.name} ({m.region})") for m in municipalities]
        self.fields["giver"].choices = choices
        self.fields["receiver"].choices = choices


class ReviseForm(forms.Form):
    version = forms.IntegerField(**VERSION)
    national_number = forms.IntegerField(label=_("New national number"), **NUMBER)


class RunForm(forms.Form):
    time_limit = forms.IntegerField(
        label=_("Time limit (seconds)"), min_value=5, max_value=600, initial=60
    )


class FactsForm(forms.Form):
    version = forms.IntegerField(required=False, **VERSION)
    education = forms.ChoiceField(label=_("Highest schooling of the adults"), choices=[])
    treatment = forms.BooleanField(
        label=_("Needs a treatment facility"),
        required=False,
        help_text=_("Yes or no only: the diagnosis stays with the health services."),
    )
    family_tie = forms.ChoiceField(label=_("Close family in"), required=False, choices=[])
    family_tie_note = forms.CharField(
        label=_("Who of the family lives there"), required=False, max_length=300
    )

    def __init__(self, *args, municipalities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["education"].choices = Education.choices
        self.fields["family_tie"].choices = [("", "—")] + [
            (m.code, f"{m.name} ({m.region})") for m in municipalities
        ]


class OverrideForm(forms.Form):
    version = forms.IntegerField(**VERSION)
    code = forms.ChoiceField(label=_("Municipality"), required=False, choices=[])
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        help_text=_("Stated in the decision letter and kept in the audit log."),
    )

    def __init__(self, *args, municipalities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].choices = [("", _("None this week"))] + [
            (m.code, f"{m.name} ({m.region})") for m in municipalities
        ]


class ConfirmForm(forms.Form):
    version = forms.IntegerField(**VERSION)
