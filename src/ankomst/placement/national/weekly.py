"""Week by week: assign each week's arrivals while keeping the year's quotas reachable.

Permits are granted all year; the agency assigns each week's households without knowing
who comes later. Assigning each week greedily (the best municipality for every household
this week, within the remaining quotas) fills the strong labour markets with whoever
arrives first. The dynamic mode (after Ahani et al., Operations Research 2024) prices
the quotas and capacities instead:

1. Sample the rest of the year: households drawn from the arrivals so far (``history``,
   the default) or from a generator of the arrival distribution (``pool``), each standing
   for as many households that the sample's persons make up the persons the remaining
   quotas expect (the national number is the agency's forecast).
2. Solve the LP of this week's households and the sample over the remaining quotas and
   capacities (column generation, ``assign.solve_lp``); its duals are the prices of a
   person of quota, an adult's language-school place, ... in each municipality.
3. Solve this week's integer programme (``assign.solve``) on score minus the prices of
   what each household takes, within the remaining quotas and capacities.

Family ties come first: a household with a tie has one municipality, and a municipality
that has filled up before it arrives cannot take it. So each week the tied households are
placed first, and the untied ones may use a municipality's quota and capacities only down
to a reserve for the ties still to come: what ties have taken there so far, scaled to the
persons the rest of the year is expected to bring, times ``tie_reserve``.

Allocation balancing (Bansak and Paulson, Operations Research 2024) keeps each
municipality's intake even over the year. Formulation used here: with ``share[j]`` its
share of the year's quotas and ``N(t)`` the persons assigned nationally by the end of week
``t``, its cumulative intake ``C[j](t)`` must stay within
``share[j] * N(t) +- max(band * share[j] * N(t), band_floor)`` persons after every week
(band 10 %, floor 3 persons, since households come whole; the weekly programme aims at 90 %
of the band, so that a week that cannot quite meet it still ends inside). When the arrivals
are even,
``share[j] * N(t)`` by month k is k/12 of its quota, so this is the brief's "cumulative
intake by month k within +-10 % of k/12 of its quota", stated relative to what has
actually arrived (uneven weeks would make k/12 of the quota unreachable for everyone).
The rows are soft: outside the band costs ``balance_cost`` per person, more than any
score difference, so the model stays feasible in a week that cannot meet them.
It is enforced after every week, hence at every month's end.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np

from .assign import relative_gap, solve, solve_lp
from .data import NationalInstance
from .explain import HouseholdAssignment, context, explain_household
from .problem import BALANCE, QUOTA, Problem, build_problem, evaluate
from .scores import Scores, scores_of

WEEKS = 52
FUTURE_SAMPLE = 1500  # households in the sample of the rest of the year
FUTURE_PENALTY = 0.5  # what leaving a sampled household out costs beyond its best score
MODES = ("dynamic", "greedy")
TIE_PRIOR = 20.0  # households of evidence the quota shares count for in the tie reserve


@dataclass(frozen=True)
class WeeklyOptions:
    mode: str = "dynamic"  # dynamic (prices from sampled futures) | greedy (no prices)
    balancing: bool = False
    band: float = 0.10  # share of the even share a municipality may be off
    band_floor: float = 3.0  # persons: the band is at least this wide each way
    band_margin: float = 0.9  # the weekly programme keeps within this share of the band
    balance_cost: float = 10.0  # objective per person outside the band
    sampler: str = "history"  # history | pool
    future_sample: int = FUTURE_SAMPLE
    week_time_limit: float = 10.0
    gap: float = 1e-3
    seed: int = 0
    # safety factor of the reserve for future family ties (0: none); None: 4 without
    # balancing, 1 with it (the band already keeps every municipality's room over the year,
    # and a large reserve would fight its lower side)
    tie_reserve: float | None = None
    explain: bool = False  # keep an explanation per household (the CLI writes them)


@dataclass
class WeekRecord:
    week: int
    households: int
    persons: int
    value: float  # score + bonus of this week's assignment
    unassigned: int
    seconds: float
    lp_seconds: float = 0.0
    status: str = ""
    gap: float = 0.0
    balance_excess: float = 0.0  # persons outside the band after this week, summed


@dataclass
class YearResult:
    mode: str
    balancing: bool
    municipality_of: np.ndarray  # [n] households of the year, -1 unassigned
    week_of: np.ndarray  # [n]
    value: float  # score + bonus over the year
    score: float
    unassigned: int
    unassigned_persons: int
    seconds: float
    weeks: list[WeekRecord]
    months: np.ndarray  # [12, m] cumulative persons by the end of each month
    targets: np.ndarray  # [12, m] the even share by the end of each month
    tie_months: np.ndarray  # [12, m] of which persons with a family tie there
    violations: list[str]
    assignments: list[HouseholdAssignment] = field(default_factory=list)

    def deviation(self, band: float = 0.10, band_floor: float = 3.0) -> Deviation:
        return deviation(self.months, self.targets, band, band_floor, self.tie_months)


@dataclass(frozen=True)
class Deviation:
    """How far the monthly cumulative intakes are from the even share.

    ``max_relative`` is the largest |C - T| / T over the municipality-months whose even
    share T is at least ``floor / band`` persons (there the 10 % band is wider than the
    floor); ``max_excess`` the most persons outside the band max(band * T, floor)
    anywhere; ``over_band`` how many municipality-months are outside it. The ``chosen``
    figures leave out what family ties forced: an intake above the band counts only as
    far as the households without a tie there put it above."""

    max_relative: float
    max_excess: float
    over_band: int
    chosen_max_relative: float
    chosen_max_excess: float
    chosen_over_band: int


def month_of_week(week: int) -> int:
    """1..12: the month a week (1..52) mostly falls in."""
    return min(12, (week - 1) * 12 // WEEKS + 1)


def month_end_weeks() -> list[int]:
    return [w for w in range(1, WEEKS + 1) if w == WEEKS or month_of_week(w + 1) > month_of_week(w)]


def deviation(
    months: np.ndarray,
    targets: np.ndarray,
    band: float,
    floor: float,
    ties: np.ndarray | None = None,
) -> Deviation:
    ties = np.zeros_like(months) if ties is None else ties
    allowed = np.maximum(band * targets, floor)
    big = targets >= floor / band

    def measure(over: np.ndarray, under: np.ndarray) -> tuple[float, float, int]:
        off = np.maximum(over, under)
        rel = off[big] / targets[big] if big.any() else np.zeros(1)
        excess = np.maximum(off - allowed, 0.0)
        return float(rel.max()), float(excess.max()), int((excess > 1e-6).sum())

    whole = measure(months - targets, targets - months)
    chosen = measure(np.minimum(months - targets, months - ties - targets), targets - months)
    return Deviation(*whole, *chosen)


def shares(instance: NationalInstance) -> np.ndarray:
    """Each municipality's share of the year's quotas."""
    q = np.array([m.quota for m in instance.municipalities], dtype=float)
    return q / max(q.sum(), 1.0)


def simulate_year(
    instance: NationalInstance,
    options: WeeklyOptions = WeeklyOptions(),
    scores: Scores | None = None,
    pool: Problem | None = None,
    pool_weeks: np.ndarray | None = None,
    progress: Callable[[str], None] | None = None,
) -> YearResult:
    """Assign the year's households week by week (their ``arrival_week``), against the year's
    quotas and capacities; ``pool`` (with ``pool_weeks``) is the generator's sample of a
    year for ``sampler="pool"``."""
    if options.mode not in MODES:
        raise ValueError(f"unknown mode {options.mode!r}; known: {', '.join(MODES)}")
    started = time.perf_counter()
    say = progress or (lambda message: None)
    scores = scores or scores_of(instance)
    year = build_problem(instance, scores)
    week_of = np.array([h.arrival_week or 1 for h in instance.households], dtype=np.int64)
    tied = np.array([h.family_tie is not None for h in instance.households], dtype=bool)
    share = shares(instance)
    rng = np.random.default_rng(options.seed)
    out = np.full(year.n, -1, dtype=np.int64)
    load = np.zeros_like(year.upper)
    records: list[WeekRecord] = []
    months = np.zeros((12, year.m))
    targets = np.zeros((12, year.m))
    tie_months = np.zeros((12, year.m))
    assignments: dict[int, HouseholdAssignment] = {}
    for week in range(1, WEEKS + 1):
        rows = np.flatnonzero(week_of == week)
        record, lam, sol_prices = _week(
            year, rows, week, load, share, out, options, rng, pool, pool_weeks, week_of, tied
        )
        records.append(record)
        if options.explain and len(rows):
            _explain_week(instance, year, scores, rows, out, lam + sol_prices, load, assignments)
        if week in month_end_weeks():
            k = month_of_week(week) - 1
            months[k] = load[QUOTA]
            targets[k] = share * load[QUOTA].sum()
            done = np.flatnonzero(tied & (out >= 0) & (week_of <= week))
            tie_months[k] = np.bincount(out[done], weights=year.use[done, QUOTA], minlength=year.m)
        say(
            f"week {week:2d}: {record.households:3d} households ({record.persons:4d} persons), "
            f"value {record.value:8.3f}, {record.unassigned} unassigned, {record.seconds:.2f} s"
        )
    ev = evaluate(year, out)
    a = out >= 0
    persons = year.use[:, QUOTA]
    return YearResult(
        mode=options.mode,
        balancing=options.balancing,
        municipality_of=out,
        week_of=week_of,
        value=ev.value,
        score=float(scores.score[np.flatnonzero(a), out[a]].sum()),
        unassigned=int((~a).sum()),
        unassigned_persons=int(persons[~a].sum()),
        seconds=time.perf_counter() - started,
        weeks=records,
        months=months,
        targets=targets,
        tie_months=tie_months,
        violations=ev.violations,
        assignments=[assignments[i] for i in sorted(assignments)],
    )


def _week(year, rows, week, load, share, out, options, rng, pool, pool_weeks, week_of, tied):
    """Assign one week's households in place (``out``, ``load``); its record and prices."""
    started = time.perf_counter()
    remaining = year.upper - load
    lam = np.zeros_like(year.upper)
    lp_seconds = 0.0
    support = None
    if options.mode == "dynamic" and len(rows):
        future = _future(year, rows, week, remaining, options, rng, pool, pool_weeks, week_of)
        if future is not None:
            lp_started = time.perf_counter()
            stacked = _stack(replace(year.take(rows), upper=remaining), future)
            if options.balancing:
                # the year's end within the band too: a municipality whose capacities are
                # scarce for its share of persons prices them for the households that
                # would take many of them (singles taking language-school places)
                stacked = _year_end_band(stacked, share, load, options)
            lp = solve_lp(stacked, time_limit=options.week_time_limit / 2)
            lam = lp.prices.copy()
            lam[BALANCE] = 0.0  # the week's own band rows stand for it below
            support = lp.support[: len(rows)]
            lp_seconds = time.perf_counter() - lp_started
    first = rows[tied[rows]] if options.mode == "dynamic" else rows[:0]
    if len(first):  # family ties first, at the full remaining quotas
        _place(year, first, load, out, year.upper - load)
    rest = np.setdiff1d(rows, first)
    sol_prices = np.zeros_like(year.upper)
    status, gap = "", 0.0
    if len(rest):
        room = year.upper - load
        factor = _reserve_factor(options)
        if options.mode == "dynamic" and factor > 0:
            # whole places: 0.3 of a large-family home reserved would bar every untied family
            reserve = np.floor(_tie_reserve(year, week, load, week_of, tied) * factor)
            room = np.maximum(room - reserve, 0)
        batch = replace(year.take(rest), upper=room)
        batch = batch.with_value(batch.value - batch.use @ lam)
        if support is not None and not options.balancing:  # where the LP plans them
            planned = support[np.searchsorted(rows, rest)] & batch.allowed
            batch = replace(
                batch, allowed=np.where(planned.any(axis=1)[:, None], planned, batch.allowed)
            )
        if options.balancing:
            batch = _balanced(batch, share, load, week, options)
        sol = solve(batch, time_limit=options.week_time_limit, gap=options.gap, seed=options.seed)
        status, gap, sol_prices = sol.status, relative_gap(sol.objective, sol.bound), sol.prices
        out[rest] = sol.municipality_of
        _add_load(year, rest, load, out)
        left = rest[out[rest] < 0]
        if len(left) and support is not None:  # those the plan left out: anywhere with room
            again = replace(year.take(left), upper=year.upper - load)
            again = again.with_value(again.value - again.use @ lam)
            out[left] = solve(
                again, time_limit=options.week_time_limit, gap=options.gap
            ).municipality_of
            _add_load(year, left, load, out)
    assigned = rows[out[rows] >= 0]
    excess = 0.0
    if options.balancing:
        target = share * load[QUOTA].sum()
        band = np.maximum(options.band * target, options.band_floor)
        excess = float(np.maximum(np.abs(load[QUOTA] - target) - band, 0.0).sum())
    record = WeekRecord(
        week=week,
        households=len(rows),
        persons=int(year.use[rows, QUOTA].sum()),
        value=float(year.value[assigned, out[assigned]].sum()),
        unassigned=int((out[rows] < 0).sum()),
        seconds=time.perf_counter() - started,
        lp_seconds=lp_seconds,
        status=status,
        gap=gap,
        balance_excess=excess,
    )
    return record, lam, sol_prices


