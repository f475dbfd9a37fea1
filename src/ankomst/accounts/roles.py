"""Roles and the permissions they grant.

Permissions are checked in selectors and services (never only in templates).
A role is held in one organisation through a membership; a permission therefore
always comes with the set of organisations it applies to.
"""

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Administrator")
    CASEWORKER = "caseworker", _("Caseworker")
    CENTRE_STAFF = "centre_staff", _("Centre staff")
    TEACHER = "teacher", _("Teacher")
    FINANCE_OFFICER = "finance_officer", _("Finance officer")
    VOLUNTEER_COORDINATOR = "volunteer_coordinator", _("Volunteer coordinator")
    VOLUNTEER = "volunteer", _("Volunteer")
    MANAGER = "manager", _("Manager (read-only)")


class Perm(StrEnum):
    VIEW_PERSON = "view_person"
    EDIT_PERSON = "edit_person"
    # GDPR Art. 9 data (health, ethnicity, religion): a permission of its own.
    VIEW_SENSITIVE = "view_sensitive"
    EDIT_SENSITIVE = "edit_sensitive"
    EXPORT_PERSONAL = "export_personal"
    VIEW_AUDIT = "view_audit"
    MANAGE_USERS = "manage_users"
    VIEW_FIGURES = "view_figures"
    # Places and occupancy (aggregates, no personal data).
    VIEW_CAPACITY = "view_capacity"
    # Check-in, transfer, check-out, closing beds.
    MANAGE_BEDS = "manage_beds"
    # Activities: the schedule and class lists. Alone it shows a teacher only their own sessions.
    VIEW_ACTIVITIES = "view_activities"
    # Every session, enrolment and residence contract of the organisation.
    VIEW_ALL_ACTIVITIES = "view_all_activities"
    # Create activities and sessions, enrol residents, record residence contracts.
    MANAGE_ACTIVITIES = "manage_activities"
    # Mark present / absent / excused in the sessions one can see.
    TAKE_ATTENDANCE = "take_attendance"
    # Concerns (conflict, violence, radicalisation, crime, health): restricted reading.
    # Concerns about health or self-harm (Art. 9) also need VIEW_SENSITIVE.
    VIEW_CONCERNS = "view_concerns"
    MANAGE_CONCERNS = "manage_concerns"
    # Payment runs: read them; prepare them (and add corrections); approve, lock and export
    # them. Approving is kept apart from preparing (four eyes, also a database constraint).
    VIEW_PAYMENTS = "view_payments"
    PREPARE_PAYMENTS = "prepare_payments"
    APPROVE_PAYMENTS = "approve_payments"
    # A minor's pocket-money ledger and the staff's notes on money management.
    MANAGE_POCKET_MONEY = "manage_pocket_money"
    # Municipal reception: arrivals, their checklist tasks, hand-offs, integration plans and
    # children's start. The hand-over package's health needs also need VIEW_SENSITIVE.
    VIEW_RECEPTION = "view_reception"
    MANAGE_RECEPTION = "manage_reception"
    # Community: a volunteer organisation's volunteers, the households referred to it, matches,
    # shifts, events and the offers of associations; managing them is the coordinator's job.
    VIEW_COMMUNITY = "view_community"
    MANAGE_COMMUNITY = "manage_community"
    # A volunteer's own shifts, matches and events (needs a volunteer record linked to the login).
    TAKE_SHIFTS = "take_shifts"
    # Refer a household (with its consent) to a partner volunteer organisation, and bridge a
    # resident to an association's offer.
    REFER_COMMUNITY = "refer_community"
    # Housing: the municipality's stock, its waiting households, placement runs and offers;
    # managing them (runs, decisions, offers, move-ins) is the housing department's job.
    VIEW_HOUSING = "view_housing"
    MANAGE_HOUSING = "manage_housing"
    # National distribution: the year's national number and the municipal quotas (public
    # figures), read and set at a national agency.
    VIEW_QUOTAS = "view_quotas"
    MANAGE_QUOTAS = "manage_quotas"


_ALL = frozenset(Perm)

