"""Matching households that wait for a contact person or a network family to volunteers.

Pure: plain dataclasses in, a ``Proposal`` out, NumPy and SciPy in between; no Django.

The whole waiting list is matched at once, as an assignment that maximises the sum of the
pairs' scores, instead of first come, first served (where an early household takes the only
Arabic-speaking volunteer that a later one, who speaks nothing else, needed).

A pair is possible only if the volunteer offers what the household asks for (contact person,
network family), is of the sex the household wished for if it wished one, and has room for
another household. A possible pair scores ``BASE`` plus:

- language: for the best language both speak, ``LANGUAGE`` (``LOCAL_LANGUAGE`` for the
  country's own language) times the lower of the two levels (native or fluent 1, good 0.7,
  basic 0.4);
- interests: ``INTERESTS`` times the share of the household's interests the volunteer shares;
- place: ``PLACE`` if both live in the same town or district;
- family: ``FAMILY`` if a household with children meets a volunteer family with children;
- resource person: ``RESOURCE`` if the volunteer came as a refugee and shares a language
  other than the local one;
- the volunteer's wish: ``WISH`` if the volunteer would rather meet a family with children
  and the household has children, or adults without children and it has none.

A household left without a pair scores 0, so that every possible pair is worth more than
none. A volunteer with room for several households appears once per free place, each
further place scoring ``SPREAD`` less, so that equal pairs go to volunteers with no
household yet.

Up to ``DENSE_LIMIT`` household x place pairs (a waiting list of a few hundred) the exact
optimum is solved over every pair (SciPy's LAPJV). Above it, each household considers its
``CANDIDATES`` best volunteers (ties broken at random per household, so that alike
households do not all consider the same few), the optimum over those pairs is solved as a
minimum-weight full bipartite matching (SciPy's LAPJVsp, with a "no match" column per
household), and then, in up to ``ROUNDS`` rounds, every household that would gain by a
volunteer with a place still free gets its best such volunteers as candidates and all is
solved again. The pairs first come, first served would make are candidates too, so the result is never
worse than it. The result keeps every hard rule; how far it is from the exact optimum is
measured by ``bench/community.py`` on instance families built for the purpose (0.05 % or
less in the worst case of every family).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import linear_sum_assignment
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

BASE = 1.0
LANGUAGE = 3.0
LOCAL_LANGUAGE = 1.0
INTERESTS = 2.0
PLACE = 2.0
FAMILY = 1.5
RESOURCE = 0.5
WISH = 1.0
SPREAD = 0.05
LEVELS = {"native": 1.0, "fluent": 1.0, "good": 0.7, "basic": 0.4}
LOCAL_LANGUAGES = frozenset({"da", "sv"})
CANDIDATES = 200
# Up to this many household x place pairs the exact dense assignment is solved (about 1 s).
DENSE_LIMIT = 4_000_000
# Rounds of adding candidates where a household would gain by a volunteer still free.
ROUNDS = 2
# Below every difference of score that the weights can make (the smallest is SPREAD).
TIE_BREAK = 0.01
CHUNK = 512


@dataclass(frozen=True)
class Household:
    key: int
    kind: str
    languages: dict[str, str] = field(default_factory=dict)
    interests: frozenset[str] = frozenset()
    place: str = ""
    children: int = 0
    volunteer_sex: str = ""  # "" for no wish, else "F" or "M"


@dataclass(frozen=True)
class Volunteer:
    key: int
    kinds: frozenset[str]
    sex: str
    free: int = 1
    languages: dict[str, str] = field(default_factory=dict)
    interests: frozenset[str] = frozenset()
    place: str = ""
    family: bool = False  # a family with children of its own
    earlier_arrival: bool = False
    prefers: str = ""  # "" no preference, "family" with children, "adults" without


@dataclass(frozen=True)
class Pair:
    household: int
    volunteer: int
    score: float


@dataclass
class Proposal:
    pairs: list[Pair]
    unmatched: list[int]
    alternatives: dict[int, list[Pair]]
    total: float
    households: dict[int, Household] = field(default_factory=dict, repr=False)
    volunteers: dict[int, Volunteer] = field(default_factory=dict, repr=False)

    def pair_of(self, household: int) -> Pair | None:
        return next((p for p in self.pairs if p.household == household), None)

    def reasons(self, pair: Pair) -> tuple[tuple[str, dict], ...]:
        """Why the pair scores what it does, as codes with parameters (words at display)."""
        return reasons(self.households[pair.household], self.volunteers[pair.volunteer])


def _place_key(place: str) -> str:
    return " ".join(place.casefold().split())


class _Tables:
    """The two sides as arrays: languages by level, interests as 0/1, places as codes."""

    def __init__(self, households: Sequence[Household], volunteers: Sequence[Volunteer]):
        codes = sorted({c for x in [*households, *volunteers] for c in x.languages})
        self.languages = codes
        index = {c: i for i, c in enumerate(codes)}
        interests = sorted({i for x in [*households, *volunteers] for i in x.interests})
        self.interest_names = interests
        interest_index = {c: i for i, c in enumerate(interests)}
        places = {
            p: i
            for i, p in enumerate(sorted({_place_key(x.place) for x in [*households, *volunteers]}))
        }

        def language_matrix(rows):
            m = np.zeros((len(rows), len(codes)), dtype=np.float32)
            for r, x in enumerate(rows):
                for code, level in x.languages.items():
                    m[r, index[code]] = LEVELS.get(level, 0.0)
            return m

        def interest_matrix(rows):
            m = np.zeros((len(rows), len(interests)), dtype=np.float32)
            for r, x in enumerate(rows):
                for name in x.interests:
                    m[r, interest_index[name]] = 1.0
            return m

        self.h_lang = language_matrix(households)
        self.v_lang = language_matrix(volunteers)
        self.h_int = interest_matrix(households)
        self.v_int = interest_matrix(volunteers)
        self.h_place = np.array([places[_place_key(h.place)] for h in households], dtype=np.int64)
        self.v_place = np.array([places[_place_key(v.place)] for v in volunteers], dtype=np.int64)
        self.weight = np.array(
            [LOCAL_LANGUAGE if c in LOCAL_LANGUAGES else LANGUAGE for c in codes], dtype=np.float32
        )
        self.local = np.array([c in LOCAL_LANGUAGES for c in codes], dtype=bool)
        kinds = sorted({h.kind for h in households} | {k for v in volunteers for k in v.kinds})
        self.h_kind = np.array([kinds.index(h.kind) for h in households], dtype=np.int64)
        self.v_kinds = np.array(
            [[k in v.kinds for k in kinds] for v in volunteers], dtype=bool
        ).reshape(len(volunteers), len(kinds))
        self.h_sex = np.array([h.volunteer_sex for h in households])
        self.v_sex = np.array([v.sex for v in volunteers])
        self.h_children = np.array([h.children > 0 for h in households], dtype=bool)
        self.v_family = np.array([v.family for v in volunteers], dtype=bool)
        self.v_earlier = np.array([v.earlier_arrival for v in volunteers], dtype=bool)
        self.v_wants_family = np.array([v.prefers == "family" for v in volunteers], dtype=bool)
        self.v_wants_adults = np.array([v.prefers == "adults" for v in volunteers], dtype=bool)
        self.h_int_count = np.maximum(self.h_int.sum(axis=1), 1.0)

    def scores(self, rows: slice) -> np.ndarray:
        """Scores of the households in ``rows`` against every volunteer; -inf where impossible."""
        h_lang = self.h_lang[rows]
        n = h_lang.shape[0]
        best = np.zeros((n, self.v_lang.shape[0]), dtype=np.float32)
        foreign = np.zeros_like(best, dtype=bool)
        for col in range(len(self.languages)):
            h = h_lang[:, col]
            present = np.flatnonzero(h)
            if present.size == 0 or not self.v_lang[:, col].any():
                continue
            common = np.minimum(h[present, None], self.v_lang[None, :, col]) * self.weight[col]
            np.maximum(best[present], common, out=common)
            best[present] = common
            if not self.local[col]:
                foreign[present] |= (h[present, None] > 0) & (self.v_lang[None, :, col] > 0)
        score = BASE + best
        if self.h_int.shape[1]:
            shared = self.h_int[rows] @ self.v_int.T
            score += INTERESTS * shared / self.h_int_count[rows, None]
        score += PLACE * (self.h_place[rows, None] == self.v_place[None, :])
        score += FAMILY * (self.h_children[rows, None] & self.v_family[None, :])
        score += RESOURCE * (foreign & self.v_earlier[None, :])
        kids = self.h_children[rows, None]
        score += WISH * (
            (kids & self.v_wants_family[None, :]) | (~kids & self.v_wants_adults[None, :])
        )
        possible = self.v_kinds[:, self.h_kind[rows]].T
        wish = self.h_sex[rows]
        possible &= (wish[:, None] == "") | (wish[:, None] == self.v_sex[None, :])
        return np.where(possible, score, -np.inf).astype(np.float32)


def reasons(h: Household, v: Volunteer) -> tuple[tuple[str, dict], ...]:
    out: list[tuple[str, dict]] = []
    common = [
        (LEVELS.get(h.languages[c], 0) * (LOCAL_LANGUAGE if c in LOCAL_LANGUAGES else LANGUAGE), c)
        for c in h.languages
        if c in v.languages
    ]
    if common:
        code = max(common)[1]
        level = min((h.languages[code], v.languages[code]), key=lambda lv: LEVELS.get(lv, 0))
        out.append(("language", {"code": code, "level": level}))
    shared = sorted(h.interests & v.interests)
    if shared:
        out.append(("interests", {"codes": shared}))
    if h.place and _place_key(h.place) == _place_key(v.place):
        out.append(("place", {"place": v.place}))
    if h.children and v.family:
        out.append(("family", {}))
    if v.earlier_arrival and any(c not in LOCAL_LANGUAGES for c in h.languages if c in v.languages):
        out.append(("resource", {}))
    if (v.prefers == "family" and h.children) or (v.prefers == "adults" and not h.children):
        out.append(("wish", {}))
    return tuple(out)


def _slots(volunteers: Sequence[Volunteer]) -> tuple[np.ndarray, np.ndarray]:
    """One column per free place: the volunteer's index and how many places come before it."""
    free = np.array([max(v.free, 0) for v in volunteers], dtype=np.int64)
    return np.repeat(np.arange(len(volunteers)), free), _ranks(free)


