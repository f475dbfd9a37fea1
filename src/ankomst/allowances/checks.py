"""Whether a run can be paid as it stands: every line plausible, the totals the sum of its lines.

The database refuses implausible amounts since the bounds were added (migration 0004), but a
run stored before them, or a total out of step with its lines, must never be approved,
locked or exported: what finance approves is what the page shows, and a run whose lines
cannot even be read cannot have been reviewed.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from ankomst.limits import MAX_AMOUNT

ZERO = Decimal("0.00")
CENT = Decimal("0.01")


def _outside(field: str) -> Q:
    return Q(**{f"{field}__gt": MAX_AMOUNT}) | Q(**{f"{field}__lt": -MAX_AMOUNT})


def run_problems(run) -> list[str]:
    """What keeps ``run`` from being paid, in the user's language; empty when nothing does."""
    lines = run.lines.order_by()
    implausible = lines.filter(
        _outside("amount") | _outside("gross") | _outside("deduction") | _outside("rate")
    )
    if implausible.exists():
        return [
            _(
                "%(count)s lines of this run carry an amount beyond any plausible allowance; "
                "the run cannot be paid. Cancel it and prepare it again."
            )
            % {"count": implausible.count()}
        ]
    try:
        # SQLite adds decimals as floating point (263855.619999999): back to øre first.
        sums = {
            row["kind"]: (row["total"] or ZERO).quantize(CENT)
            for row in lines.values("kind").annotate(total=Sum("amount"))
        }
    except InvalidOperation:  # SQLite: a stored sum beyond the column's digits
        return [_("The lines of this run cannot be added up; the run cannot be paid.")]
    if sums.get("cash", ZERO) != run.total_cash or sums.get("in_kind", ZERO) != run.total_in_kind:
        return [
            _(
                "The totals of this run do not match its lines; the run cannot be paid. Cancel "
                "it and prepare it again."
            )
        ]
    return []
