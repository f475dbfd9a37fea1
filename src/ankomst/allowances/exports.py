"""The two exports of a locked run: a CSV with one row per line, and a bank payment file.

The CSV is for machines (the bookkeeping system, a spreadsheet): amounts are plain decimals
with a dot and two decimals (``-317.74``), dates ISO, rules and statuses their codes
(``dk.basic_allowance``, ``not_paid``); it goes through the shared writer
(``ankomst.csv_export``), which keeps names and references from being run as formulas.

The bank file is ISO 20022 ``pain.001.001.03`` (customer credit transfer initiation),
one credit transfer per household with an account, for its cash total. Households
without an account, or with nothing to pay, are not in the file: they are listed
as cash at the centre office (``cash_households``).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal

from django.utils import timezone

from ankomst import csv_export

from .models import PaymentRun
from .selectors import RunHousehold
from .validators import compact, is_iban

PAIN_NS = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"

CSV_COLUMNS = [
    "run",
    "period_start",
    "period_end",
    "cutoff",
    "household",
    "household_reference",
    "payout",
    "person_id",
    "person",
    "rule",
    "status",
    "kind",
    "rate",
    "unit",
    "units",
    "gross",
    "deduction",
    "amount",
    "currency",
    "confirmed",
    "correction_of",
    "explanation",
]


def payout_label(group: RunHousehold) -> str:
    return "bank" if group.paid_by_bank and group.total_cash > 0 else "cash at the centre office"


def run_csv(run: PaymentRun, households: list[RunHousehold]) -> str:
    return csv_export.to_text(CSV_COLUMNS, _csv_rows(run, households))


def _csv_rows(run: PaymentRun, households: list[RunHousehold]):
    for group in households:
        payout = payout_label(group)
        for line in group.lines:
            yield [
                run.pk,
                run.period_start,
                run.period_end,
                run.cutoff,
                group.key,
                group.reference,
                payout,
                line.person_id or "",
                line.person.name_latin if line.person else "",
                line.rule,
                line.status,
                line.kind,
                # The rate as precise as it is stored (four decimals at most), without trailing zeros.
                line.rate.normalize() if line.rate else 0,
                line.unit,
                line.units,
                line.gross,
                line.deduction,
                line.amount,
                run.currency,
                "yes" if line.confirmed else "no",
                line.correction_of_id or "",
                line.explanation,
            ]


def bank_households(households: list[RunHousehold]) -> list[RunHousehold]:
    return [g for g in households if g.paid_by_bank and g.total_cash > 0]


def cash_households(households: list[RunHousehold]) -> list[RunHousehold]:
    return [g for g in households if not g.paid_by_bank and g.total_cash > 0]


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrib: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrib)
    if text is not None:
        element.text = text
    return element


def _account(parent: ET.Element, tag: str, number: str) -> None:
    acct_id = _sub(_sub(parent, tag), "Id")
    number = compact(number)
    if is_iban(number):
        _sub(acct_id, "IBAN", number)
    else:  # a domestic account: registration and account number, as "other" identification
        _sub(_sub(acct_id, "Othr"), "Id", number)


def _agent(parent: ET.Element, tag: str, bic: str) -> None:
    institution = _sub(_sub(parent, tag), "FinInstnId")
    if bic:
        _sub(institution, "BIC", compact(bic))
    else:
        _sub(_sub(institution, "Othr"), "Id", "NOTPROVIDED")


def _amount(value: Decimal) -> str:
    return f"{value:.2f}"


def run_pain001(
    run: PaymentRun,
    households: list[RunHousehold],
    *,
    debtor_name: str,
    debtor_iban: str,
    debtor_bic: str = "",
) -> bytes:
    paid = bank_households(households)
    total = sum((g.total_cash for g in paid), Decimal("0.00"))
    message_id = f"ANKOMST-{run.pk}-{run.period_start:%Y%m%d}"[:35]
    ET.register_namespace("", PAIN_NS)
    document = ET.Element(f"{{{PAIN_NS}}}Document")
    root = _sub(document, "CstmrCdtTrfInitn")
    header = _sub(root, "GrpHdr")
    _sub(header, "MsgId", message_id)
    _sub(header, "CreDtTm", timezone.localtime().replace(microsecond=0).isoformat())
    _sub(header, "NbOfTxs", str(len(paid)))
    _sub(header, "CtrlSum", _amount(total))
    _sub(_sub(header, "InitgPty"), "Nm", debtor_name[:70])

    info = _sub(root, "PmtInf")
    _sub(info, "PmtInfId", message_id)
    _sub(info, "PmtMtd", "TRF")
    _sub(info, "NbOfTxs", str(len(paid)))
    _sub(info, "CtrlSum", _amount(total))
    _sub(_sub(_sub(info, "PmtTpInf"), "SvcLvl"), "Cd", "SEPA" if run.currency == "EUR" else "NURG")
    # Paid in advance: the money is due on the first day of the period.
    _sub(info, "ReqdExctnDt", run.period_start.isoformat())
    _sub(_sub(info, "Dbtr"), "Nm", debtor_name[:70])
    _account(info, "DbtrAcct", debtor_iban)
    _agent(info, "DbtrAgt", debtor_bic)
    _sub(info, "ChrgBr", "SLEV")
    for group in paid:
        tx = _sub(info, "CdtTrfTxInf")
        _sub(_sub(tx, "PmtId"), "EndToEndId", f"R{run.pk}-{group.key}"[:35])
        _sub(_sub(tx, "Amt"), "InstdAmt", _amount(group.total_cash), Ccy=run.currency)
        if group.bic:
            _agent(tx, "CdtrAgt", group.bic)
        _sub(
            _sub(tx, "Cdtr"), "Nm", (group.head.name_latin if group.head else group.reference)[:70]
        )
        _account(tx, "CdtrAcct", group.account or "")
        _sub(
            _sub(tx, "RmtInf"),
            "Ustrd",
            f"{run.get_scheme_display()} {run.period_start:%d.%m.%Y}-{run.period_end:%d.%m.%Y}"[
                :140
            ],
        )
    ET.indent(document)
    return ET.tostring(document, encoding="utf-8", xml_declaration=True)