def propose(
    households: Sequence[Household],
    volunteers: Sequence[Volunteer],
    *,
    candidates: int = CANDIDATES,
    alternatives: int = 3,
    rounds: int = ROUNDS,
) -> Proposal:
    """The best assignment of the waiting households to the volunteers' free places."""
    nh, nv = len(households), len(volunteers)
    owner, _rank = _slots(volunteers)
    if nh == 0 or len(owner) == 0:
        return Proposal(
            [],
            [h.key for h in households],
            {h.key: [] for h in households},
            0.0,
            {h.key: h for h in households},
            {v.key: v for v in volunteers},
        )
    free = np.bincount(owner, minlength=nv)
    score = _score_matrix(households, volunteers)
    score[:, free == 0] = -np.inf
    if nh * len(owner) <= DENSE_LIMIT:
        alt = _alternatives(score, np.broadcast_to(np.arange(nv), score.shape), alternatives)
        row_ind, vol_ind, gained = _solve_dense(score, owner, _rank)
        return _proposal(households, volunteers, row_ind, vol_ind, gained, alt, alternatives)
    k = min(max(candidates, alternatives + 1), nv)
    inset = np.zeros((nh, nv), dtype=bool)
    rng = np.random.default_rng(0)
    picks = _add_best(score, inset, np.arange(nh), k, rng)
    alt = _alternatives(score, picks, alternatives)
    # First come, first served is a feasible assignment: its pairs are candidates too, so the
    # result is never worse than it.
    greedy = _greedy(score, free)
    matched = greedy >= 0
    inset[np.flatnonzero(matched), greedy[matched]] = True
    for _ in range(rounds):
        row_ind, vol_ind, gained = _solve(score, inset, free)
        # The households that would gain by a volunteer with a place still free, which the
        # candidates left out, get their best such volunteers as candidates, and all is solved
        # again: alike households that all considered the same few volunteers spread out.
        used = np.bincount(vol_ind[vol_ind >= 0], minlength=nv)
        open_score = np.where((used < free)[None, :] & ~inset, score, -np.inf)
        better = np.flatnonzero(open_score.max(axis=1) > gained + 1e-6)
        if better.size == 0:
            break
        _add_best(open_score, inset, better, k, rng)
    else:
        row_ind, vol_ind, gained = _solve(score, inset, free)
    return _proposal(households, volunteers, row_ind, vol_ind, gained, alt, alternatives)


