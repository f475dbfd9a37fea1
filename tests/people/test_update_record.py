"""One helper applies a change and returns exactly what changed, for the audit event."""

from ankomst.audit.models import AuditEvent
from ankomst.people import services
from ankomst.people.models import Household
from ankomst.records import update_record


def test_it_returns_only_the_fields_that_changed(muni_a):
    household = Household.objects.create(organisation=muni_a, reference="H-1", notes="")
    changes = update_record(household, {"reference": "H-1", "notes": "Arrived by bus"})
    assert changes == {"notes": ["", "Arrived by bus"]}
    household.refresh_from_db()
    assert household.notes == "Arrived by bus"


def test_an_unchanged_record_is_not_saved_and_not_audited(admin_a, muni_a):
    household = Household.objects.create(organisation=muni_a, reference="H-1", notes="x")
    before = household.updated_at
    services.household_update(user=admin_a, household=household, reference="H-1", notes="x")
    household.refresh_from_db()
    assert household.updated_at == before
    assert not AuditEvent.objects.filter(action="change", object_type="people.household").exists()


def test_the_audit_of_a_changed_person_names_the_changed_fields_only(admin_a, person_a):
    from ankomst.people.models import Person

    fields = {name: getattr(person_a, name) for name in services.PERSON_FIELDS}
    fields["phone"] = "+45 12 34 56 78"
    services.person_update(
        user=admin_a,
        person=Person.objects.get(pk=person_a.pk),
        fields=fields,
        aliases=[],
        identifiers=[services.IdentifierInput("asylum_case", "24-123456")],
        languages=[],
    )
    event = AuditEvent.objects.filter(action="change", object_type="people.person").get()
    assert set(event.changes) == {"phone"}
