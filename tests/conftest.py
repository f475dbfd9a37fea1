"""Shared fixtures: two municipalities and an operator, a user per role, and an outsider.

Like healthchecks' alice/bob/charlie: ``alice`` works in municipality A,
``bob`` in municipality B, and neither may ever see the other's residents.
"""

import datetime as dt
import itertools
from pathlib import Path

import pytest
from django.contrib.auth.hashers import make_password

from ankomst.accounts.models import Membership, Organisation, OrganisationKind, Unit, UnitKind, User
from ankomst.accounts.roles import Role
from ankomst.centres.estate import BuildingSpec, RoomSpec, build_estate
from ankomst.centres.models import Catering, Centre, CentreType, RoomKind
from ankomst.people.models import Household, Person, PersonIdentifier, Relation, Sex

PASSWORD = "correct-horse-battery"


def _sanction_the_flush_of_the_audit_log() -> None:
    """Let the flush after a transactional test empty the audit log on PostgreSQL.

    The log refuses TRUNCATE (audit migration 0004). The test runner's flush, and only it,
    switches that one trigger off inside the flush's own transaction (as the tables' owner),
    so that every other TRUNCATE stays refused.
    """
    from django.db.backends.postgresql.operations import DatabaseOperations

    plain_sql_flush = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        statements = plain_sql_flush(
            self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
        )
        if statements and "audit_auditevent" in tables:
            guard = "audit_auditevent {} TRIGGER audit_event_no_truncate;"
            statements = [
                "ALTER TABLE " + guard.format("DISABLE"),
                *statements,
                "ALTER TABLE " + guard.format("ENABLE"),
            ]
        return statements

    DatabaseOperations.sql_flush = sql_flush


_sanction_the_flush_of_the_audit_log()
_hash_cache: dict[str, str] = {}


def password_hash() -> str:
    # Argon2 on purpose takes time; hash once per test session and reuse.
    if PASSWORD not in _hash_cache:
        _hash_cache[PASSWORD] = make_password(PASSWORD)
    return _hash_cache[PASSWORD]


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (ids repeat between tests that roll back) and in
    the configured language, whatever the test before it activated."""
    from django.core.cache import cache
    from django.utils import translation

    cache.clear()
    translation.deactivate()


@pytest.fixture
def muni_a(db):
    org = Organisation.objects.create(name="Municipality A", kind=OrganisationKind.MUNICIPALITY)
    Unit.objects.create(organisation=org, kind=UnitKind.CITIZEN_SERVICE, name="Citizen service")
    return org


@pytest.fixture
def muni_b(db):
    return Organisation.objects.create(name="Municipality B", kind=OrganisationKind.MUNICIPALITY)


@pytest.fixture
def operator(db):
    org = Organisation.objects.create(name="Operator", kind=OrganisationKind.CENTRE_OPERATOR)
    Unit.objects.create(organisation=org, kind=UnitKind.CENTRE, name="Centre One", places=400)
    return org


_usernames = itertools.count()


@pytest.fixture
def make_user(db):
    def make(role: str, *organisations: Organisation, username: str | None = None) -> User:
        user = User.objects.create(
            username=username or f"user{next(_usernames)}", password=password_hash()
        )
        for org in organisations:
            Membership.objects.create(user=user, organisation=org, role=role)
        return user

    return make


@pytest.fixture
def alice(make_user, muni_a):
    return make_user(Role.CASEWORKER, muni_a, username="alice")


@pytest.fixture
def bob(make_user, muni_b):
    return make_user(Role.CASEWORKER, muni_b, username="bob")


@pytest.fixture
def admin_a(make_user, muni_a):
    return make_user(Role.ADMINISTRATOR, muni_a, username="admin_a")


_case_numbers = itertools.count(1000)


@pytest.fixture
def make_person(db):
    def make(
        organisation: Organisation,
        name_latin: str = "Muhammad Al-Hassan",
        *,
        name_document: str = "محمد الحسن",
        born: dt.date = dt.date(1990, 5, 17),
        sex: str = Sex.MALE,
        household: Household | None = None,
        relation: str = "",
        case_number: str | None = None,
        **extra,
    ) -> Person:
        person = Person.objects.create(
            organisation=organisation,
            name_latin=name_latin,
            name_document=name_document,
            date_of_birth=born,
            sex=sex,
            household=household,
            relation=relation or (Relation.HEAD if household else ""),
            nationality=extra.pop("nationality", "SY"),
            **extra,
        )
        PersonIdentifier(
            person=person, kind="asylum_case", value=case_number or f"24-{next(_case_numbers):06d}"
        ).save()
        return person

    return make


@pytest.fixture
def person_a(make_person, muni_a):
    return make_person(muni_a, case_number="24-123456")


@pytest.fixture
def person_b(make_person, muni_b):
    return make_person(
        muni_b, "Muhammad Darwish", name_document="محمد درويش", case_number="24-999999"
    )


@pytest.fixture
def client_of(client):
    def login(user: User):
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return login


@pytest.fixture
def centre(operator):
    """A residence centre: per floor 2 family rooms of 4 (one accessible), 2 of 2, a men's and a
    women's dormitory of 3 and 2 single rooms; two floors."""
    c = Centre.objects.create(
        organisation=operator,
        name="Residence North",
        centre_type=CentreType.RESIDENCE,
        catering=Catering.SELF_CATERING,
    )
    F, M, W, S = RoomKind.FAMILY, RoomKind.DORM_MALE, RoomKind.DORM_FEMALE, RoomKind.SINGLE
    build_estate(
        c,
        [
            BuildingSpec(
                "A",
                2,
                (
                    RoomSpec(F, 4, 1, accessible=True),
                    RoomSpec(F, 4, 1),
                    RoomSpec(F, 2, 2),
                    RoomSpec(M, 3, 1),
                    RoomSpec(W, 3, 1),
                    RoomSpec(S, 1, 2),
                ),
            )
        ],
    )
    return c


