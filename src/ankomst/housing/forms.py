from django import forms
from django.utils.translation import gettext_lazy as _

from ankomst import limits

from .models import Area, AreaRuleKind, HousingNeed, HousingUnit
from .services import MAX_TIME_LIMIT, UNIT_FIELDS

DATE = forms.DateInput(attrs={"type": "date"})
VERSION = {"widget": forms.HiddenInput, "min_value": 1, "max_value": 2**31 - 1}


class VersionForm(forms.Form):
    version = forms.IntegerField(**VERSION)


class _OwnIds:
    """Several forms share a page: each its own element ids (the field names stay plain)."""

    ids = "id_%s"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", self.ids)
        super().__init__(*args, **kwargs)


class UnitForm(forms.ModelForm):
    """The form and every row of an import: one validation for both."""

    class Meta:
        model = HousingUnit
        fields = list(UNIT_FIELDS)
        widgets = {"available_from": DATE}

    def __init__(self, *args, organisation=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = Area.objects.filter(organisation=organisation)
        self.instance.organisation = organisation
        for name in ("school_km", "daycare_km", "transport_km", "shops_km", "treatment_km"):
            self.fields[name].widget.attrs.update(min="0", max="500", step="0.1")
        self.fields["rent"].widget.attrs.update(min="0", step="0.01")
        self.fields["latitude"].widget.attrs.update(min="-90", max="90", step="0.00001")
        self.fields["longitude"].widget.attrs.update(min="-180", max="180", step="0.00001")

    def clean_rent(self):
        rent = self.cleaned_data.get("rent")
        if rent is not None:
            limits.validate_amount(rent, allow_negative=False)
        return rent

    def clean_available_from(self):
        day = self.cleaned_data.get("available_from")
        limits.validate_record_date(day)
        return day

    def clean_latitude(self):
        value = self.cleaned_data.get("latitude")
        if value is not None and not -90 <= value <= 90:
            raise forms.ValidationError(_("A latitude lies between -90 and 90."))
        return value

    def clean_longitude(self):
        value = self.cleaned_data.get("longitude")
        if value is not None and not -180 <= value <= 180:
            raise forms.ValidationError(_("A longitude lies between -180 and 180."))
        return value


class UnitEditForm(UnitForm):
    version = forms.IntegerField(**VERSION)


class AreaForm(forms.ModelForm):
    version = forms.IntegerField(**VERSION)
    countrymen_text = forms.CharField(
        label=_("Countrymen (households by nationality)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "One nationality per line: its two-letter country code and the number, e.g. SY 12."
        ),
    )

    class Meta:
        model = Area
        fields = ["name", "population", "ceiling"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["countrymen_text"] = "\n".join(
                f"{k} {v}" for k, v in sorted((self.instance.countrymen or {}).items())
            )
        self.initial.setdefault("version", self.instance.version)

    def clean_countrymen_text(self):
        out: dict[str, int] = {}
        for n, line in enumerate(self.cleaned_data.get("countrymen_text", "").splitlines(), 1):
            parts = line.replace(":", " ").split()
            if not parts:
                continue
            code = parts[0].upper()
            if (
                len(parts) != 2
                or not (2 <= len(code) <= 3 and code.isalpha() and code.isascii())
                or not parts[1].isdigit()
                or int(parts[1]) > 1_000_000
            ):
                raise forms.ValidationError(
                    _("Line %(n)s: give a country code and a whole number, e.g. SY 12.") % {"n": n}
                )
            out[code] = int(parts[1])
        return out


class AreaCreateForm(AreaForm):
    """A new area: its code (used in imports and in the engine's input) and kind as well."""

    version = None

    class Meta(AreaForm.Meta):
        fields = ["code", "name", "kind", "population", "ceiling"]

    def __init__(self, *args, organisation=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.organisation = organisation
        self.fields["code"].help_text = _("Lower-case letters, digits and hyphens, e.g. vestbyen.")


class NeedForm(forms.ModelForm):
    version = forms.IntegerField(**VERSION)

    class Meta:
        model = HousingNeed
        fields = [
            "rent_budget",
            "needs_ground_floor",
            "needs_treatment",
            "vulnerable",
            "move_in_from",
            "move_in_by",
        ]
        widgets = {"move_in_from": DATE, "move_in_by": DATE}

    def __init__(self, *args, sensitive: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rent_budget"].widget.attrs.update(min="0", step="1")
        if not sensitive:
            # health-related needs are Art. 9 data: only for those who may read them
            del self.fields["needs_ground_floor"], self.fields["needs_treatment"]
        self.initial.setdefault("version", self.instance.version)


class AreaRuleForm(forms.Form):
    area = forms.ModelChoiceField(queryset=Area.objects.none(), label=_("Area"))
    kind = forms.ChoiceField(label=_("Rule"), choices=AreaRuleKind.choices)
    reason = forms.CharField(label=_("Reason"), max_length=300)

    def __init__(self, *args, organisation=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = Area.objects.filter(organisation=organisation)


class RunForm(forms.Form):
    time_limit = forms.IntegerField(
        label=_("Time limit (seconds)"),
        min_value=5,
        max_value=MAX_TIME_LIMIT,
        initial=60,
        help_text=_("The engine stops at the limit with the best placement found and its gap."),
    )


class DecisionForm(forms.Form):
    version = forms.IntegerField(**VERSION)
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)


class OverrideForm(_OwnIds, DecisionForm):
    ids = "override-%s"
    unit = forms.ModelChoiceField(queryset=HousingUnit.objects.none(), label=_("Unit instead"))

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = HousingUnit.objects.filter(pk__in=[u.pk for u in units])
        self.fields["unit"].label_from_instance = lambda u: f"{u.area} · {u.reference}, {u.address}"
        self.fields["reason"].required = True


class OfferForm(_OwnIds, forms.Form):
    ids = "offer-%s"
    reply_by = forms.DateField(
        label=_("Reply by"), widget=DATE, validators=[limits.validate_record_date]
    )


class ReplyForm(_OwnIds, forms.Form):
    ids = "reply-%s"
    version = forms.IntegerField(**VERSION)
    replied_on = forms.DateField(
        label=_("Replied on"), widget=DATE, required=False, validators=[limits.validate_past_date]
    )
    decline_reason = forms.CharField(
        label=_("Reason for declining"), max_length=300, required=False
    )


class WithdrawForm(_OwnIds, forms.Form):
    ids = "withdraw-%s"
    version = forms.IntegerField(**VERSION)
    reason = forms.CharField(label=_("Reason"), max_length=300)


class MoveInForm(_OwnIds, forms.Form):
    ids = "move-in-%s"
    version = forms.IntegerField(**VERSION)
    moved_in_on = forms.DateField(
        label=_("Moved in on"), widget=DATE, validators=[limits.validate_past_date]
    )
