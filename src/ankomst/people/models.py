import datetime as dt

from django.conf import settings
from django.core.validators import ProhibitNullCharactersValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from ankomst import limits

from .ages import ADULT_AGE
from .languages import language_name
from .names import search_text
from .validators import normalise_cpr, normalise_identifier, validate_phone


def age_on(date_of_birth: dt.date | None, on: dt.date) -> int | None:
    if date_of_birth is None:
        return None
    years = on.year - date_of_birth.year
    if (on.month, on.day) < (date_of_birth.month, date_of_birth.day):
        years -= 1
    return years


class TextDirection(models.TextChoices):
    LTR = "ltr", _("left to right")
    RTL = "rtl", _("right to left")


class Language(models.Model):
    """A content language (spoken by residents, used for information to them).

    Kept apart from the three interface languages; rows are data, so adding
    a language needs no migration.
    """

    code = models.CharField(_("code (BCP 47)"), max_length=16, unique=True)
    name = models.CharField(_("name in English"), max_length=80)
    native_name = models.CharField(_("native name"), max_length=80)
    direction = models.CharField(
        _("text direction"), max_length=3, choices=TextDirection.choices, default=TextDirection.LTR
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("language")
        verbose_name_plural = _("languages")

    def __str__(self) -> str:
        name = self.display_name
        return name if name == self.native_name else f"{name} ({self.native_name})"

    @property
    def display_name(self) -> str:
        """The name in the active interface language; the English name if CLDR has none."""
        return capfirst(language_name(self.code)) or self.name


class Household(models.Model):
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="households",
        verbose_name=_("organisation"),
    )
    reference = models.CharField(_("reference"), max_length=40)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["reference"]
        verbose_name = _("household")
        verbose_name_plural = _("households")
        constraints = [
            # Staff quote the reference on the phone; it must be unambiguous in an organisation.
            models.UniqueConstraint(
                fields=["organisation", "reference"], name="household_reference_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    def is_unaccompanied_minor(self, on: dt.date | None = None) -> bool:
        """Minors without any adult in the household (ages as of ``on``, default today)."""
        on = on or timezone.localdate()
        ages = [age_on(m.date_of_birth, on) for m in self.members.all()]
        known = [a for a in ages if a is not None]
        return bool(known) and all(a < ADULT_AGE for a in known)


class Sex(models.TextChoices):
    FEMALE = "F", _("Female")
    MALE = "M", _("Male")
    OTHER = "X", _("Other or unknown")


class Relation(models.TextChoices):
    HEAD = "head", _("Head of household")
    SPOUSE = "spouse", _("Spouse or partner")
    CHILD = "child", _("Child")
    OTHER_RELATIVE = "other_relative", _("Other relative")


class Person(models.Model):
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="persons",
        verbose_name=_("organisation"),
    )
    household = models.ForeignKey(
        Household,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("household"),
    )
    relation = models.CharField(
        _("relation in household"), max_length=20, choices=Relation.choices, blank=True
    )
    name_document = models.CharField(
        _("name as in identity document"),
        max_length=200,
        help_text=_("Exactly as written in the passport or identity document, in its script."),
        validators=[ProhibitNullCharactersValidator()],
    )
    name_latin = models.CharField(
        _("name in Latin letters"),
        max_length=200,
        help_text=_("The transliteration used in letters and lists."),
        validators=[ProhibitNullCharactersValidator()],
    )
    date_of_birth = models.DateField(
        _("date of birth"), null=True, blank=True, validators=[limits.validate_birth_date]
    )
    date_of_birth_estimated = models.BooleanField(
        _("date of birth is estimated"),
        default=False,
        help_text=_("Tick when the date is an estimate, e.g. from an age assessment."),
    )
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    nationality = CountryField(
        _("nationality"), blank=True, help_text=_("Leave empty for stateless or unknown.")
    )
    phone = models.CharField(_("phone"), max_length=24, blank=True, validators=[validate_phone])
    needs_accessible_housing = models.BooleanField(
        _("needs accessible housing"),
        default=False,
        help_text=_("Reduced mobility: rooms and homes must be step-free. No diagnosis here."),
    )
    # Search columns, derived from the names on every save (see names.py).
    search_names = models.TextField(editable=False, default="")
    search_keys = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name_latin", "id"]
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        indexes = [
            models.Index(fields=["organisation", "name_latin"], name="person_org_name"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(name_latin=""),
                name="person_name_latin_required",
            ),
        ]

    def __str__(self) -> str:
        return self.name_latin

    def save(self, *args, **kwargs):
        self.refresh_search()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = set(update_fields) | {"search_names", "search_keys"}
        super().save(*args, **kwargs)

    def refresh_search(self, aliases: list[str] | None = None) -> None:
        if aliases is None:
            aliases = [a.name for a in self.aliases.all()] if self.pk else []
        self.search_names, self.search_keys = search_text(
            self.name_latin, self.name_document, *aliases
        )

    def age(self, on: dt.date | None = None) -> int | None:
        return age_on(self.date_of_birth, on or timezone.localdate())

    @property
    def is_minor(self) -> bool:
        age = self.age()
        return age is not None and age < ADULT_AGE

    @property
    def is_unaccompanied_minor(self) -> bool:
        if not self.is_minor:
            return False
        if self.household is None:
            return True
        return self.household.is_unaccompanied_minor()


class PersonAlias(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(
        _("other name or spelling"),
        max_length=200,
        validators=[ProhibitNullCharactersValidator()],
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("alias")
        verbose_name_plural = _("aliases")
        constraints = [
            models.UniqueConstraint(fields=["person", "name"], name="alias_unique_per_person"),
        ]

    def __str__(self) -> str:
        return self.name


class LanguageLevel(models.TextChoices):
    NATIVE = "native", _("Native")
    FLUENT = "fluent", _("Fluent")
    GOOD = "good", _("Good")
    BASIC = "basic", _("Basic")


class PersonLanguage(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="languages")
    language = models.ForeignKey(Language, on_delete=models.PROTECT, verbose_name=_("language"))
    level = models.CharField(_("level"), max_length=10, choices=LanguageLevel.choices)

    class Meta:
        ordering = ["person", "language__name"]
        verbose_name = _("spoken language")
        verbose_name_plural = _("spoken languages")
        constraints = [
            models.UniqueConstraint(fields=["person", "language"], name="person_language_once"),
        ]

    def __str__(self) -> str:
        return f"{self.language} ({self.get_level_display()})"


class IdentifierKind(models.TextChoices):
    ASYLUM_CASE = "asylum_case", _("Asylum case number")
    CPR = "cpr", _("Personal identification number (CPR)")
    UNHCR = "unhcr", _("UNHCR number")
    SE_DOSSIER = "se_dossier", _("Swedish dossier number")


class PersonIdentifier(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="identifiers")
    # Copied from the person so that uniqueness can be a database constraint per organisation.
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=IdentifierKind.choices)
    value = models.CharField(
        _("number"), max_length=40, validators=[ProhibitNullCharactersValidator()]
    )
    normalised = models.CharField(max_length=40, editable=False, db_index=True)

    class Meta:
        ordering = ["kind"]
        verbose_name = _("identifier")
        verbose_name_plural = _("identifiers")
        constraints = [
            # One number names one person in an organisation: a typo must not merge two records.
            models.UniqueConstraint(
                fields=["organisation", "kind", "normalised"], name="identifier_unique_in_org"
            ),
            models.UniqueConstraint(fields=["person", "kind"], name="identifier_one_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.value}"

    def save(self, *args, **kwargs):
        if self.kind == IdentifierKind.CPR:
            self.value = normalise_cpr(self.value)
        self.normalised = normalise_identifier(self.value)
        self.organisation_id = self.person.organisation_id
        super().save(*args, **kwargs)


class SensitiveData(models.Model):
    """GDPR Art. 9 data, kept apart and readable only with its own permission."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="sensitive")
    health_notes = models.TextField(_("health"), blank=True)
    religion = models.CharField(_("religion"), max_length=100, blank=True)
    ethnicity = models.CharField(_("ethnicity"), max_length=100, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("sensitive data")
        verbose_name_plural = _("sensitive data")

    def __str__(self) -> str:
        return f"Art. 9 data of person {self.person_id}"