@pytest.fixture
def children_centre(operator):
    c = Centre.objects.create(
        organisation=operator,
        name="Children's centre",
        centre_type=CentreType.CHILDREN,
        catering=Catering.CANTEEN,
    )
    build_estate(
        c,
        [
            BuildingSpec(
                "K", 1, (RoomSpec(RoomKind.DORM_MALE, 4, 1), RoomSpec(RoomKind.DORM_FEMALE, 4, 1))
            )
        ],
    )
    return c


@pytest.fixture
def staff(make_user, operator):
    return make_user(Role.CENTRE_STAFF, operator, username="staff")


# --- the demo, built once per test session ---------------------------------------------------


class DemoSnapshot:
    """The rows the demo created, taken once per session and put back where a test needs them.

    Building the demo takes seconds (names, an estate, a year of stays, a payment run); putting
    its rows back with one ``bulk_create`` per model takes a fraction of that.
    """

    def __init__(self, result, rows):
        from django.utils import timezone

        self.result = result
        self.rows = rows  # [(model, [instances])] in creation order of the models
        # the demo's "today": a session that runs past midnight reads its rows as of it
        self.built_on = timezone.localdate()

    @classmethod
    def take(cls) -> "DemoSnapshot":
        from django.apps import apps
        from django.db import transaction

        from ankomst.demo.services import create_demo

        models = [m for m in apps.get_models(include_auto_created=True) if m._meta.managed]
        with transaction.atomic():
            restore_seeded_languages()
            before = {m: set(m._base_manager.values_list("pk", flat=True)) for m in models}
            result = create_demo()
            rows = []
            for model in models:
                new = [o for o in model._base_manager.order_by("pk") if o.pk not in before[model]]
                if new:
                    rows.append((model, new))
            transaction.set_rollback(True)
        return cls(result, rows)

    def load(self) -> None:
        from django.core.management.color import no_style
        from django.db import connection, transaction

        with transaction.atomic():
            restore_seeded_languages()
            for model, instances in self.rows:
                model._base_manager.bulk_create(instances, batch_size=500)
            # Explicit primary keys leave PostgreSQL's sequences behind.
            sql = connection.ops.sequence_reset_sql(no_style(), [m for m, _ in self.rows])
            with connection.cursor() as cursor:
                for statement in sql:
                    cursor.execute(statement)


@pytest.fixture(scope="session")
def demo_snapshot(django_db_setup, django_db_blocker) -> DemoSnapshot:
    with django_db_blocker.unblock():
        return DemoSnapshot.take()


@pytest.fixture
def demo(demo_snapshot, db):
    """The whole demo (``ankomst demo``) in this test's database; its ``DemoResult``."""
    demo_snapshot.load()
    return demo_snapshot.result


@pytest.fixture(scope="session", autouse=True)
def _languages_survive_a_flush():
    """A transactional test ends by emptying every table and then sends ``post_migrate``, as
    a migrate would: the content languages a migration seeded come back then, whatever
    order the tests run in."""
    from django.db.models.signals import post_migrate

    def restore(sender, **kwargs):
        if sender.name == "ankomst.people":
            restore_seeded_languages()

    post_migrate.connect(restore, weak=False, dispatch_uid="ankomst-tests-languages")
    yield
    post_migrate.disconnect(dispatch_uid="ankomst-tests-languages")


def restore_seeded_languages() -> None:
    """Put back the content languages a migration seeds: a transactional test before this one
    emptied every table, and the demo's persons name their languages."""
    import json

    import ankomst.people
    from ankomst.people.models import Language

    if Language.objects.exists():
        return
    from django.core.management.color import no_style
    from django.db import connection

    path = Path(ankomst.people.__file__).parent / "data" / "languages.json"
    rows = json.loads(path.read_text(encoding="utf-8"))
    # The ids the migration gave them on a fresh database, which the demo's rows name.
    Language.objects.bulk_create(Language(pk=i, **row) for i, row in enumerate(rows, 1))
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), [Language]):
            cursor.execute(statement)


@pytest.fixture
def demo_committed(demo_snapshot, transactional_db):
    """The demo committed, for a live server in another thread (browser tests)."""
    demo_snapshot.load()
    return demo_snapshot.result
