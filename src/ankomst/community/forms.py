from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ankomst import limits
from ankomst.people.models import Language, LanguageLevel

from .models import (
    AgeBand,
    EndReason,
    EventKind,
    HouseholdWish,
    Interest,
    MatchKind,
    OfferKind,
    OfferSex,
    SexWish,
    VolunteerHousehold,
)

DATE = forms.DateInput(attrs={"type": "date"})
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
SEX = [("F", _("Female")), ("M", _("Male")), ("X", _("Other"))]
LEVEL_FIELDS = (
    ("speaks_fluent", LanguageLevel.FLUENT, _("Speaks fluently or natively")),
    ("speaks_good", LanguageLevel.GOOD, _("Speaks well")),
    ("speaks_basic", LanguageLevel.BASIC, _("Speaks some")),
)


def _date(label, **kwargs) -> forms.DateField:
    return forms.DateField(
        label=label, widget=DATE, validators=[limits.validate_record_date], **kwargs
    )


def language_choices() -> list[tuple[str, str]]:
    return sorted(
        ((lang.code, lang.display_name) for lang in Language.objects.all()), key=lambda c: c[1]
    )


class VolunteerForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False)
    sex = forms.ChoiceField(label=_("Sex"), choices=SEX)
    birth_year = forms.IntegerField(label=_("Year of birth"), min_value=1900, max_value=2100)
    place = forms.CharField(label=_("Lives in (town or district)"), max_length=100)
    speaks_fluent = forms.MultipleChoiceField(
        label=_("Speaks fluently or natively"), required=False
    )
    speaks_good = forms.MultipleChoiceField(label=_("Speaks well"), required=False)
    speaks_basic = forms.MultipleChoiceField(label=_("Speaks some"), required=False)
    interests = forms.MultipleChoiceField(
        label=_("Interests"),
        choices=Interest.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    skills = forms.CharField(label=_("Skills"), max_length=300, required=False)
    availability = forms.CharField(
        label=_("Availability"),
        max_length=200,
        required=False,
        help_text=_("E.g. “weekday mornings”."),
    )
    contact_person = forms.BooleanField(label=_("Can be a contact person"), required=False)
    network_family = forms.BooleanField(label=_("Can be a network family"), required=False)
    household = forms.ChoiceField(label=_("Own household"), choices=VolunteerHousehold.choices)
    prefers = forms.ChoiceField(
        label=_("Would rather meet"), choices=HouseholdWish.choices, required=False
    )
    max_matches = forms.IntegerField(
        label=_("Households at most"), min_value=1, max_value=5, initial=1
    )
    earlier_arrival = forms.BooleanField(
        label=_("Lives in a centre or came as a refugee (a resource person for new arrivals)"),
        required=False,
    )
    certificate_date = _date(_("Child-protection certificate issued"), required=False)
    joined_on = _date(_("Joined"), initial=timezone.localdate)
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)
    login = forms.ModelChoiceField(
        label=_("Login"),
        queryset=None,
        required=False,
        help_text=_("A user with the volunteer role; the administrator creates the login."),
    )

    def __init__(self, *args, logins=None, previous_languages=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.previous_languages = previous_languages or {}
        choices = language_choices()
        for name, _level, _label in LEVEL_FIELDS:
            self.fields[name].choices = choices
            self.fields[name].widget.attrs["size"] = 6
        self.fields["login"].queryset = logins

    def clean(self):
        data = super().clean()
        seen = {}
        for name, level, _label in LEVEL_FIELDS:
            for code in data.get(name) or []:
                if code in seen:
                    self.add_error(name, _("A language can have one level only."))
                keep_native = (
                    level == LanguageLevel.FLUENT and self.previous_languages.get(code) == "native"
                )
                seen.setdefault(code, "native" if keep_native else level.value)
        data["languages"] = seen
        for name, _level, _label in LEVEL_FIELDS:
            data.pop(name, None)
        return data

    @staticmethod
    def initial_for(volunteer) -> dict:
        initial = {
            f: getattr(volunteer, f)
            for f in (
                "name",
                "email",
                "phone",
                "sex",
                "birth_year",
                "place",
                "interests",
                "skills",
                "availability",
                "contact_person",
                "network_family",
                "household",
                "prefers",
                "max_matches",
                "earlier_arrival",
                "certificate_date",
                "joined_on",
                "active",
            )
        }
        initial["login"] = volunteer.user
        for name, level, _label in LEVEL_FIELDS:
            levels = {level.value} | ({"native"} if level == LanguageLevel.FLUENT else set())
            initial[name] = [c for c, lv in (volunteer.languages or {}).items() if lv in levels]
        return initial


class HouseholdChoiceField(forms.ModelChoiceField):
    """A household by its reference, its first member's name and its size."""

    def label_from_instance(self, obj):
        members = list(obj.members.all())
        first = members[0].name_latin if members else ""
        return f"{obj.reference} — {first} ({len(members)})"


class PersonChoiceField(forms.ModelChoiceField):
    """A person by name, date of birth and household, so that namesakes can be told apart."""

    def label_from_instance(self, obj):
        born = obj.date_of_birth.strftime("%d.%m.%Y") if obj.date_of_birth else "?"
        household = f", {obj.household.reference}" if obj.household_id else ""
        return f"{obj.name_latin} ({born}{household})"


class ReferralForm(forms.Form):
    household = HouseholdChoiceField(label=_("Household"), queryset=None)
    volunteer_organisation = forms.ModelChoiceField(
        label=_("Volunteer organisation"), queryset=None
    )
    kind = forms.ChoiceField(label=_("Asks for"), choices=MatchKind.choices)
    contact_name = forms.CharField(
        label=_("Name to use"), max_length=100, help_text=_("How the volunteer may address them.")
    )
    place = forms.CharField(label=_("Lives in (town or district)"), max_length=100)
    interests = forms.MultipleChoiceField(
        label=_("Interests"),
        choices=Interest.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    wishes = forms.CharField(
        label=_("Wishes"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    volunteer_sex = forms.ChoiceField(
        label=_("Volunteer wished"), choices=SexWish.choices, required=False
    )
    consent_on = _date(_("Consent given on"), initial=timezone.localdate)
    consent = forms.BooleanField(
        label=_(
            "The household agreed to be referred, and knows that the volunteers see its name "
            "to use, the number of adults, the children's ages, its languages, interests, "
            "place and wishes, and nothing else."
        )
    )

    def __init__(self, *args, households=None, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["household"].queryset = households
        self.fields["volunteer_organisation"].queryset = organisations


class MatchConfirmForm(forms.Form):
    referral = forms.IntegerField(min_value=1, max_value=2**62)
    volunteer = forms.IntegerField(min_value=1, max_value=2**62)


class MatchEndForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=EndReason.choices)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
    ended_on = _date(_("Ended on"), initial=timezone.localdate)


class MeetingForm(forms.Form):
    date = _date(_("Date"), initial=timezone.localdate)
    hours = forms.DecimalField(
        label=_("Hours"), min_value=0.5, max_value=24, decimal_places=1, initial=2
    )
    note = forms.CharField(label=_("What you did"), max_length=300, required=False)


class AssociationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    contact = forms.CharField(label=_("Contact"), max_length=200, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False)


class OfferForm(forms.Form):
    association = forms.ModelChoiceField(label=_("Association"), queryset=None)
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=OfferKind.choices)
    age_min = forms.IntegerField(label=_("From age"), min_value=0, max_value=120, initial=0)
    age_max = forms.IntegerField(label=_("To age"), min_value=0, max_value=120, initial=120)
    sex = forms.ChoiceField(label=_("For"), choices=OfferSex.choices, required=False)
    place = forms.CharField(label=_("Place"), max_length=200)
    when = forms.CharField(label=_("When"), max_length=200, required=False)
    cost = forms.DecimalField(
        label=_("Cost per month"), min_value=0, max_value=100000, decimal_places=2, initial=0
    )
    languages = forms.CharField(label=_("Languages spoken"), max_length=200, required=False)
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, associations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["association"].queryset = associations

    def clean(self):
        data = super().clean()
        if (
            data.get("age_min") is not None
            and data.get("age_max") is not None
            and data["age_max"] < data["age_min"]
        ):
            self.add_error("age_max", _("The upper age is below the lower one."))
        return data


class BridgeForm(forms.Form):
    person = PersonChoiceField(label=_("Person"), queryset=None)
    offer = forms.ModelChoiceField(label=_("Offer"), queryset=None)
    started_on = _date(_("Starts on"), initial=timezone.localdate)
    consent_on = _date(_("Consent given on"), initial=timezone.localdate)
    consent = forms.BooleanField(
        label=_(
            "The person agreed to be bridged, and to be asked after 1, 3 and 6 months whether they still take part."
        )
    )

    def __init__(self, *args, persons=None, offers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = persons
        self.fields["offer"].queryset = offers


class BridgeCheckForm(forms.Form):
    month = forms.TypedChoiceField(coerce=int, choices=[(1, "1"), (3, "3"), (6, "6")])
    taking_part = forms.TypedChoiceField(
        label=_("Still taking part?"),
        coerce=lambda v: v == "yes",
        choices=[("yes", _("Yes")), ("no", _("No"))],
        widget=forms.RadioSelect,
    )


class TemplateForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    children_per_volunteer = forms.IntegerField(
        label=_("Children per volunteer"), min_value=1, max_value=20, initial=4
    )
    min_volunteers = forms.IntegerField(
        label=_("Volunteers at least"), min_value=1, max_value=20, initial=2
    )
    child_age_below = forms.IntegerField(
        label=_("Children younger than"), min_value=1, max_value=18, initial=6
    )
    minutes_before = forms.IntegerField(
        label=_("Minutes before the class"), min_value=0, max_value=120, initial=15
    )
    minutes_after = forms.IntegerField(
        label=_("Minutes after the class"), min_value=0, max_value=120, initial=15
    )


class GenerateForm(forms.Form):
    template = forms.ModelChoiceField(label=_("Shift template"), queryset=None)
    start = _date(_("From"), initial=timezone.localdate)
    end = _date(_("To"))

    def __init__(self, *args, templates=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = templates


class ShiftForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    place = forms.CharField(label=_("Place"), max_length=200)
    date = _date(_("Date"))
    starts_at = forms.TimeField(label=_("Starts at"), widget=TIME)
    ends_at = forms.TimeField(label=_("Ends at"), widget=TIME)
    needed = forms.IntegerField(label=_("Volunteers needed"), min_value=1, max_value=100, initial=1)
    with_children = forms.BooleanField(
        label=_("With children (needs a child-protection certificate)"), required=False
    )

    def clean(self):
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", _("The shift must end after it starts."))
        return data


class EventForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=EventKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    date = _date(_("Date"))
    starts_at = forms.TimeField(label=_("Starts at"), widget=TIME)
    ends_at = forms.TimeField(label=_("Ends at"), widget=TIME)
    place = forms.CharField(label=_("Place"), max_length=200)
    capacity = forms.IntegerField(label=_("Places"), min_value=1, max_value=5000, initial=30)
    helpers = forms.IntegerField(
        label=_("Volunteers needed"), min_value=0, max_value=100, initial=2
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self):
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", _("The event must end after it starts."))
        return data


class ParticipantForm(forms.Form):
    name = forms.CharField(label=_("First name"), max_length=100)
    sex = forms.ChoiceField(label=_("Sex"), choices=SEX)
    age_band = forms.ChoiceField(label=_("Age"), choices=AgeBand.choices)


class AttendanceForm(forms.Form):
    attended = forms.TypedMultipleChoiceField(
        coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, participants=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attended"].choices = [(p.pk, p.name) for p in participants]


class HoursForm(forms.Form):
    start = _date(_("From"))
    end = _date(_("To"))
