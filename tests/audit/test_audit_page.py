"""The audit page speaks the reader's language: record types in words, persons by name."""

from ankomst.audit.models import Action, AuditEvent


def test_record_types_show_as_words_with_a_link(client_of, admin_a, alice, person_a):
    client_of(alice).get(f"/people/{person_a.pk}/")
    body = client_of(admin_a).get("/audit/", HTTP_ACCEPT_LANGUAGE="da").content.decode()
    assert "people.person" not in body
    assert f'<a href="/people/{person_a.pk}/">Person {person_a.pk}</a>' in body
    assert "Muhammad Al-Hassan" in body


def test_the_filter_takes_a_persons_name(client_of, admin_a, alice, person_a, make_person, muni_a):
    other = make_person(muni_a, "Zainab Haddad", name_document="زينب حداد")
    client = client_of(alice)
    client.get(f"/people/{person_a.pk}/")
    client.get(f"/people/{other.pk}/")
    body = client_of(admin_a).get("/audit/", {"name": "mohammed"}).content.decode()
    assert f"/people/{person_a.pk}/" in body
    assert f"/people/{other.pk}/" not in body


def test_the_filter_never_finds_another_organisations_person(client_of, admin_a, bob, person_b):
    client_of(bob).get(f"/people/{person_b.pk}/")
    body = client_of(admin_a).get("/audit/", {"name": "Darwish"}).content.decode()
    assert "No person of your organisation matches" in body
    assert "Muhammad Darwish" not in body


def test_bad_filters_get_a_page_not_an_error(client_of, admin_a):
    client = client_of(admin_a)
    for params in (
        {"person": "abc"},
        {"user": "x'; drop"},
        {"action": "nonsense"},
        {"page": "-3"},
        {"name": "x" * 5000},
    ):
        assert client.get("/audit/", params).status_code == 200, params


def test_reading_the_audit_log_is_itself_audited(client_of, admin_a, muni_a):
    client_of(admin_a).get("/audit/", {"action": "denied"})
    event = AuditEvent.objects.get(action=Action.VIEW, object_type="audit.auditevent")
    assert event.actor == admin_a and event.organisation_id == muni_a.pk
    assert "action=denied" in event.summary
