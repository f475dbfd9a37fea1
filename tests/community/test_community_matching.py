"""The matching engine: every hard rule holds, the result is the optimum of the stated score
(checked against the exact dense assignment), and the whole list beats first come first served."""

from hypothesis import given, settings
from hypothesis import strategies as st

from ankomst.community.matching import Household, Volunteer, evaluate, propose, propose_exact

LANGS = ["ar", "fa", "ti", "so", "uk", "da"]
LEVELS = ["native", "fluent", "good", "basic"]
INTERESTS = ["sport", "cooking", "music", "nature"]
PLACES = ["A", "B", "C"]
KINDS = ["contact_person", "network_family"]


@st.composite
def households(draw, key):
    langs = draw(st.dictionaries(st.sampled_from(LANGS), st.sampled_from(LEVELS), max_size=2))
    return Household(
        key=key,
        kind=draw(st.sampled_from(KINDS)),
        languages=langs,
        interests=frozenset(draw(st.sets(st.sampled_from(INTERESTS), max_size=3))),
        place=draw(st.sampled_from(PLACES)),
        children=draw(st.integers(0, 3)),
        volunteer_sex=draw(st.sampled_from(["", "", "F", "M"])),
    )


@st.composite
def volunteers(draw, key):
    return Volunteer(
        key=key,
        kinds=frozenset(draw(st.sets(st.sampled_from(KINDS), min_size=1))),
        sex=draw(st.sampled_from(["F", "M", "X"])),
        free=draw(st.integers(0, 3)),
        languages=draw(
            st.dictionaries(st.sampled_from(LANGS), st.sampled_from(LEVELS), max_size=3)
        ),
        interests=frozenset(draw(st.sets(st.sampled_from(INTERESTS), max_size=3))),
        place=draw(st.sampled_from(PLACES)),
        family=draw(st.booleans()),
        earlier_arrival=draw(st.booleans()),
        prefers=draw(st.sampled_from(["", "family", "adults"])),
    )


@st.composite
def instances(draw):
    nh = draw(st.integers(0, 12))
    nv = draw(st.integers(0, 10))
    return (
        [draw(households(i)) for i in range(nh)],
        [draw(volunteers(100 + j)) for j in range(nv)],
    )


def _check_hard_rules(hs, vs, proposal):
    by_h = {h.key: h for h in hs}
    by_v = {v.key: v for v in vs}
    used: dict[int, int] = {}
    assert len(proposal.pairs) + len(proposal.unmatched) == len(hs)
    assert len({p.household for p in proposal.pairs}) == len(proposal.pairs)
    for p in proposal.pairs:
        h, v = by_h[p.household], by_v[p.volunteer]
        assert h.kind in v.kinds
        assert not h.volunteer_sex or h.volunteer_sex == v.sex
        used[v.key] = used.get(v.key, 0) + 1
    for key, n in used.items():
        assert n <= by_v[key].free


@settings(max_examples=150, deadline=None)
@given(instances())
def test_the_proposal_keeps_every_hard_rule_and_is_optimal(instance):
    hs, vs = instance
    proposal = propose(hs, vs)
    _check_hard_rules(hs, vs, proposal)
    exact = propose_exact(hs, vs)
    _check_hard_rules(hs, vs, exact)
    assert abs(proposal.total - exact.total) < 1e-3
    assert abs(evaluate(hs, vs, proposal.pairs) - proposal.total) < 1e-2


@settings(max_examples=80, deadline=None)
@given(instances())
def test_with_few_candidates_the_rules_still_hold(instance):
    hs, vs = instance
    proposal = propose(hs, vs, candidates=1)
    _check_hard_rules(hs, vs, proposal)
    assert proposal.total <= propose_exact(hs, vs).total + 1e-3


def test_the_whole_list_beats_first_come_first_served():
    # The first household speaks Danish and Arabic; the second Arabic only. First come, first
    # served gives the Arabic-speaking volunteer to the first; matching the list gives her to the
    # second, and the first still meets someone it can talk to.
    early = Household(1, "contact_person", {"da": "good", "ar": "native"})
    late = Household(2, "contact_person", {"ar": "native"})
    amal = Volunteer(
        10, frozenset({"contact_person"}), "F", languages={"ar": "native", "da": "fluent"}
    )
    jens = Volunteer(11, frozenset({"contact_person"}), "M", languages={"da": "native"})
    proposal = propose([early, late], [amal, jens])
    assert proposal.pair_of(2).volunteer == 10
    assert proposal.pair_of(1).volunteer == 11
    assert ("language", {"code": "ar", "level": "native"}) in proposal.reasons(proposal.pair_of(2))


def test_nothing_to_match_gives_an_empty_proposal():
    h = Household(1, "contact_person")
    assert propose([], []).pairs == []
    assert propose([h], []).unmatched == [1]
    v = Volunteer(5, frozenset({"network_family"}), "F")
    assert propose([h], [v]).unmatched == [1]  # offers the other kind of help
    assert propose(
        [Household(2, "contact_person", volunteer_sex="M")],
        [Volunteer(6, frozenset({"contact_person"}), "F")],
    ).unmatched == [2]


@settings(max_examples=80, deadline=None)
@given(instance=instances())
def test_the_large_list_method_keeps_the_rules_and_beats_first_come_first_served(instance):
    import numpy as np

    from ankomst.community import matching

    hs, vs = instance
    original = matching.DENSE_LIMIT
    matching.DENSE_LIMIT = 0  # the method for long waiting lists, at a size a test can check
    try:
        proposal = propose(hs, vs, candidates=2)
    finally:
        matching.DENSE_LIMIT = original
    _check_hard_rules(hs, vs, proposal)
    exact = propose_exact(hs, vs)
    assert proposal.total <= exact.total + 1e-3
    if hs and vs:
        score = matching._score_matrix(hs, vs)
        free = np.array([v.free for v in vs])
        score[:, free == 0] = -np.inf
        greedy = matching._greedy(score, free)
        pairs = [matching.Pair(hs[i].key, vs[j].key, 0) for i, j in enumerate(greedy) if j >= 0]
        assert proposal.total >= evaluate(hs, vs, pairs) - 1e-2
