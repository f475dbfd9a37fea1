from ankomst.people.models import Person
from ankomst.people.selectors import person_search


def names(qs):
    return sorted(p.name_latin for p in qs)


def test_it_finds_any_spelling_of_the_name(alice, person_a):
    for query in ["Muhammad", "Mohammed", "MOHAMMAD", "mohamad", "muhammed hassan", "Al-Hassan"]:
        assert names(person_search(alice, query)) == ["Muhammad Al-Hassan"], query


def test_it_finds_the_name_as_written_in_the_document(alice, person_a):
    assert names(person_search(alice, "محمد")) == ["Muhammad Al-Hassan"]


def test_it_finds_by_prefix_and_ignores_accents(alice, make_person, muni_a):
    make_person(muni_a, "José Müller", name_document="José Müller")
    assert names(person_search(alice, "jose mul")) == ["José Müller"]
    assert names(person_search(alice, "MÜLLER")) == ["José Müller"]


def test_it_finds_aliases(alice, person_a):
    person_a.aliases.create(name="Abu Yusuf")
    person_a.refresh_search()
    person_a.save()
    assert names(person_search(alice, "abu yousef")) == ["Muhammad Al-Hassan"]


def test_it_needs_every_word_to_match(alice, person_a, make_person, muni_a):
    make_person(muni_a, "Muhammad Darwish", name_document="محمد درويش")
    assert names(person_search(alice, "mohammed darwish")) == ["Muhammad Darwish"]
    assert len(person_search(alice, "mohammed")) == 2


def test_it_does_not_confuse_different_names(alice, person_a, make_person, muni_a):
    make_person(muni_a, "Mahmoud Haddad", name_document="محمود حداد")
    assert names(person_search(alice, "Mohammed")) == ["Muhammad Al-Hassan"]


def test_it_finds_by_case_number_in_any_notation(alice, person_a):
    for query in ["24-123456", "24123456", " 24 123456 "]:
        assert names(person_search(alice, query)) == ["Muhammad Al-Hassan"], query


def test_it_finds_by_cpr_number(alice, person_a):
    person_a.identifiers.create(kind="cpr", value="170590-1233")
    assert names(person_search(alice, "1705901233")) == ["Muhammad Al-Hassan"]
    assert names(person_search(alice, "170590-1233")) == ["Muhammad Al-Hassan"]


def test_it_returns_nothing_for_an_empty_query(alice, person_a):
    assert list(person_search(alice, "   ")) == []
    assert list(person_search(alice, "---")) == []


def test_it_never_finds_another_organisations_residents(alice, bob, person_a, person_b):
    assert names(person_search(alice, "Muhammad")) == ["Muhammad Al-Hassan"]
    assert names(person_search(bob, "Muhammad")) == ["Muhammad Darwish"]
    # Not even by the other's exact case number.
    assert list(person_search(alice, "24-999999")) == []


def test_it_paginates_in_the_page(client_of, alice, make_person, muni_a):
    for i in range(30):
        make_person(muni_a, f"Muhammad Number{i:02d}")
    response = client_of(alice).get("/people/", {"q": "mohammed"})
    assert response.status_code == 200
    assert response.content.decode().count("/people/") >= 25
    assert "Page 1 of 2" in response.content.decode() or "Side 1 af 2" in response.content.decode()
    page2 = client_of(alice).get("/people/", {"q": "mohammed", "page": 2})
    assert "Number29" in page2.content.decode()
    assert Person.objects.count() == 30
