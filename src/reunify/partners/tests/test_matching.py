"""The ranking is pure: table tests and properties (hypothesis)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from reunify.partners import matching

TAGS = ["recovery", "domestic_violence", "incarceration", "child_welfare", "housing"]


def mentor(mentor_id=1, *, tags=(), languages=("English",), active=0, capacity=8, **kw):
    return matching.MentorFacts(
        mentor_id=mentor_id,
        name=kw.pop("name", f"M{mentor_id}"),
        experiences=frozenset(tags),
        languages=frozenset(languages),
        counties=frozenset(kw.pop("counties", ())),
        zip_codes=frozenset(kw.pop("zip_codes", ())),
        capacity=capacity,
        active_matches=active,
        is_active=kw.pop("is_active", True),
    )


def test_rank_orders_by_shared_experience_language_area_and_open_places():
    # given a parent in recovery who speaks Spanish in Alder county
    parent = matching.ParentFacts(
        experiences=frozenset({"recovery"}), language="spanish", county="Alder"
    )
    best = mentor(1, tags=["recovery"], languages=["Spanish"], counties=["alder"], active=5)
    other = mentor(2, tags=["housing"], languages=["English"], active=0)
    # when ranked
    ranked = matching.rank([other, best], parent)
    # then the mentor sharing experience, language and county comes first, with the reasons
    assert [r.mentor_id for r in ranked] == [1, 2]
    assert ranked[0].shared_experiences == ("recovery",)
    assert ranked[0].language == "Spanish"
    assert ranked[0].area == "county"
    assert (ranked[0].open_places, ranked[0].capacity) == (3, 8)
    assert ranked[0].score == 3 + 4 + 2 + 3


def test_zip_beats_county_and_inactive_or_full_mentors_are_never_ranked():
    parent = matching.ParentFacts(experiences=frozenset(), zip_code="63101", county="Alder")
    by_zip = mentor(1, zip_codes=["63101"], counties=["Alder"])
    assert matching.score(by_zip, parent).area == "zip"
    full = mentor(2, active=8, capacity=8)
    inactive = mentor(3, is_active=False)
    assert [r.mentor_id for r in matching.rank([full, inactive, by_zip], parent)] == [1]


mentors = st.builds(
    mentor,
    st.integers(1, 1000),
    tags=st.lists(st.sampled_from(TAGS), unique=True),
    languages=st.lists(st.sampled_from(["English", "Spanish", "Vietnamese"]), unique=True),
    active=st.integers(0, 12),
    capacity=st.integers(1, 12),
    counties=st.lists(st.sampled_from(["Alder", "Birch"]), unique=True),
    zip_codes=st.lists(st.sampled_from(["63101", "63102"]), unique=True),
    is_active=st.booleans(),
)
parents = st.builds(
    matching.ParentFacts,
    experiences=st.frozensets(st.sampled_from(TAGS)),
    language=st.sampled_from(["", "English", "Spanish"]),
    county=st.sampled_from(["", "Alder", "Birch"]),
    zip_code=st.sampled_from(["", "63101", "63102"]),
)


@given(st.lists(mentors, max_size=8), parents)
def test_a_mentor_at_capacity_or_inactive_is_never_ranked(candidates, parent):
    ranked = matching.rank(candidates, parent)
    open_ = [m for m in candidates if m.is_active and m.active_matches < m.capacity]
    assert len(ranked) == len(open_)
    assert sorted(r.mentor_id for r in ranked) == sorted(m.mentor_id for m in open_)
    assert all(r.open_places > 0 for r in ranked)


@given(mentors, parents, st.sampled_from(TAGS))
def test_adding_a_shared_tag_never_lowers_the_score(m, parent, tag):
    before = matching.score(m, parent).score
    more = matching.MentorFacts(
        **{**{f: getattr(m, f) for f in m.__slots__}, "experiences": m.experiences | {tag}}
    )
    richer_parent = matching.ParentFacts(
        experiences=parent.experiences | {tag},
        language=parent.language,
        county=parent.county,
        zip_code=parent.zip_code,
    )
    assert matching.score(more, richer_parent).score >= before
    assert matching.score(more, parent).score >= before


@given(mentors, parents)
def test_a_freed_place_never_lowers_the_score(m, parent):
    if m.active_matches == 0:
        return
    freed = matching.MentorFacts(
        **{**{f: getattr(m, f) for f in m.__slots__}, "active_matches": m.active_matches - 1}
    )
    assert matching.score(freed, parent).score >= matching.score(m, parent).score


@given(st.lists(mentors, max_size=8), parents)
def test_ranking_is_sorted_and_scores_are_explained(candidates, parent):
    ranked = matching.rank(candidates, parent)
    assert [r.score for r in ranked] == sorted((r.score for r in ranked), reverse=True)
    for r in ranked:
        expected = (
            3 * len(r.shared_experiences)
            + (4 if r.language else 0)
            + {"zip": 3, "county": 2}.get(r.area, 0)
            + r.open_places
        )
        assert r.score == expected
        assert 0 < r.open_places <= r.capacity


def test_matching_imports_no_django():
    import ast
    from pathlib import Path

    tree = ast.parse(Path(matching.__file__).read_text(encoding="utf-8"))
    names = [
        n.module if isinstance(n, ast.ImportFrom) else a.name
        for n in ast.walk(tree)
        if isinstance(n, ast.Import | ast.ImportFrom)
        for a in (n.names if isinstance(n, ast.Import) else [n])
    ]
    assert not [n for n in names if n and n.split(".")[0] == "django"]