def _add_best(score: np.ndarray, inset: np.ndarray, rows: np.ndarray, k: int, rng) -> np.ndarray:
    """Mark each row's ``k`` best possible volunteers as candidates; returns them per row.

    Among volunteers who score the same for a household (many do: the same place, no shared
    language) each household draws its own, by a random tie-break far below any difference
    the weights make, so that alike households do not all consider the same few volunteers.
    """
    picks = np.empty((rows.size, k), dtype=np.int64)
    for start in range(0, rows.size, CHUNK):
        block = rows[start : start + CHUNK]
        part = score[block]
        jittered = part + rng.random(part.shape, dtype=np.float32) * TIE_BREAK
        pick = np.argpartition(-jittered, k - 1, axis=1)[:, :k]
        picks[start : start + block.size] = pick
        ok = np.isfinite(np.take_along_axis(part, pick, axis=1))
        r = np.repeat(block, k).reshape(-1, k)
        inset[r[ok], pick[ok]] = True
    return picks


def _alternatives(score: np.ndarray, picks: np.ndarray, alternatives: int):
    """Each household's best volunteers among ``picks`` (its candidates), best first."""
    chosen = np.take_along_axis(score, picks, axis=1)
    m = min(alternatives + 1, picks.shape[1])
    order = np.argsort(-chosen, axis=1, kind="stable")[:, :m]
    best = np.take_along_axis(chosen, order, axis=1)
    ids = np.take_along_axis(picks, order, axis=1)
    return {
        i: [(j, s) for j, s in zip(ids[i].tolist(), best[i].tolist(), strict=True) if s != -np.inf]
        for i in range(picks.shape[0])
    }


