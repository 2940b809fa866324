"""The demo's episode timelines (cases/demo_timeline.py): deterministic for a seed, internally
consistent, the demo's shapes, and valid §11 extracts on which both indicator engines agree."""

from __future__ import annotations

import itertools
import random
from collections import Counter
from datetime import date, timedelta

import pytest

from reunify.cases import demo_timeline as timeline
from reunify.outcomes import engine
from reunify.outcomes import indicators as rules
from reunify.outcomes.extract import read_extract

AS_OF = date(2026, 11, 1)
HOMES = [(f"P{i}", s) for i, s in enumerate(["foster_family_nonrelative"] * 6 + ["group_home"])]


def _children(seed: int, count: int) -> list[tuple[str, date, str, list[timeline.Timeline[str]]]]:
    """(child id, date of birth, family outcome, episodes) drawn as the benchmark draws them."""
    rng = random.Random(seed)
    children = []
    for index in range(count):
        opened = timeline.case_opened_on(rng, AS_OF)
        born = min(
            timeline.birth_date(rng, age=timeline.child_age(rng, 30), as_of=AS_OF),
            opened - timedelta(days=20),
        )
        ends = timeline.outcome(rng)
        episodes = timeline.child_episodes(
            rng,
            removed=timeline.removed_on(rng, opened, AS_OF),
            as_of=AS_OF,
            ends=ends,
            born=born,
            first_home=("KIN", timeline.FOSTER_FAMILY_RELATIVE),
            pick_home=lambda: rng.choice(HOMES),
        )
        children.append((f"C{index:04d}", born, ends, episodes))
    return children


def test_the_same_seed_draws_the_same_timelines():
    assert _children(7, 50) == _children(7, 50)
    assert _children(7, 50) != _children(8, 50)


def test_timelines_are_consistent():
    for _child, born, ends, episodes in _children(1, 2000):
        assert len(episodes) in (1, 2)
        for number, episode in enumerate(episodes):
            stays = episode.stays
            assert stays[0].start == episode.removed_on
            assert stays[0].home == "KIN" if number == 0 else stays[0].home in dict(HOMES)
            for stay, following in itertools.pairwise(stays):
                assert stay.end == following.start  # no gaps, no overlaps
                assert stay.start < following.start
            assert stays[-1].end == episode.discharged_on
            if episode.discharged_on is None:
                assert episode.discharge_reason is None
            else:
                stay_days = (episode.discharged_on - episode.removed_on).days
                assert 60 <= stay_days <= 700 or episode.discharged_on == AS_OF  # cut at as-of
                assert stay_days > 45
                assert episode.discharged_on <= AS_OF
            for stay in stays:
                assert (stay.home is None) == (stay.setting in ("runaway", "trial_home_visit"))
                if stay.setting == "runaway":
                    assert stay is stays[-1] or stays[-1].setting == "trial_home_visit"
                    assert (episode.removed_on - born).days >= 13 * 365
                if stay.setting == "trial_home_visit":
                    assert stay is stays[-1]
                    assert ends == timeline.REUNIFIED
                    assert 30 <= (episode.discharged_on - stay.start).days <= 150
        first = episodes[0]
        if ends == timeline.IN_CARE:
            assert first.discharged_on is None
        elif first.discharged_on is not None:
            expected = {timeline.OTHER_EXIT: set(timeline.OTHER_EXITS)}.get(
                ends, {timeline.REUNIFICATION}
            )
            assert first.discharge_reason in expected
        if len(episodes) == 2:
            again = episodes[1]
            assert ends == timeline.REENTRY
            assert 40 <= (again.removed_on - first.discharged_on).days <= 300
            assert again.removed_on < AS_OF - timedelta(days=3)
            assert again.discharged_on is None


def test_the_demo_shapes():
    children = _children(2, 4000)
    outcomes = Counter(ends for _c, _b, ends, _e in children)
    assert 0.53 < outcomes[timeline.IN_CARE] / 4000 < 0.63  # weight 58 of 100
    assert 0.03 < outcomes[timeline.REENTRY] / 4000 < 0.11
    firsts = [episodes[0] for _c, _b, _e, episodes in children]
    removed = [(AS_OF - e.removed_on).days for e in firsts]
    assert max(removed) <= 1300
    assert sum(d < 400 for d in removed) > len(removed) / 3
    # 50% of episodes never move (the demo's weights 50/30/14/6 for 0-3 moves).
    homes = Counter(sum(s.home is not None for s in e.stays) for e in firsts)
    assert 0.45 < homes[1] / len(firsts) < 0.65
    assert homes[4] > 0
    reunified = [
        e for (_c, _b, ends, [e, *_]) in children if ends == "reunified" and e.discharged_on
    ]
    with_thv = [e for e in reunified if e.stays[-1].setting == "trial_home_visit"]
    assert 0.35 < len(with_thv) / len(reunified) < 0.65  # 60%, when the visit fits the stay
    assert any(len(episodes) == 2 for _c, _b, _e, episodes in children)


@pytest.mark.parametrize("period_start", [date(2024, 1, 1), date(2025, 10, 1)])
def test_timelines_make_a_valid_extract_on_which_the_engines_agree(tmp_path, period_start):
    episodes, placements = [], []
    for child, born, _ends, timelines in _children(3, 600):
        for t in timelines:
            episodes.append(
                rules.Episode(child, born, t.removed_on, t.discharged_on, t.discharge_reason)
            )
            placements += [
                rules.Placement(child, t.removed_on, s.start, s.end, s.setting, s.home or "")
                for s in t.stays
            ]
    paths = engine.write_csv_pair(tmp_path, episodes, placements)
    extract = read_extract(*paths, strict=True)  # refuses any malformed row
    assert len(extract.episodes) == len(episodes)
    pure = rules.compute(episodes, placements, period_start=period_start, as_of=AS_OF)
    duck = engine.compute_csv(*paths, period_start=period_start, as_of=AS_OF)
    assert duck.as_dict() == pure.as_dict()
    assert pure.results[rules.PERM12_ENTRIES].denominator > 50
