"""``ankomst place quotas``: statutory quotas of the national distribution from the command line.

ankomst place quotas TABLE --national-number N [--reunified R]
    [--key danish|population|koenigstein|swedish] [--block-size B]
    [--exchanges FILE] [--out FILE.csv|FILE.json]

TABLE is a shipped table (dk-2024, de-2024, se-2024) or the path of a table's JSON manifest
(see src/ankomst/placement/data/quotas/README.md). The key defaults to the table's own.
--exchanges reads agreed exchanges between municipalities of one region: a CSV with the header
from,to,persons (codes), or a JSON list of {"from": ..., "to": ..., "persons": ...}.
Bad input gives a message and exit status 2.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from pathlib import Path

from .quotas import (
    KEYS,
    Exchange,
    ExchangeError,
    QuotaError,
    QuotaResult,
    QuotaTable,
    TableError,
    apply_exchanges,
    compute_quotas,
    load_table,
)

PROG = "ankomst place quotas"


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``quotas`` command to ``ankomst place``'s subcommands."""
    parser = subparsers.add_parser(
        "quotas",
        help="statutory quotas: a national number split over municipalities and regions",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("table", help="a shipped table (dk-2024, de-2024, se-2024) or a path")
    parser.add_argument(
        "--national-number", type=int, required=True, help="persons to distribute (whole)"
    )
    parser.add_argument(
        "--reunified",
        type=int,
        default=None,
        help="family members reunified with refugees nationally last year (Danish key; "
        "default: the sum of the table's column)",
    )
    parser.add_argument("--key", choices=KEYS, default=None, help="default: the table's own")
    parser.add_argument(
        "--block-size", type=int, default=None, help="population key: divide block by block"
    )
    parser.add_argument("--exchanges", default=None, help="agreed exchanges (CSV or JSON)")
    parser.add_argument("--out", default=None, help="write the result as .csv or .json")
    parser.set_defaults(func=cmd_quotas)


def cmd_quotas(args: argparse.Namespace) -> int:
    def fail(message: str) -> int:
        print(f"{PROG}: {message}", file=sys.stderr)
        return 2

    if args.national_number < 0:
        return fail(f"the national number cannot be negative ({args.national_number}).")
    if args.out and Path(args.out).suffix.lower() not in (".csv", ".json"):
        return fail(f"--out must end in .csv or .json, not {args.out!r}.")
    try:
        table = load_table(args.table)
        exchanges = read_exchanges(Path(args.exchanges)) if args.exchanges else []
        result = compute_quotas(
            table,
            args.national_number,
            key=args.key,
            reunified_nationally=args.reunified,
            block_size=args.block_size,
        )
        if exchanges:
            result = apply_exchanges(result, exchanges)
    except TableError as exc:
        print(f"{PROG}: {exc.source} is not a valid table; no quotas computed.", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return 2
    except QuotaError as exc:
        return fail(f"{exc}.")
    print(format_result(result, table))
    if args.out:
        try:
            write_result(result, table, Path(args.out))
        except OSError as exc:
            return fail(f"cannot write {args.out}: {exc.strerror or exc}.")
        print(f"Wrote {args.out}.")
    return 0


def read_exchanges(path: Path) -> list[Exchange]:
    """Agreed exchanges from a CSV (header from,to,persons) or a JSON list; errors name the line."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ExchangeError(f"cannot read {path}: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise ExchangeError(f"{path} is not UTF-8 text") from exc
    if path.suffix.lower() == ".json":
        try:
            items = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ExchangeError(f"{path} is not valid JSON: {exc}") from exc
        if not isinstance(items, list):
            raise ExchangeError(f"{path}: a JSON list of exchanges is expected")
        rows = [
            (f"item {number}", item if isinstance(item, dict) else {})
            for number, item in enumerate(items, start=1)
        ]
    else:
        try:
            reader = csv.DictReader(io.StringIO(text), strict=True)
            rows = [(f"line {number}", row) for number, row in enumerate(reader, start=2)]
        except csv.Error as exc:
            raise ExchangeError(f"{path} is not valid CSV: {exc}") from exc
        missing = {"from", "to", "persons"} - set(reader.fieldnames or ())
        if missing:
            raise ExchangeError(
                f"{path}, line 1: the header needs the columns from,to,persons "
                f"(missing {', '.join(sorted(missing))})"
            )
    exchanges = []
    for where, row in rows:
        giver, receiver, persons = (
            str(row.get(k, "") or "").strip() for k in ("from", "to", "persons")
        )
        if not giver or not receiver:
            raise ExchangeError(f"{path}, {where}: from and to must both name a municipality code")
        try:
            count = int(persons)
        except ValueError:
            raise ExchangeError(
                f"{path}, {where}: persons {persons!r} is not a whole number"
            ) from None
        exchanges.append(Exchange(giver, receiver, count))
    return exchanges


def _render(columns: list[tuple[str, str, list[str]]]) -> list[str]:
    """Lines of a text table from (header, "<" or ">", cells) columns."""
    widths = [max(len(header), *(len(cell) for cell in cells)) for header, _, cells in columns]
    rows = zip(*([header, *cells] for header, _, cells in columns), strict=True)
    lines = [
        " ".join(
            f"{cell:{align}{width}}"
            for cell, (_, align, _), width in zip(row, columns, widths, strict=True)
        ).rstrip()
        for row in rows
    ]
    lines.insert(1, "-" * len(lines[0]))
    return lines


def format_result(result: QuotaResult, table: QuotaTable) -> str:
    """The quotas as a readable text table: areas, then regions, then the notes."""
    headline = f"Quotas from {table.name}" + (f" ({table.title})" if table.title else "")
    number = f"national number {result.national_number:,}"
    if result.key == "danish":
        number += f" + {result.reunified_nationally:,} reunified nationally = {result.base:,}"
    region_names = {region.code: region.name for region in table.regions}
    rows = result.rows
    columns = [
        ("code", "<", [r.code for r in rows] + [""]),
        ("municipality" if table.regions else "area", "<", [r.name for r in rows] + ["total"]),
    ]
    if table.regions:
        columns.append(("region", "<", [region_names.get(r.region, r.region) for r in rows] + [""]))
    columns += [
        (
            "share of county %" if result.key == "swedish" else "share %",
            ">",
            [f"{float(r.share) * 100:.3f}" for r in rows] + [""],
        ),
        ("computed", ">", [f"{float(r.computed):.2f}" for r in rows] + [""]),
        ("provisional", ">", [f"{float(r.provisional):.2f}" for r in rows] + [""]),
        ("redistributed", ">", [f"{float(r.redistributed):.2f}" for r in rows] + [""]),
        ("rounded", ">", [str(r.rounded) for r in rows] + [""]),
    ]
    if any(r.assigned for r in rows):
        columns.append(("assigned", ">", [str(r.assigned) for r in rows] + [""]))
    if any(r.exchanged for r in rows):
        columns.append(
            ("exchanged", ">", [f"{r.exchanged:+d}" if r.exchanged else "0" for r in rows] + [""])
        )
    columns.append(("quota", ">", [str(r.quota) for r in rows] + [str(result.total)]))
    lines = [headline, f"Key: {result.key}; {number}.", "", *_render(columns)]
    if result.regions:
        regions = result.regions
        lines += [
            "",
            *_render(
                [
                    ("code", "<", [g.code for g in regions] + [""]),
                    ("region", "<", [g.name for g in regions] + ["total"]),
                    ("share %", ">", [f"{float(g.share) * 100:.3f}" for g in regions] + [""]),
                    ("exact", ">", [f"{float(g.target):.2f}" for g in regions] + [""]),
                    ("areas", ">", [str(g.areas) for g in regions] + [str(len(rows))]),
                    (
                        "quota",
                        ">",
                        [str(g.quota) for g in regions] + [str(sum(g.quota for g in regions))],
                    ),
                ]
            ),
        ]
    if result.notes:
        lines += ["", "Notes:"] + [f"- {note}" for note in result.notes]
    return "\n".join(lines)


def write_result(result: QuotaResult, table: QuotaTable, path: Path) -> None:
    """The result as JSON (every figure, the notes) or CSV (one line per area, then region)."""
    if path.suffix.lower() == ".json":
        data = {"title": table.title, **result.as_dict()}
        path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        return
    region_names = {region.code: region.name for region in table.regions}
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file, lineterminator="\n")
        writer.writerow(
            [
                "level",
                "code",
                "name",
                "region",
                "region_name",
                "share",
                "computed",
                "provisional",
                "redistributed",
                "target",
                "rounded",
                "assigned",
                "exchanged",
                "quota",
            ]
        )
        for row in result.rows:
            writer.writerow(
                [
                    "area",
                    row.code,
                    row.name,
                    row.region,
                    region_names.get(row.region, ""),
                    f"{float(row.share):.8f}",
                    f"{float(row.computed):.4f}",
                    f"{float(row.provisional):.4f}",
                    f"{float(row.redistributed):.4f}",
                    f"{float(row.target):.4f}",
                    row.rounded,
                    row.assigned,
                    row.exchanged,
                    row.quota,
                ]
            )
        for region in result.regions:
            writer.writerow(
                [
                    "region",
                    region.code,
                    region.name,
                    "",
                    "",
                    f"{float(region.share):.8f}",
                    "",
                    "",
                    "",
                    f"{float(region.target):.4f}",
                    "",
                    "",
                    "",
                    region.quota,
                ]
            )
