import csv
from pathlib import Path

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


# --- bad input: never a 500, always a clear message -------------------------------------------


def test_it_bounds_a_query_of_thousands_of_words(alice, person_a):
    # 5,000 words once built an expression tree SQLite refused ("Expression tree is too large").
    query = " ".join(["muhammad"] * 5000)
    assert names(person_search(alice, query)) == ["Muhammad Al-Hassan"]


def test_it_searches_only_the_first_words_and_says_so(client_of, alice, person_a):
    query = "muhammad hassan " + " ".join(f"word{i}" for i in range(5000))
    response = client_of(alice).get("/people/", {"q": query})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Only the first 8 words were searched." in page
    assert "too long" not in page


def test_it_shortens_a_long_query_and_says_so(client_of, alice, person_a):
    response = client_of(alice).get("/people/", {"q": "muhammad" + "x" * 5000})
    assert response.status_code == 200
    page = response.content.decode()
    assert "The search text was shortened to its first 200 characters." in page
    assert "No one found for" in page


def test_it_survives_nul_bytes_and_odd_unicode(client_of, alice, person_a):
    queries = [
        "muham\x00mad",
        "\x00",
        "24-123456\x00",
        "\ud800muhammad",
        "mu\u200bhammad\u200f",
        "\U0001f600 muhammad",
        "\ufeff\u202emuhammad",
        "ﷺ",
        "\u0301\u0301",
        "Ｍｕｈａｍｍａｄ",
    ]
    for query in queries:
        list(person_search(alice, query))  # no exception on either backend
    for query in queries[:3] + queries[4:]:
        response = client_of(alice).get("/people/", {"q": query})
        assert response.status_code == 200, repr(query)
    assert names(person_search(alice, "muham\x00mad")) == ["Muhammad Al-Hassan"]
    assert names(person_search(alice, "Ｍｕｈａｍｍａｄ")) == ["Muhammad Al-Hassan"]


def test_it_says_when_no_one_was_found(client_of, alice, person_a):
    # The placeholder's own example: a case number nobody has.
    for query in ["12-345678", "Zzyzx", "---"]:
        response = client_of(alice).get("/people/", {"q": query})
        page = response.content.decode()
        assert response.status_code == 200
        assert "No one found for" in page, query
        assert "too long" not in page, query


def test_it_audits_the_search_as_searched(client_of, alice, person_a):
    from ankomst.audit.models import AuditEvent

    client_of(alice).get("/people/", {"q": "x" * 5000 + "\x00"})
    event = AuditEvent.objects.filter(action="search").latest("pk")
    assert len(event.summary) <= 300
    assert "\x00" not in event.summary


# --- spellings ---------------------------------------------------------------------------------


def test_it_finds_names_with_the_article_written_together_or_apart(alice, make_person, muni_a):
    make_person(muni_a, "Omar Al-Ali", name_document="عمر العلي")
    make_person(muni_a, "Layla Al-Khatib", name_document="ليلى الخطيب", sex="F")
    assert names(person_search(alice, "Alali")) == ["Omar Al-Ali"]
    assert names(person_search(alice, "Alkhatib")) == ["Layla Al-Khatib"]
    assert names(person_search(alice, "Layla Alkhatib")) == ["Layla Al-Khatib"]
    assert names(person_search(alice, "El-Khatib")) == ["Layla Al-Khatib"]


def test_it_finds_names_stored_with_the_article_written_together(alice, make_person, muni_a):
    make_person(muni_a, "Layla Alkhatib", name_document="ليلى الخطيب", sex="F")
    assert names(person_search(alice, "Layla Al-Khatib")) == ["Layla Alkhatib"]


def test_it_finds_the_german_and_danish_transliteration(alice, make_person, muni_a):
    make_person(muni_a, "Ahmed Haddad", name_document="أحمد حداد")
    assert names(person_search(alice, "Achmed")) == ["Ahmed Haddad"]
    assert names(person_search(alice, "Ahmad")) == ["Ahmed Haddad"]


def test_it_keeps_hassan_and_hussein_apart(alice, make_person, muni_a):
    make_person(muni_a, "Hussein Darwish", name_document="حسين درويش")
    make_person(muni_a, "Hassan Darwish", name_document="حسن درويش")
    assert names(person_search(alice, "Hassan")) == ["Hassan Darwish"]
    assert names(person_search(alice, "Hasan")) == ["Hassan Darwish"]
    assert names(person_search(alice, "Hussein")) == ["Hussein Darwish"]
    assert names(person_search(alice, "Husain")) == ["Hussein Darwish"]


# --- precision and recall over a table of real transliterations --------------------------------

TRANSLITERATIONS = Path(__file__).parent / "data" / "transliterations.csv"
# Floors below the measured figures (README, "Person search"): a change that loses matches
# or confuses names fails here.
PRECISION_FLOOR = 0.90
RECALL_FLOOR = 0.85


def search_quality(user, organisation, rows) -> tuple[float, float, list[dict]]:
    """Precision and recall of person_search over (query, name, same) rows, and the misses."""
    persons = {}
    for name in sorted({row["name"] for row in rows}):
        persons[name] = Person.objects.create(
            organisation=organisation, name_latin=name, name_document=name, sex="X"
        ).pk
    true_pos = false_pos = false_neg = 0
    wrong = []
    for row in rows:
        found = persons[row["name"]] in set(
            person_search(user, row["query"]).values_list("pk", flat=True)
        )
        same = row["same"] == "1"
        true_pos += found and same
        false_pos += found and not same
        false_neg += same and not found
        if found != same:
            wrong.append(row)
    return true_pos / (true_pos + false_pos), true_pos / (true_pos + false_neg), wrong


def test_it_matches_transliterations_with_high_precision_and_recall(alice, muni_a):
    with TRANSLITERATIONS.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) >= 200
    assert {row["language"] for row in rows} == {"ar", "fa", "ti", "so", "uk"}
    precision, recall, wrong = search_quality(alice, muni_a, rows)
    assert precision >= PRECISION_FLOOR, (precision, [r for r in wrong if r["same"] == "0"])
    assert recall >= RECALL_FLOOR, (recall, [r for r in wrong if r["same"] == "1"])


def test_it_tells_a_danish_user_in_danish(client_of, alice, person_a):
    client = client_of(alice)
    client.cookies["django_language"] = "da"
    page = client.get(
        "/people/", {"q": " ".join(["zzyzx"] * 20)}, HTTP_ACCEPT_LANGUAGE="da"
    ).content.decode()
    assert "Der blev kun søgt på de første 8 ord." in page
    assert "Ingen fundet for" in page
