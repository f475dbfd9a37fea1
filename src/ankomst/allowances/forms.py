from django import forms
from django.utils.translation import gettext_lazy as _

from ankomst.accounts.models import Organisation

from .models import Scheme


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class PrepareForm(forms.Form):
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(), label=_("Operator"))
    scheme = forms.ChoiceField(choices=Scheme.choices, label=_("Scheme"))
    period_start = forms.DateField(label=_("Period from"), widget=DateInput())
    period_end = forms.DateField(label=_("Period until"), widget=DateInput())
    cutoff = forms.DateField(
        label=_("Cut-off date"),
        widget=DateInput(),
        help_text=_(
            "The status of every resident on this day decides the whole "
            "period; later changes are not corrected backwards."
        ),
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        if organisations.count() == 1:
            self.fields["organisation"].initial = organisations.first()


class CorrectionForm(forms.Form):
    amount = forms.DecimalField(label=_("Correct amount"), max_digits=12, decimal_places=2)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        help_text=_("Shown with the correction line on the statement and in the export."),
    )


class LedgerEntryForm(forms.Form):
    on = forms.DateField(label=_("Date"), widget=DateInput())
    amount = forms.DecimalField(
        label=_("Amount"),
        max_digits=10,
        decimal_places=2,
        help_text=_("Negative for money spent or handed back."),
    )
    reason = forms.CharField(label=_("Reason"), max_length=300)


class MoneyNoteForm(forms.Form):
    on = forms.DateField(label=_("Date"), widget=DateInput())
    text = forms.CharField(
        label=_("Note on money management"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("E.g. budgeting practised, saving towards a goal, what to work on next."),
    )