def _place(year: Problem, rows: np.ndarray, load, out, room) -> None:
    """Households with one municipality each (family ties), largest first, where they fit."""
    for i in rows[np.argsort(-year.use[rows, QUOTA], kind="stable")].tolist():
        j = int(np.argmax(year.allowed[i]))
        if year.allowed[i, j] and np.all(year.use[i] <= room[:, j] + 1e-9):
            out[i] = j
            room[:, j] -= year.use[i]
            load[:, j] += year.use[i]


def _add_load(year: Problem, rows: np.ndarray, load, out) -> None:
    placed = rows[out[rows] >= 0]
    for r in range(year.use.shape[1]):
        load[r] += np.bincount(out[placed], weights=year.use[placed, r], minlength=year.m)


def _reserve_factor(o: WeeklyOptions) -> float:
    if o.tie_reserve is not None:
        return o.tie_reserve
    return 1.0 if o.balancing else 4.0


def _tie_reserve(year, week, load, week_of, tied) -> np.ndarray:
    """[R, m] what the family ties still to come are expected to take in each municipality.

    The ties' use of each resource per person arrived so far, times the persons expected
    after this week, spread over the municipalities by their share of the ties so far,
    shrunk towards their share of the quotas (``TIE_PRIOR`` households' worth of evidence):
    a municipality without a tie yet may get one, and one early tie says little."""
    seen = np.flatnonzero(week_of <= week)
    persons_seen = float(year.use[seen, QUOTA].sum())
    expected = _expected_persons(year, week, persons_seen)
    ties = seen[tied[seen]]
    if persons_seen <= 0 or expected <= 0 or len(ties) == 0:
        return np.zeros_like(load)
    js = np.argmax(year.allowed[ties], axis=1)
    quota = np.where(np.isfinite(year.upper[QUOTA]), year.upper[QUOTA], 0.0)
    prior = quota / max(quota.sum(), 1.0)
    reserve = np.zeros_like(load)
    for r in range(year.use.shape[1]):
        here = np.bincount(js, weights=year.use[ties, r], minlength=year.m)
        total = here.sum()
        if total <= 0:
            continue
        pseudo = TIE_PRIOR * total / len(ties)  # TIE_PRIOR households' worth of resource r
        spread = (here + pseudo * prior) / (total + pseudo)
        reserve[r] = total / persons_seen * expected * spread
    return reserve