ROLE_PERMISSIONS: dict[str, frozenset[Perm]] = {
    # The administrator runs the organisation's accounts and audit, but does not
    # read health data by default: that needs a caseworker or staff role too.
    # Nor concerns: they are read by those who follow them up.
    # Nor does the administrator approve payments: that is the finance officer's second pair of eyes.
    # Nor coordinate volunteers or take their shifts: the coordinator and the volunteers do.
    Role.ADMINISTRATOR: _ALL
    - {
        Perm.VIEW_SENSITIVE,
        Perm.EDIT_SENSITIVE,
        Perm.VIEW_CONCERNS,
        Perm.MANAGE_CONCERNS,
        Perm.APPROVE_PAYMENTS,
        Perm.VIEW_COMMUNITY,
        Perm.MANAGE_COMMUNITY,
        Perm.TAKE_SHIFTS,
    },
    Role.CASEWORKER: frozenset(
        {
            Perm.VIEW_PERSON,
            Perm.EDIT_PERSON,
            Perm.VIEW_SENSITIVE,
            Perm.EDIT_SENSITIVE,
            Perm.EXPORT_PERSONAL,
            Perm.VIEW_FIGURES,
            Perm.VIEW_CAPACITY,
            Perm.MANAGE_BEDS,
            Perm.VIEW_ACTIVITIES,
            Perm.VIEW_ALL_ACTIVITIES,
            Perm.MANAGE_ACTIVITIES,
            Perm.TAKE_ATTENDANCE,
            Perm.VIEW_CONCERNS,
            Perm.MANAGE_CONCERNS,
            Perm.VIEW_PAYMENTS,
            Perm.PREPARE_PAYMENTS,
            Perm.MANAGE_POCKET_MONEY,
            Perm.VIEW_RECEPTION,
            Perm.MANAGE_RECEPTION,
            Perm.REFER_COMMUNITY,
            Perm.VIEW_HOUSING,
            Perm.MANAGE_HOUSING,
            Perm.VIEW_QUOTAS,
            Perm.MANAGE_QUOTAS,
        }
    ),
    Role.CENTRE_STAFF: frozenset(
        {
            Perm.VIEW_PERSON,
            Perm.EDIT_PERSON,
            Perm.VIEW_SENSITIVE,
            Perm.EDIT_SENSITIVE,
            Perm.VIEW_FIGURES,
            Perm.VIEW_CAPACITY,
            Perm.MANAGE_BEDS,
            Perm.VIEW_ACTIVITIES,
            Perm.VIEW_ALL_ACTIVITIES,
            Perm.MANAGE_ACTIVITIES,
            Perm.TAKE_ATTENDANCE,
            Perm.VIEW_CONCERNS,
            Perm.MANAGE_CONCERNS,
            Perm.MANAGE_POCKET_MONEY,
            Perm.REFER_COMMUNITY,
        }
    ),
    # Teachers, managers and volunteers neither search nor open person records: which
    # fields each role sees is the table in fields.py.
    Role.TEACHER: frozenset({Perm.VIEW_ACTIVITIES, Perm.TAKE_ATTENDANCE}),
    Role.FINANCE_OFFICER: frozenset(
        {
            Perm.VIEW_PERSON,
            Perm.EXPORT_PERSONAL,
            Perm.VIEW_FIGURES,
            Perm.VIEW_CAPACITY,
            Perm.VIEW_PAYMENTS,
            Perm.APPROVE_PAYMENTS,
        }
    ),
    # A municipality's own volunteer coordinator reads the few fields of its residents that
    # fields.py grants; a volunteer organisation holds no residents, and its coordinator sees
    # a household only through what it agreed to share in its referral.
    Role.VOLUNTEER_COORDINATOR: frozenset(
        {Perm.VIEW_PERSON, Perm.VIEW_FIGURES, Perm.VIEW_COMMUNITY, Perm.MANAGE_COMMUNITY}
    ),
    Role.VOLUNTEER: frozenset({Perm.TAKE_SHIFTS}),
    # A manager of a municipality reads the reception's goals as figures (VIEW_FIGURES), not
    # its arrivals, whose lists and hand-over packages name the refugees.
    Role.MANAGER: frozenset(
        {
            Perm.VIEW_FIGURES,
            Perm.VIEW_CAPACITY,
            Perm.VIEW_ACTIVITIES,
            Perm.VIEW_ALL_ACTIVITIES,
            Perm.VIEW_CONCERNS,
            Perm.VIEW_PAYMENTS,
            Perm.VIEW_QUOTAS,
        }
    ),
}


def role_grants(role: str, perm: Perm) -> bool:
    return perm in ROLE_PERMISSIONS.get(role, frozenset())


# What each permission allows, in words, for the pages that name one (the audit log).
PERM_LABELS: dict[str, str] = {
    Perm.VIEW_PERSON: _("read person records"),
    Perm.EDIT_PERSON: _("edit person records"),
    Perm.VIEW_SENSITIVE: _("read health, religion and ethnicity"),
    Perm.EDIT_SENSITIVE: _("edit health, religion and ethnicity"),
    Perm.EXPORT_PERSONAL: _("export personal data"),
    Perm.VIEW_AUDIT: _("read the audit log"),
    Perm.MANAGE_USERS: _("manage users"),
    Perm.VIEW_FIGURES: _("read figures"),
    Perm.VIEW_CAPACITY: _("read places and occupancy"),
    Perm.MANAGE_BEDS: _("manage beds and stays"),
    Perm.VIEW_ACTIVITIES: _("read own activities"),
    Perm.VIEW_ALL_ACTIVITIES: _("read all activities"),
    Perm.MANAGE_ACTIVITIES: _("manage activities"),
    Perm.TAKE_ATTENDANCE: _("take attendance"),
    Perm.VIEW_CONCERNS: _("read concerns"),
    Perm.MANAGE_CONCERNS: _("manage concerns"),
    Perm.VIEW_PAYMENTS: _("read payments"),
    Perm.PREPARE_PAYMENTS: _("prepare payments"),
    Perm.APPROVE_PAYMENTS: _("approve payments"),
    Perm.MANAGE_POCKET_MONEY: _("manage pocket money"),
    Perm.VIEW_RECEPTION: _("read the reception"),
    Perm.MANAGE_RECEPTION: _("manage the reception"),
    Perm.VIEW_COMMUNITY: _("read volunteers, matches and shifts"),
    Perm.MANAGE_COMMUNITY: _("coordinate volunteers"),
    Perm.TAKE_SHIFTS: _("take volunteer shifts"),
    Perm.VIEW_HOUSING: _("read the housing stock and waiting households"),
    Perm.MANAGE_HOUSING: _("place households in housing"),
    Perm.VIEW_QUOTAS: _("read the municipal quotas"),
    Perm.MANAGE_QUOTAS: _("set the national number and the municipal quotas"),
    Perm.REFER_COMMUNITY: _("refer households to volunteers"),
}
