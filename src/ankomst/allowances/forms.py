from django import forms
from django.utils.translation import gettext_lazy as _

from ankomst.accounts.models import Organisation
from ankomst.limits import (
    MAX_POCKET_MONEY,
    validate_amount,
    validate_past_date,
    validate_record_date,
)

from .models import Scheme


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class PrepareForm(forms.Form):
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(), label=_("Operator"))
    scheme = forms.ChoiceField(choices=Scheme.choices, label=_("Scheme"))
    period_start = forms.DateField(
        label=_("Period from"), widget=DateInput(), validators=[validate_record_date]
    )
    period_end = forms.DateField(
        label=_("Period until"),
        widget=DateInput(),
        validators=[validate_record_date],
        help_text=_(
            "14 days in Denmark; in Sweden a calendar month (or half of one). Only an "
            "operator's first run may be shorter."
        ),
    )
    cutoff = forms.DateField(
        label=_("Cut-off date"),
        widget=DateInput(),
        validators=[validate_record_date],
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


def _non_negative_amount(value):
    validate_amount(value, allow_negative=False)


def _pocket_money_amount(value):
    validate_amount(value, maximum=MAX_POCKET_MONEY)


class AmountField(forms.DecimalField):
    """An amount in kroner and øre; its range comes from ankomst.limits (validators)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("decimal_places", 2)
        super().__init__(**kwargs)

    def to_python(self, value):
        # A comma as the decimal sign, as Danes and Swedes write it ("1826,86").
        if isinstance(value, str):
            value = value.strip().replace(" ", "").replace("\u00a0", "")
            if value.count(",") == 1 and "." not in value:
                value = value.replace(",", ".")
        return super().to_python(value)


class RunActionForm(forms.Form):
    """The run's version as the page showed it, carried by the approve, lock and export buttons."""

    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class CorrectionForm(forms.Form):
    amount = AmountField(
        label=_("Correct amount"),
        validators=[_non_negative_amount],
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        help_text=_("Shown with the correction line on the statement and in the export."),
    )


class LedgerEntryForm(forms.Form):
    on = forms.DateField(label=_("Date"), widget=DateInput(), validators=[validate_past_date])
    amount = AmountField(
        label=_("Amount"),
        validators=[_pocket_money_amount],
        help_text=_("Negative for money spent or handed back."),
    )
    reason = forms.CharField(label=_("Reason"), max_length=300)


class MoneyNoteForm(forms.Form):
    on = forms.DateField(label=_("Date"), widget=DateInput(), validators=[validate_past_date])
    text = forms.CharField(
        label=_("Note on money management"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("E.g. budgeting practised, saving towards a goal, what to work on next."),
    )