def _balanced(batch: Problem, share, load, week: int, o: WeeklyOptions) -> Problem:
    """This week's balance rows: cumulative intake within the band of the even share."""
    total = load[QUOTA].sum() + float(batch.use[:, QUOTA].sum())
    target = share * total
    band = np.maximum(o.band * target, o.band_floor) * o.band_margin
    lower, upper = batch.lower.copy(), batch.upper.copy()
    lower[BALANCE] = target - band - load[QUOTA]
    upper[BALANCE] = target + band - load[QUOTA]
    soft = batch.soft.copy()
    soft[BALANCE] = o.balance_cost
    # an intake above the band stays above until the even share catches up: at a small
    # municipality for months. Going over costs per week it is expected to last.
    weekly = np.maximum(share * total / max(week, 1), 1e-9)  # growth of the even share
    over = batch.over_cost().copy()
    over[BALANCE] = o.balance_cost * np.maximum(1.0, band / weekly)
    return replace(batch, lower=lower, upper=upper, soft=soft, soft_over=over)


# the pricing LP's band rows cost a tenth of the week's: enough to price a capacity that is
# scarce for a municipality's share of persons, not so much that its prices outweigh scores
YEAR_END_COST = 0.1


def _year_end_band(stacked: Problem, share, load, o: WeeklyOptions) -> Problem:
    """The band around the even share of the whole year (this week, the sampled rest, and
    what is assigned), as soft rows of the pricing LP."""
    total = load[QUOTA].sum() + float((stacked.use[:, QUOTA] * stacked.weight).sum())
    target = share * total
    band = np.maximum(o.band * target, o.band_floor) * o.band_margin
    lower, upper = stacked.lower.copy(), stacked.upper.copy()
    lower[BALANCE] = target - band - load[QUOTA]
    upper[BALANCE] = target + band - load[QUOTA]
    soft = stacked.soft.copy()
    soft[BALANCE] = o.balance_cost * YEAR_END_COST
    return replace(stacked, lower=lower, upper=upper, soft=soft)


