"""The import and the bus of arrivals refuse what the person form refuses, with the line named."""

import logging

import pytest

from ankomst.centres import imports
from ankomst.people.models import Person
from tests.centres.test_import_and_arrivals import BEDS, HEADER

GOOD = "S1,head,سامر,Samer Ali,1999-01-01,no,M,SY,24-3,no"
BED = ",Residence North,A,A005,A,2026-01-05"


def row(**changes) -> str:
    values = dict(
        zip(
            imports.PERSON_COLUMNS,
            ["S1", "head", "سامر", "Samer Ali", "1999-01-01", "no", "M", "SY", "24-3", "no"],
            strict=True,
        )
    )
    values.update(changes)
    return ",".join(values[c] for c in imports.PERSON_COLUMNS)


@pytest.mark.parametrize(
    "changes, expected",
    [
        ({"name_latin": "A" * 250}, "at most 200 characters"),
        ({"name_document": "ب" * 250}, "at most 200 characters"),
        ({"name_latin": "Samer\x00Ali"}, "Null characters are not allowed"),
        ({"asylum_case": "2" * 60}, "at most 40 characters"),
        ({"date_of_birth": "1800-01-01"}, "is not plausible"),
        ({"date_of_birth": "0001-01-01"}, "is not plausible"),
        ({"date_of_birth": "9999-12-31"}, "cannot be in the future"),
    ],
)
def test_a_value_the_form_refuses_is_a_bad_row_of_the_import(
    client_of, staff, centre, operator, changes, expected
):
    text = HEADER + "\n" + row(**changes)
    report = imports.parse(text, organisation=operator, with_beds=False)
    assert not report.ok
    assert any(line == 2 and expected in problem for line, problem in report.errors), report.errors
    response = client_of(staff).post(f"/centres/{centre.pk}/arrivals/", {"text": text})
    assert response.status_code == 200
    assert not response.context.get("payload")
    assert not Person.objects.exists()


@pytest.mark.parametrize("since", ["0001-01-01", "1800-01-01", "2099-01-01"])
def test_an_implausible_since_is_a_bad_row(client_of, staff, centre, operator, since):
    text = HEADER + BEDS + "\n" + GOOD + ",Residence North,A,A005,A," + since
    report = imports.parse(text, organisation=operator, with_beds=True)
    assert [line for line, _ in report.errors] == [2]
    response = client_of(staff).post("/centres/import/", {"text": text})
    assert response.status_code == 200 and not response.context["payload"]


def test_an_empty_document_name_and_a_missing_birth_date_are_flagged(operator, centre):
    text = HEADER + BEDS + "\n" + row(name_document="", date_of_birth="") + BED
    report = imports.parse(text, organisation=operator, with_beds=True)
    assert report.ok
    notes = " ".join(w for _, w in report.warnings)
    assert "name as in the document is empty" in notes
    assert "date of birth is empty" in notes


def test_the_import_page_offers_a_template_file(client_of, staff, centre, operator):
    response = client_of(staff).get("/centres/import/template.csv")
    assert response.status_code == 200
    header, example = response.content.decode().splitlines()[:2]
    assert header.split(",") == imports.PERSON_COLUMNS + imports.BED_COLUMNS
    # The template itself passes the dry run.
    assert imports.parse(response.content.decode(), organisation=operator, with_beds=True).ok
    assert (
        "/centres/import/template.csv" in client_of(staff).get("/centres/import/").content.decode()
    )


def test_the_arrivals_page_offers_a_template_file(client_of, staff, centre, operator):
    response = client_of(staff).get(f"/centres/{centre.pk}/arrivals/template.csv")
    assert response.status_code == 200
    assert imports.parse(response.content.decode(), organisation=operator, with_beds=False).ok


def test_a_utf16_file_without_a_bom_is_read(client_of, staff, centre):
    from django.core.files.uploadedfile import SimpleUploadedFile

    text = HEADER + "\n" + GOOD
    upload = SimpleUploadedFile("bus.csv", text.encode("utf-16-le"), content_type="text/csv")
    response = client_of(staff).post(f"/centres/{centre.pk}/arrivals/", {"file": upload})
    assert response.status_code == 200
    assert "Missing columns" not in response.content.decode()
    assert response.context["report"].ok


def test_a_file_in_another_encoding_says_which_encoding_is_expected(client_of, staff, centre):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("bus.csv", b"\xff\xfe\x00\xd8" * 10, content_type="text/csv")
    response = client_of(staff).post(f"/centres/{centre.pk}/arrivals/", {"file": upload})
    assert "UTF-8" in response.content.decode()


def test_pasting_more_than_the_limit_says_how_large_a_paste_may_be(client_of, staff, centre):
    text = HEADER + "\n" + "\n".join([GOOD] * 60_000)  # about 3 MB
    response = client_of(staff).post(f"/centres/{centre.pk}/arrivals/", {"text": text})
    assert response.status_code == 400
    body = response.content.decode()
    assert "2.5 MB" in body and "upload" in body
    assert 'class="site-header"' in body  # the app's own page, not Django's bare one


def test_a_refusal_is_one_line_in_the_log_without_a_traceback(client_of, make_user, centre, caplog):
    from ankomst.accounts.roles import Role
    from ankomst.log_filters import OneLineForClientErrors

    teacher = make_user(Role.TEACHER, centre.organisation)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client_of(teacher).get("/centres/import/")
    assert response.status_code == 403
    records = [r for r in caplog.records if r.name == "django.request"]
    assert records
    # The console handler of the LOGGING setting prints it as one line.
    console = next(
        h
        for h in logging.getLogger().handlers
        if any(isinstance(f, OneLineForClientErrors) for f in h.filters)
    )
    for record in records:
        assert console.filter(record)
        assert "\n" not in console.format(record) and "Traceback" not in console.format(record)


def test_the_error_pages_are_in_the_apps_look_and_language(client_of, staff, centre):
    client = client_of(staff)
    not_found = client.get("/centres/999999/")
    assert not_found.status_code == 404
    assert "Page not found" in not_found.content.decode()
    assert 'class="site-header"' in not_found.content.decode()
    client.post("/i18n/setlang/", {"language": "da", "next": "/"})
    bad = client.get(f"/centres/{centre.pk}/check-in/", {"person": "abc"})
    assert bad.status_code == 400
    assert "Forespørgslen kunne ikke forstås" in bad.content.decode()
