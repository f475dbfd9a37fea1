"""The housing pages as their users meet them: in Danish, scoped, audited, and each role seeing
only the fields its job needs."""

import json

import pytest
from django.conf import settings

from ankomst.accounts.roles import Role
from ankomst.audit.models import AuditEvent
from ankomst.housing import services, tasks
from ankomst.housing.models import HousingNeed, HousingUnit

pytestmark = pytest.mark.django_db

CSV_HEAD = "reference,address,area,kind,rooms,max_persons,rent,school_km,daycare_km,transport_km,shops_km,landlord_kind\n"


@pytest.fixture
def danish(client_of):
    def login(user):
        client = client_of(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "da"
        return client

    return login


def test_the_review_says_why_in_danish_and_names_no_code(
    danish, housing_officer, muni_a, make_arrival, make_unit
):
    make_arrival(adults=2, child_ages=(6,), nationality="ER")  # nobody from Eritrea lives there
    make_unit(rent="9000")  # and the one unit is beyond the budget
    run = services.start_run(user=housing_officer, organisation=muni_a)
    tasks.solve_run(run.pk)
    proposal = run.proposals.get()
    page = danish(housing_officer).get(f"/housing/proposals/{proposal.pk}/").content.decode()
    assert "Hvorfor ikke placeret:" in page
    assert "koster mere, end husstanden kan betale" in page
    assert "excluded." not in page and "unplaced." not in page


def test_a_role_without_housing_is_refused_and_the_refusal_audited(
    client_of, make_user, muni_a, areas
):
    manager = make_user(Role.MANAGER, muni_a)
    assert client_of(manager).get("/housing/").status_code == 403
    assert AuditEvent.objects.filter(actor_id=manager.pk, action="denied").exists()


def test_another_municipality_finds_nothing_and_reading_a_household_is_audited(
    client_of, housing_officer, bob, make_arrival, muni_a
):
    make_arrival()
    services.open_needs(muni_a.pk)
    need = HousingNeed.objects.get()
    assert client_of(bob).get(f"/housing/households/{need.pk}/").status_code == 404
    assert AuditEvent.objects.filter(actor_id=bob.pk, action="denied").exists()
    assert client_of(housing_officer).get(f"/housing/households/{need.pk}/").status_code == 200
    assert AuditEvent.objects.filter(
        actor_id=housing_officer.pk, action="view", object_type="housing.housingneed"
    ).exists()


def test_the_administrator_does_not_see_the_health_related_needs(
    client_of, admin_a, housing_officer, make_arrival, muni_a
):
    make_arrival()
    services.open_needs(muni_a.pk)
    need = HousingNeed.objects.get()
    assert (
        "needs_treatment"
        in client_of(housing_officer).get(f"/housing/households/{need.pk}/").content.decode()
    )
    page = client_of(admin_a).get(f"/housing/households/{need.pk}/").content.decode()
    assert "needs_treatment" not in page and "needs_ground_floor" not in page


def test_an_import_with_a_bad_row_names_it_and_imports_nothing(client_of, housing_officer, areas):
    client = client_of(housing_officer)
    bad = CSV_HEAD + (
        "A-1,Vej 1,centre,permanent,3,5,5200,0.5,0.5,0.5,0.5,association\n"
        "A-2,Vej 2,nowhere,castle,0,5,-3,0.5,0.5,0.5,0.5,association\n"
    )
    page = client.post("/housing/units/import/", {"text": bad}).content.decode()
    assert "Line 3" in page and "nowhere" in page
    assert not HousingUnit.objects.exists()
    good = CSV_HEAD + "A-1,Vej 1,centre,permanent,3,5,5200,0.5,0.5,0.5,0.5,association\n"
    page = client.post("/housing/units/import/", {"text": good}).content.decode()
    payload = page.split('name="payload" value="')[1].split('"')[0]
    assert client.post("/housing/units/import/confirm/", {"payload": payload}).status_code == 302
    assert HousingUnit.objects.get().reference == "A-1"
    # the same file again: the reference is taken, nothing is imported twice
    page = client.post("/housing/units/import/", {"text": good}).content.decode()
    assert "already in the stock" in page


def test_the_map_carries_the_polygons_and_the_counts_for_its_script(
    client_of, housing_officer, muni_a
):
    from ankomst.housing.models import Area

    Area.objects.create(organisation=muni_a, code="vestbyen", name="Vestbyen", kind="district")
    page = client_of(housing_officer).get("/housing/map/").content.decode()
    config = json.loads(
        page.split('id="housing-map-config" type="application/json">')[1].split("</script>")[0]
    )
    assert [f["properties"]["id"] for f in config["areas"]["features"]] == ["vestbyen"]
    assert config["tiles"] == ""  # no tile server unless configured
    assert "<caption>" in page  # the table beside the map


def test_a_municipality_starting_fresh_adds_its_areas(client_of, housing_officer, muni_a):
    from ankomst.housing.models import Area

    client = client_of(housing_officer)
    form = {"code": "vestbyen", "name": "Vestbyen", "kind": "district", "population": "16000"}
    assert client.post("/housing/areas/new/", form).status_code == 302
    assert Area.objects.get(organisation=muni_a).name == "Vestbyen"
    again = client.post("/housing/areas/new/", {**form, "name": "Vestbyen 2"})
    assert again.status_code == 400 and Area.objects.count() == 1