def _greedy(score: np.ndarray, free: np.ndarray) -> np.ndarray:
    """First come, first served: each household in turn takes its best volunteer with a free
    place (a further place counting ``SPREAD`` less). Per household the volunteer, or -1."""
    used = np.zeros(free.size, dtype=np.int64)
    out = np.full(score.shape[0], -1, dtype=np.int64)
    value = np.where(free > 0, 0.0, -np.inf).astype(np.float32)
    for i in range(score.shape[0]):
        row = score[i] + value
        best = int(np.argmax(row))
        if row[best] > -np.inf:
            out[i] = best
            used[best] += 1
            value[best] = -np.inf if used[best] >= free[best] else -SPREAD * used[best]
    return out


def _ranks(counts: np.ndarray) -> np.ndarray:
    """0, 1, ..., n-1 for each n in ``counts``, one after the other (vectorised)."""
    total = int(counts.sum())
    return np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)


def _solve(score: np.ndarray, inset: np.ndarray, free: np.ndarray):
    """The optimum over the candidate pairs: per household the volunteer (-1 for none) and
    the score it gains."""
    nh, nv = score.shape
    r, v = np.nonzero(inset)
    reps = free[v]
    first = np.concatenate([[0], np.cumsum(free)[:-1]])
    slot_rank = _ranks(reps)
    top = float(np.max(score[inset])) + 1.0 if r.size else 1.0
    ns = int(free.sum())
    rows = np.concatenate([np.repeat(r, reps), np.arange(nh)])
    cols = np.concatenate([np.repeat(first[v], reps) + slot_rank, ns + np.arange(nh)])
    gains = np.concatenate([np.repeat(score[r, v], reps) - SPREAD * slot_rank, np.zeros(nh)])
    matrix = csr_matrix(((top + 1.0) - gains, (rows, cols)), shape=(nh, ns + nh))
    row_ind, col_ind = min_weight_full_bipartite_matching(matrix)
    owner = np.repeat(np.arange(nv), free)
    vol_ind = np.full(nh, -1, dtype=np.int64)
    gained = np.zeros(nh)
    real = col_ind < ns
    vol_ind[row_ind[real]] = owner[col_ind[real]]
    gained[row_ind] = (top + 1.0) - np.asarray(matrix[row_ind, col_ind]).ravel()
    return np.arange(nh), vol_ind, gained


