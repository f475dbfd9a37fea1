import codecs
import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from ankomst import limits
from ankomst.accounts.models import Organisation, OrganisationKind

from .models import CheckOutReason, Phase


class DateForm(forms.Form):
    date = forms.DateField(
        label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class OverrideForm(forms.Form):
    override_reason = forms.CharField(
        label=_("Reason for overriding the rules"),
        required=False,
        max_length=300,
        help_text=_(
            "Only needed when the chosen beds break an allocation rule. It is written to the audit log."
        ),
    )


class CheckOutForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=CheckOutReason.choices)
    at = forms.DateTimeField(
        label=_("When"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=_("Leave empty for now."),
        validators=[limits.validate_past_moment],
    )


class PhaseForm(forms.Form):
    phase = forms.ChoiceField(label=_("Phase"), choices=Phase.choices)
    start = forms.DateField(
        label=_("From"),
        initial=dt.date.today,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[limits.validate_record_date],
    )
    municipality = forms.ModelChoiceField(
        label=_("Receiving municipality"),
        required=False,
        queryset=Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY),
        help_text=_("Leave empty while the agency has not yet assigned the municipality."),
    )
    handover_date = forms.DateField(
        label=_("Handover date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[limits.validate_record_date],
        help_text=_(
            "Leave empty for the rule's date: the end of the first full month after the "
            "decision, moved to the next working day."
        ),
    )
    cooperating_on_departure = forms.BooleanField(
        label=_("Cooperates on departure"), required=False, initial=True
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=300)


def decode_csv(raw: bytes) -> str:
    """The text of an uploaded CSV file: UTF-8 (with or without BOM) or UTF-16 (also without BOM).

    Spreadsheet programs save "Unicode text" as UTF-16, often without a byte-order mark; read
    as UTF-8 it has a NUL byte after every letter and no column would be found. A UTF-16 file
    is recognised by its BOM or by NUL bytes in every other position of its first line.
    """
    head = raw[:2000]
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    elif head[1::2].count(0) > len(head) // 4 and head[0::2].count(0) < len(head) // 8:
        encoding = "utf-16-le"
    elif head[0::2].count(0) > len(head) // 4 and head[1::2].count(0) < len(head) // 8:
        encoding = "utf-16-be"
    else:
        encoding = "utf-8-sig"
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError:
        raise forms.ValidationError(
            _(
                "The file must be UTF-8 text (in a spreadsheet: save as “CSV UTF-8”); "
                "UTF-16 is read too."
            )
        ) from None
    if "\x00" in text:
        raise forms.ValidationError(
            _(
                "The file contains NUL characters; it may not be a CSV text file. Save it as "
                "“CSV UTF-8” and upload it again."
            )
        )
    return text


class CsvForm(forms.Form):
    file = forms.FileField(label=_("CSV file"), required=False)
    text = forms.CharField(
        label=_("…or paste the rows"), required=False, widget=forms.Textarea(attrs={"rows": 8})
    )

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload:
            if upload.size > 5_000_000:
                raise forms.ValidationError(_("The file is larger than 5 MB."))
            data["content"] = decode_csv(upload.read())
        elif data.get("text", "").strip():
            data["content"] = data["text"]
        else:
            raise forms.ValidationError(_("Choose a file or paste the rows."))
        return data


class CloseBedsForm(forms.Form):
    start = forms.DateField(
        label=_("From"),
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[limits.validate_record_date],
    )
    end = forms.DateField(
        label=_("Until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[limits.validate_record_date],
    )
    reason = forms.CharField(label=_("Reason"), max_length=200)