def _expected_persons(year: Problem, week: int, persons_seen: float) -> float:
    """Persons still to come after this week: the rate so far over the weeks left, at most
    what the remaining quotas expect (the national number is the agency's forecast)."""
    if week >= WEEKS:
        return 0.0
    rate = persons_seen / week * (WEEKS - week)
    quota_left = float(year.upper[QUOTA].sum()) - persons_seen
    return max(min(rate, quota_left), 0.0)


def _future(year, rows, week, remaining, o: WeeklyOptions, rng, pool, pool_weeks, week_of):
    """A sample of the rest of the year, weighted to the persons the remaining quotas expect
    (the national number is the agency's forecast; erring on the high side keeps room)."""
    persons_left = float(remaining[QUOTA].sum() - year.use[rows, QUOTA].sum())
    if week >= WEEKS or persons_left <= 0:
        return None
    if o.sampler == "pool" and pool is not None and pool_weeks is not None:
        source, candidates = pool, np.flatnonzero(pool_weeks > week)
    else:
        source, candidates = year, np.flatnonzero(week_of <= week)  # arrived so far
    if len(candidates) == 0:
        return None
    picked = rng.choice(candidates, size=min(o.future_sample, 4 * len(candidates)), replace=True)
    sample = source.take(picked)
    scale = persons_left / max(float(sample.use[:, QUOTA].sum()), 1e-9)
    # a sampled household is hypothetical: leaving it out costs what it would score at best
    # (and a bit), not the real penalty, or a sample with one large family too many would
    # price large-family homes in hundreds and send this week's families anywhere else
    best = np.where(sample.allowed, sample.value, 0.0).max(axis=1, initial=0.0)
    return replace(sample, weight=sample.weight * scale, penalty=FUTURE_PENALTY + best)