def _score_matrix(households, volunteers) -> np.ndarray:
    tables = _Tables(households, volunteers)
    nh = len(households)
    out = np.empty((nh, len(volunteers)), dtype=np.float32)
    for start in range(0, nh, CHUNK):
        block = slice(start, min(start + CHUNK, nh))
        out[block] = tables.scores(block)
    return out


def _solve_dense(score: np.ndarray, owner: np.ndarray, rank: np.ndarray):
    """The exact optimum over every pair: SciPy's LAPJV on the household x place matrix, an
    impossible pair worth nothing (every possible one is worth at least BASE, so a household
    given a pair worth nothing is left without a match)."""
    nh = score.shape[0]
    gain = score[:, owner] - SPREAD * rank[None, :]
    possible = np.isfinite(gain)
    gain[~possible] = 0.0
    row_ind, col_ind = linear_sum_assignment(gain, maximize=True)
    real = possible[row_ind, col_ind]
    vol_ind = np.full(nh, -1, dtype=np.int64)
    gained = np.zeros(nh)
    vol_ind[row_ind[real]] = owner[col_ind[real]]
    gained[row_ind[real]] = gain[row_ind[real], col_ind[real]]
    return np.arange(nh), vol_ind, gained


def propose_exact(households: Sequence[Household], volunteers: Sequence[Volunteer]) -> Proposal:
    """The exact optimum at any size (dense; the benchmark's reference for the gap)."""
    owner, rank = _slots(volunteers)
    if not households or len(owner) == 0:
        return Proposal([], [h.key for h in households], {}, 0.0)  # nothing to match
    score = _score_matrix(households, volunteers)
    row_ind, vol_ind, gained = _solve_dense(score, owner, rank)
    return _proposal(households, volunteers, row_ind, vol_ind, gained, {}, 0)


def _proposal(households, volunteers, row_ind, vol_ind, gained, alt, alternatives):
    pairs, unmatched, total = [], [], 0.0
    for r, v, score in zip(row_ind.tolist(), vol_ind.tolist(), gained.tolist(), strict=True):
        h = households[r]
        if v < 0:
            unmatched.append(h.key)
            continue
        total += score
        pairs.append(Pair(h.key, volunteers[v].key, round(score, 3)))
    chosen = dict(zip(row_ind.tolist(), vol_ind.tolist(), strict=True))
    alternatives_by_key = {}
    for r, h in enumerate(households):
        others = [(j, s) for j, s in alt.get(r, []) if j != chosen.get(r)][:alternatives]
        alternatives_by_key[h.key] = [
            Pair(h.key, volunteers[j].key, round(s, 3)) for j, s in others
        ]
    pairs.sort(key=lambda p: p.household)
    return Proposal(
        pairs,
        sorted(unmatched),
        alternatives_by_key,
        round(total, 3),
        {h.key: h for h in households},
        {v.key: v for v in volunteers},
    )


def pair_score(h: Household, v: Volunteer) -> float:
    """The score of one pair (its first place); -inf where a hard rule forbids it."""
    value = _Tables([h], [v]).scores(slice(0, 1))[0, 0]
    return float(value) if np.isfinite(value) else float("-inf")


def evaluate(households: Sequence[Household], volunteers: Sequence[Volunteer], pairs) -> float:
    """The objective of any assignment (for tests): the sum of its pairs' scores."""
    by_key = {v.key: v for v in volunteers}
    used: dict[int, int] = {}
    total = 0.0
    for p in pairs:
        rank = used.get(p.volunteer, 0)
        used[p.volunteer] = rank + 1
        h = next(h for h in households if h.key == p.household)
        total += pair_score(h, by_key[p.volunteer]) - SPREAD * rank
    return round(total, 3)
