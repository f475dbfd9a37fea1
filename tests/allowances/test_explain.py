"""Line explanations are rendered in the reader's language from the codes stored on the line."""

from datetime import date
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.utils import translation

from ankomst.allowances import explain
from ankomst.allowances.engine import (
    Catering,
    HouseholdInput,
    Period,
    PersonStatus,
    compute_period,
)
from ankomst.allowances.rates import available_rate_tables, load_rates

CUTOFF = date(2024, 2, 28)
PERIOD = Period(date(2024, 3, 4), date(2024, 3, 17), CUTOFF)
LOCALE = Path(explain.__file__).resolve().parent.parent / "locale"


def lines(*members, catering=Catering.SELF_CATERING, country="DK", period=PERIOD):
    rates = load_rates(country, period.start.year)
    household = HouseholdInput("h1", country, catering, tuple(members))
    return {(ln.person_id, ln.rule): ln for ln in compute_period(household, period, rates).lines}


def test_in_english_it_reads_like_the_stored_text():
    got = lines(PersonStatus("a", date(1990, 1, 1), unexcused_absence_days=2))
    with translation.override("en"):
        text = explain.explain_line(got[("a", "dk.basic_allowance")])
    assert text.startswith(
        "Basic allowance, single rate (also unaccompanied minors): 58.41 DKK/day"
    )
    assert "× 14 days = 817.74 DKK." in text
    assert "Status on the cut-off date" in text


def test_a_danish_reader_gets_danish_words_and_numbers():
    got = lines(
        PersonStatus(
            "a",
            date(1990, 1, 1),
            decision_date=date(2024, 1, 10),
            contract_signed_on=date(2023, 12, 1),
            unexcused_absence_days=2,
        )
    )
    with translation.override("da"):
        basic = explain.explain_line(got[("a", "dk.basic_allowance")])
        contract = explain.explain_line(got[("a", "dk.contract_supplement")])
    assert basic.startswith("Grundydelse, sats for enlige")
    assert "58,41 DKK/dag × 14 dage = 817,74 DKK." in basic
    assert "skæringsdatoen 28.02.2024" in basic
    assert contract.startswith("Tillægsydelse, efter afgørelsen")
    assert "Nedsat: 2 dage ulovligt fravær" in contract
    assert "− 63,08 DKK" in contract
    assert "dk." not in basic + contract and "Status on" not in basic + contract


def test_a_not_paid_line_gives_the_reason_in_swedish():
    got = lines(PersonStatus("a", date(1990, 1, 1)), catering=Catering.CANTEEN)
    with translation.override("sv"):
        text = explain.explain_line(got[("a", "dk.basic_allowance")])
    assert text.startswith("Grundbelopp: betalas inte ut — betalas inte ut på ett boende med fria")


def test_one_day_is_singular_in_every_language():
    one_day = Period(date(2024, 3, 4), date(2024, 3, 4), CUTOFF)
    line = lines(PersonStatus("a", date(1990, 1, 1)), period=one_day)[("a", "dk.basic_allowance")]
    for language, word in (("en", "× 1 day ="), ("da", "× 1 dag ="), ("sv", "× 1 dag =")):
        assert word in explain.explain_line(line, language)


def test_a_statement_language_without_an_interface_falls_back_to_english():
    line = lines(PersonStatus("a", date(1990, 1, 1)))[("a", "dk.basic_allowance")]
    assert explain.explain_line(line, "fa-AF").startswith("Basic allowance")
    assert explain.explain_line(line, "sv").startswith("Grundbelopp")


def test_the_swedish_halving_is_explained_with_the_tier():
    members = [
        PersonStatus("p", date(1985, 1, 1)),
        *(PersonStatus(f"c{i}", date(2011 + 5 * i, 6, 1)) for i in range(3)),
    ]
    line = lines(*members, country="SE")[("c2", "se.daily_allowance_child")]
    with translation.override("da"):
        text = explain.explain_line(line)
    assert "37,00 SEK/dag × 0,5 (3. barn og derefter: halvt beløb) = 18,50 SEK/dag" in text
    assert "(barn 3 af 3, ældste først: SFS 1988:156" in text


class Stored:
    """A line stored before its parameters said everything: its own English text is shown."""

    rule = "dk.basic_allowance"
    status = "paid"
    unit = "day"
    units = 14
    params = {"component": "dk.basic_allowance"}
    explanation = "Basic allowance: as stored"


def test_an_old_line_without_parameters_shows_its_stored_text():
    assert explain.explain_line(Stored()) == "Basic allowance: as stored"


def _shipped():
    for country, year in available_rate_tables():
        table = load_rates(country, year)
        yield from table.components + ((table.pocket_money,) if table.pocket_money else ())


def test_every_rule_rate_tier_and_reason_of_the_shipped_tables_has_a_label():
    for component in _shipped():
        assert component.code in explain.RULE_LABELS
        assert {r.label for r in component.rates} <= set(explain.RATE_LABELS)
        assert {t.name for t in component.child_tiers} <= set(explain.TIER_LABELS)
        assert {n.code for n in component.not_paid} <= set(explain.REASONS)
        if component.deduction:
            assert component.deduction.code in explain.DEDUCTION_LABELS


@pytest.mark.parametrize("language", ["da", "sv"])
def test_every_label_is_translated(language):
    with open(LOCALE / language / "LC_MESSAGES" / "django.po", "rb") as fh:
        catalog = read_po(fh)
    for table in (
        explain.RULE_LABELS,
        explain.STATUS_LABELS,
        explain.RATE_LABELS,
        explain.TIER_LABELS,
        explain.REASONS,
        explain.DEDUCTION_LABELS,
    ):
        for label in table.values():
            with translation.override("en"):
                msgid = str(label)
            message = catalog.get(msgid)
            assert message is not None and message.string, msgid


def test_rate_warnings_name_the_rule_in_the_readers_language():
    items = load_rates("DK", 2024).unconfirmed()
    with translation.override("da"):
        texts = [explain.unconfirmed_item(item) for item in items]
    assert "Tillægsydelse – før afgørelsen om, at sagen behandles i Danmark" in texts
    assert (
        "Tillægsydelse – fradragsregel: nedsættelse af tillægsydelsen ved ulovligt fravær" in texts
    )
    assert not any("dk." in text for text in texts)