def _stack(a: Problem, b: Problem) -> Problem:
    """Households of ``a`` and ``b`` in one problem (``a``'s bounds)."""
    return replace(
        a,
        value=np.concatenate([a.value, b.value]),
        allowed=np.concatenate([a.allowed, b.allowed]),
        use=np.concatenate([a.use, b.use]),
        penalty=np.concatenate([a.penalty, b.penalty]),
        weight=np.concatenate([a.weight, b.weight]),
    )


def _explain_week(instance, year, scores, rows, out, prices, load, assignments) -> None:
    """Explanations of this week's households against the load after the week."""
    week = instance.with_households(tuple(instance.households[i] for i in rows))
    sub_scores = Scores(scores.score[rows], scores.bonus[rows], scores.source)
    problem = replace(year.take(rows), upper=year.upper)
    ctx = context(week, problem, sub_scores, out[rows], prices, load.copy())
    for k, i in enumerate(rows.tolist()):
        assignments[i] = explain_household(ctx, k)


@dataclass
class Comparison:
    """A simulated year against the hindsight optimum and greedy week by week."""

    hindsight_value: float
    hindsight_bound: float
    hindsight_seconds: float
    runs: dict[str, YearResult]

    def ratio(self, name: str) -> float:
        return self.runs[name].value / self.hindsight_value


