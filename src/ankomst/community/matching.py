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
  other than the local one.

A household left without a pair scores 0, so that every possible pair is worth more than
none. A volunteer with room for several households appears once per free place, each
further place scoring ``SPREAD`` less, so that equal pairs go to volunteers with no
household yet.

The assignment is solved as a minimum-weight full bipartite matching (SciPy's LAPJVsp)
over each household's ``candidates`` best volunteer places plus one "no match" column per
household. With ``candidates`` at least the number of volunteer places the result is the
exact optimum; below it, each household only considers its best ones, which
``bench/community.py`` measures against the exact assignment.
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
SPREAD = 0.05
LEVELS = {"native": 1.0, "fluent": 1.0, "good": 0.7, "basic": 0.4}
LOCAL_LANGUAGES = frozenset({"da", "sv"})
CANDIDATES = 40
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
    return tuple(out)


def _slots(volunteers: Sequence[Volunteer]) -> tuple[np.ndarray, np.ndarray]:
    """One column per free place: the volunteer's index and how many places come before it."""
    owner = np.repeat(np.arange(len(volunteers)), [max(v.free, 0) for v in volunteers])
    rank = np.concatenate([np.arange(max(v.free, 0)) for v in volunteers]) if len(owner) else owner
    return owner.astype(np.int64), rank.astype(np.int64)


def propose(
    households: Sequence[Household],
    volunteers: Sequence[Volunteer],
    *,
    candidates: int = CANDIDATES,
    alternatives: int = 3,
) -> Proposal:
    """The best assignment of the waiting households to the volunteers' free places."""
    nh = len(households)
    owner, rank = _slots(volunteers)
    ns = len(owner)
    if nh == 0 or ns == 0:
        return Proposal(
            [],
            [h.key for h in households],
            {h.key: [] for h in households},
            0.0,
            {h.key: h for h in households},
            {v.key: v for v in volunteers},
        )
    tables = _Tables(households, volunteers)
    nv = len(volunteers)
    k = min(max(candidates, alternatives + 1), nv)
    # Each volunteer's places follow one another; the first column of each.
    first = np.searchsorted(owner, np.arange(nv))
    free = np.bincount(owner, minlength=nv)
    rows, cols, vals = [], [], []
    alt: dict[int, list[tuple[int, float]]] = {}
    top = max(BASE + LANGUAGE + INTERESTS + PLACE + FAMILY + RESOURCE, 1.0) + 1.0
    for start in range(0, nh, CHUNK):
        block = slice(start, min(start + CHUNK, nh))
        score = tables.scores(block)
        score[:, free == 0] = -np.inf
        # A volunteer's further places score less than the first, so each household's best
        # places lie among its ``k`` best volunteers.
        pick = (
            np.argpartition(-score, k - 1, axis=1)[:, :k]
            if k < nv
            else np.broadcast_to(np.arange(nv), score.shape)
        )
        chosen = np.take_along_axis(score, pick, axis=1)
        order = np.argsort(-chosen, axis=1)
        pick = np.take_along_axis(pick, order, axis=1)
        chosen = np.take_along_axis(chosen, order, axis=1)
        for i in range(pick.shape[0]):
            ok = np.isfinite(chosen[i])
            alt[start + i] = list(
                zip(
                    pick[i][ok][: alternatives + 1].tolist(),
                    chosen[i][ok][: alternatives + 1].tolist(),
                    strict=True,
                )
            )
        ok = np.isfinite(chosen)
        r, j = np.nonzero(ok)
        vol = pick[r, j]
        base = chosen[r, j]
        reps = free[vol]
        slot_rank = np.concatenate([np.arange(n) for n in reps]) if reps.size else reps
        rows.append(np.repeat(r + start, reps))
        cols.append(np.repeat(first[vol], reps) + slot_rank)
        vals.append(top - (np.repeat(base, reps) - SPREAD * slot_rank))
    # One "no match" column per household, worth nothing: every household can be matched.
    rows.append(np.arange(nh))
    cols.append(ns + np.arange(nh))
    vals.append(np.full(nh, top, dtype=np.float32))
    matrix = csr_matrix(
        (np.concatenate(vals).astype(np.float64), (np.concatenate(rows), np.concatenate(cols))),
        shape=(nh, ns + nh),
    )
    row_ind, col_ind = min_weight_full_bipartite_matching(matrix)
    scores = top - np.asarray(matrix[row_ind, col_ind]).ravel()
    return _proposal(households, volunteers, owner, row_ind, col_ind, scores, alt, alternatives)


def propose_exact(households: Sequence[Household], volunteers: Sequence[Volunteer]) -> Proposal:
    """The exact optimum over every pair (dense; for tests and the benchmark's reference)."""
    nh = len(households)
    owner, rank = _slots(volunteers)
    if nh == 0 or len(owner) == 0:
        return Proposal([], [h.key for h in households], {}, 0.0)  # nothing to match
    score = _Tables(households, volunteers).scores(slice(0, nh))[:, owner] - SPREAD * rank
    gain = np.where(np.isfinite(score), score, 0.0)
    full = np.hstack([gain, np.zeros((nh, nh), dtype=np.float32)])
    row_ind, col_ind = linear_sum_assignment(full, maximize=True)
    keep = col_ind < len(owner)
    keep[keep] &= np.isfinite(score[row_ind[keep], col_ind[keep]])
    col_ind = np.where(keep, col_ind, len(owner) + row_ind)
    scores = np.where(keep, score[row_ind, np.minimum(col_ind, len(owner) - 1)], 0.0)
    return _proposal(households, volunteers, owner, row_ind, col_ind, scores, {}, 0)


def _proposal(households, volunteers, owner, row_ind, col_ind, scores, alt, alternatives):
    pairs, unmatched, total = [], [], 0.0
    chosen: dict[int, int] = {}
    ns = len(owner)
    for r, c, score in zip(row_ind.tolist(), col_ind.tolist(), scores.tolist(), strict=True):
        h = households[r]
        if c >= ns:
            unmatched.append(h.key)
            continue
        v = volunteers[owner[c]]
        total += score
        chosen[r] = int(owner[c])
        pairs.append(Pair(h.key, v.key, round(score, 3)))
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


def _pair_score(h: Household, v: Volunteer) -> float:
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
        total += _pair_score(h, by_key[p.volunteer]) - SPREAD * rank
    return round(total, 3)