def hindsight(
    instance: NationalInstance, scores: Scores, time_limit: float = 20.0, gap: float = 5e-4
):
    """All the year's arrivals known in advance, one assignment: (solution, seconds)."""
    started = time.perf_counter()
    sol = solve(build_problem(instance, scores), time_limit=time_limit, gap=gap)
    return sol, time.perf_counter() - started


def compare_year(
    instance: NationalInstance,
    options: WeeklyOptions = WeeklyOptions(),
    runs: tuple[tuple[str, str, bool], ...] = (
        ("dynamic", "dynamic", False),
        ("dynamic balanced", "dynamic", True),
        ("greedy", "greedy", False),
    ),
    progress: Callable[[str], None] | None = None,
    pool: tuple[Problem, list[int]] | None = None,
) -> Comparison:
    """The hindsight optimum and each (name, mode, balancing) run on the same year;
    ``pool`` is (problem, arrival weeks) of a generated year for ``sampler="pool"``."""
    say = progress or (lambda message: None)
    scores = scores_of(instance)
    sol, seconds = hindsight(instance, scores)
    value = evaluate(build_problem(instance, scores), sol.municipality_of).value
    say(f"hindsight: {value:,.3f} (bound {sol.bound:,.3f}) in {seconds:.1f} s")
    results = {}
    for name, mode, balancing in runs:
        o = replace(options, mode=mode, balancing=balancing)
        results[name] = simulate_year(
            instance,
            o,
            scores=scores,
            pool=None if pool is None else pool[0],
            pool_weeks=None if pool is None else np.asarray(pool[1]),
        )
        r = results[name]
        say(
            f"{name}: {r.value:,.3f} = {r.value / value:.2%} of hindsight, "
            f"{r.unassigned} unassigned, {r.seconds:.1f} s"
        )
    return Comparison(value, sol.bound, seconds, results)


def assignment_rows(instance: NationalInstance, result: YearResult) -> list[dict]:
    """One plain row per household of a simulated year (for a result file)."""
    munis = instance.municipalities
    return [
        {
            "household": h.id,
            "week": int(result.week_of[i]),
            "municipality": None
            if result.municipality_of[i] < 0
            else munis[result.municipality_of[i]].id,
        }
        for i, h in enumerate(instance.households)
    ]
