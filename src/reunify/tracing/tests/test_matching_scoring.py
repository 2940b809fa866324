"""Pair scoring of the tracing matcher: every comparison rule on hand-built pairs, and the
explanations (no database)."""

from dataclasses import replace
from datetime import date

import pytest

from reunify.tracing.matching import (
    FieldEvidence,
    MatchModel,
    PartialDate,
    TracingRecord,
    score_pair,
)

MODEL = MatchModel.default()

# A Somali boy as his father describes him in a tracing request ...
SOUGHT = TracingRecord(
    record_id="R1#1",
    given_name="Mohamed",
    family_name="Hassan",
    sex="M",
    age_estimate=8,
    reference_date=date(2023, 5, 15),
    place_of_origin=("Somalia", "Bay", "Baidoa", "Buulo Fulay"),
    place_of_separation=("Kenya", "Garissa", "Dadaab", ""),
    date_of_separation=PartialDate(2023, 5),
    father_name="Hassan Ali",
    mother_name="Amina Yusuf",
    requester_name="Hassan Ali",
    requester_relationship="father",
)
# ... and as he was registered, in his own words, ten months later.
CHILD = TracingRecord(
    record_id="C1",
    given_name="Mohamed",
    family_name="Hassan",
    sex="M",
    age_estimate=9,
    reference_date=date(2024, 3, 2),
    place_of_origin=("Somalia", "Bay", "Baidoa", "Buulo Fulay"),
    place_of_separation=("Kenya", "Garissa", "Dadaab", ""),
    date_of_separation=PartialDate(2023, 5, 20),
    father_name="Hassan",
    mother_name="Amina",
)


def _evidence(match, field) -> FieldEvidence:
    return next(item for item in match.evidence if item.field == field)


def _level(request: TracingRecord, child: TracingRecord, field: str) -> str:
    return _evidence(score_pair(MODEL, request, child), field).level


def test_the_same_child_told_twice_is_a_match():
    match = score_pair(MODEL, SOUGHT, CHILD)
    assert match.probability > 0.99
    assert (match.request_id, match.child_id) == ("R1#1", "C1")
    assert [item.field for item in match.evidence][:7] == [
        "given_name",
        "family_name",
        "birth",
        "sex",
        "place",
        "separation_date",
        "parents",
    ]


@pytest.mark.parametrize(
    ("sought", "registered", "level"),
    [
        ("Mohamed", "Mohamed", "exact"),
        ("Mohammed", "Muhamad", "transliteration"),
        ("Oleksandr", "Aleksandr", "transliteration"),
        ("Youssef", "Yusuf", "transliteration"),
        ("Joseph", "Yusuf", "transliteration"),
        ("Abdullahi", "Abdi", "nickname"),
        ("Aleksandr", "Sasha", "nickname"),
        ("José", "Chepe", "nickname"),
        ("William", "Bill", "nickname"),
        ("Mohamed", "Mohamd", "typo"),
        ("Maria Jose", "Maria", "typo"),  # Jaro-Winkler rewards the common start
        ("Maria Jose", "Jose", "partial"),
        ("Ahmed", "Fatima", "else"),
    ],
)
def test_given_name_levels(sought, registered, level):
    assert (
        _level(
            replace(SOUGHT, given_name=sought), replace(CHILD, given_name=registered), "given_name"
        )
        == level
    )


def test_a_nickname_given_as_the_name_finds_the_name_among_other_names():
    child = replace(CHILD, given_name="Moha", other_names=("Mahad",))
    sought = replace(SOUGHT, given_name="Mahad")
    assert _level(sought, child, "given_name") == "other_name"


def test_swapped_given_and_family_names():
    child = replace(CHILD, given_name="Hassan", family_name="Mohamed", father_name="")
    sought = replace(SOUGHT, father_name="", requester_name="")
    match = score_pair(MODEL, sought, child)
    assert _evidence(match, "given_name").level == "swapped"
    assert _evidence(match, "family_name").level == "swapped"
    assert match.probability > 0.9


def test_a_child_who_knows_only_a_first_name_is_missing_not_disagreeing():
    child = replace(CHILD, family_name="", father_name="", mother_name="")
    match = score_pair(MODEL, SOUGHT, child)
    assert _evidence(match, "family_name").level == "missing"
    assert _evidence(match, "family_name").weight == 0
    assert match.probability > 0.9


def test_patronymic_family_name_is_compared_with_the_fathers_given_name():
    # East African: the child gives the grandfather's name as family name on the request,
    # the father's given name on registration
    sought = replace(SOUGHT, family_name="Ali")
    child = replace(CHILD, family_name="Hassan")
    assert _level(sought, child, "family_name") == "patronymic"


def test_the_requesters_own_name_counts_as_the_fathers_name():
    sought = replace(SOUGHT, father_name="", family_name="Ali")
    assert _level(sought, CHILD, "family_name") == "patronymic"
    assert _level(sought, CHILD, "parents") == "both"


def test_two_surnames_against_one():
    sought = replace(SOUGHT, family_name="Hernández López")
    child = replace(CHILD, family_name="Hernandez")
    assert _level(sought, child, "family_name") == "surname_part"


@pytest.mark.parametrize(
    ("sought_birth", "child_birth", "level"),
    [
        # (date of birth, age at reference date) on each side
        ((PartialDate(2015, 3, 2), None), (PartialDate(2015, 3, 2), None), "exact"),
        ((PartialDate(2015, 3, 2), None), (PartialDate(2015, 3), None), "date_close"),
        ((PartialDate(2015, 3, 2), None), (PartialDate(2015, 11, 2), None), "date_year"),
        ((None, 8), (None, 9), "estimate_consistent"),
        ((None, 8), (None, 10), "estimate_1y"),
        ((None, 8), (None, 12), "estimate_3y"),
        ((None, 8), (None, 15), "else"),
        ((PartialDate(2015, 3, 2), None), (None, 9), "estimate_consistent"),
        ((PartialDate(2015, 3, 2), None), (PartialDate(2009, 3, 2), None), "else"),
        ((None, None), (None, 9), "missing"),
    ],
)
def test_birth_levels_respect_estimates(sought_birth, child_birth, level):
    sought = replace(SOUGHT, date_of_birth=sought_birth[0], age_estimate=sought_birth[1])
    child = replace(CHILD, date_of_birth=child_birth[0], age_estimate=child_birth[1])
    assert _level(sought, child, "birth") == level


def test_an_age_estimate_off_by_two_years_costs_less_than_an_inconsistent_date():
    off_by_two = replace(CHILD, age_estimate=11)
    inconsistent = replace(CHILD, age_estimate=None, date_of_birth=PartialDate(2005, 1, 1))
    assert (
        _evidence(score_pair(MODEL, SOUGHT, off_by_two), "birth").weight
        > _evidence(score_pair(MODEL, SOUGHT, inconsistent), "birth").weight
    )


@pytest.mark.parametrize(
    ("child_origin", "level"),
    [
        (("Somalia", "Bay", "Baidoa", "Buulo Fulay"), "village"),
        (("Somalia", "Bay", "Baydoa", "Bulo Fulay"), "village"),  # spelling variants
        (("", "", "", "Buulo Fulay"), "village"),  # only the village given
        (("Somalia", "Bay", "Baidoa", ""), "district"),  # cut at the district
        (("Somalia", "Bay", "Burhakaba", ""), "region"),
        (("Somalia", "", "Bay", ""), "other_level"),  # the region given as a district
        (("Somalia", "Gedo", "Luuq", ""), "country"),
        (("Ethiopia", "Somali", "Jigjiga", ""), "else"),
        ((), "missing"),
    ],
)
def test_one_hierarchical_place_comparison(child_origin, level):
    sought = replace(SOUGHT, place_of_separation=())
    child = replace(CHILD, place_of_origin=child_origin, place_of_separation=())
    assert _level(sought, child, "place") == level


def test_the_place_of_separation_can_agree_with_the_place_of_origin():
    child = replace(CHILD, place_of_origin=(), place_of_separation=("Somalia", "Bay", "Baidoa", ""))
    assert _level(replace(SOUGHT, place_of_separation=()), child, "place") == "district"


@pytest.mark.parametrize(
    ("sought_date", "child_date", "level"),
    [
        ("2023-05", "2023-05-20", "same"),  # month-only against a day in that month
        ("2023-05-02", "2023-05-02", "same"),
        ("2023-05-02", "2023-05-30", "month"),
        ("2023-05", "2023-07-15", "quarter"),
        ("2023-05", "2024-01", "year"),
        ("2023-05", "2021-01", "else"),
        ("", "2021-01", "missing"),
    ],
)
def test_separation_date_levels(sought_date, child_date, level):
    sought = replace(SOUGHT, date_of_separation=PartialDate.parse(sought_date))
    child = replace(CHILD, date_of_separation=PartialDate.parse(child_date))
    assert _level(sought, child, "separation_date") == level


@pytest.mark.parametrize(
    ("father", "mother", "level"),
    [
        ("Hassan", "Amina", "both"),
        ("Hassan", "", "one"),
        ("Hassan", "Hodan", "mixed"),
        ("Omar", "Hodan", "else"),
        ("", "", "missing"),
    ],
)
def test_parents_levels(father, mother, level):
    sought = replace(SOUGHT, requester_name="", requester_relationship="aunt")
    child = replace(CHILD, father_name=father, mother_name=mother)
    assert _level(sought, child, "parents") == level


@pytest.mark.parametrize(
    ("sex", "level", "sign"), [("M", "agree", 1), ("F", "else", -1), ("U", "missing", 0)]
)
def test_sex_unknown_is_no_information(sex, level, sign):
    evidence = _evidence(score_pair(MODEL, SOUGHT, replace(CHILD, sex=sex)), "sex")
    assert evidence.level == level
    assert (evidence.weight > 0) - (evidence.weight < 0) == sign


def test_family_fields_together_count_no_more_than_same_family():
    match = score_pair(MODEL, SOUGHT, CHILD)
    capped = [item for item in match.evidence if item.field == "family"]
    assert capped
    assert capped[0].weight < 0
    assert "sibling or cousin" in capped[0].detail


def test_a_sibling_is_not_a_match():
    # same parents, family name, places and separation; another given name, age and sex
    sister = replace(
        CHILD,
        record_id="C2",
        given_name="Hodan",
        sex="F",
        age_estimate=5,
        date_of_separation=PartialDate(2023, 5, 20),
    )
    assert score_pair(MODEL, SOUGHT, sister).probability < 0.5


def test_a_brother_close_in_age_is_not_a_match():
    brother = replace(CHILD, record_id="C3", given_name="Abdirahman", age_estimate=11)
    assert score_pair(MODEL, SOUGHT, brother).probability < 0.5


def test_a_cousin_with_the_same_given_name_is_not_a_match():
    cousin = replace(
        CHILD,
        record_id="C4",
        father_name="Yusuf",
        mother_name="Fadumo",
        family_name="Yusuf",
        age_estimate=13,
    )
    assert score_pair(MODEL, SOUGHT, cousin).probability < 0.5


def test_explanations_name_the_compared_values():
    child = replace(CHILD, given_name="Muhamad", family_name="", age_estimate=11)
    evidence = {item.field: item for item in score_pair(MODEL, SOUGHT, child).evidence}
    assert evidence["given_name"].detail == "given name: Mohamed ~ Muhamad (transliteration)"
    assert evidence["family_name"].detail == (
        "family name: not known on the child's record (request: Hassan)"
    )
    assert "age 8 on 2023-05-15 ~ age 11 on 2024-03-02" in evidence["birth"].detail
    assert "same village" in evidence["place"].detail
    assert evidence["separation_date"].detail == "date of separation: 2023-05 ~ 2023-05-20 (same)"
    assert (
        evidence["parents"].detail
        == (
            "parents' names: father Hassan Ali, mother Amina Yusuf = father Hassan, mother Amina"
            " (both parents' names agree)"
        )
        or "both parents" in evidence["parents"].detail
    )


def test_evidence_weights_add_up_to_the_match_weight():
    match = score_pair(MODEL, SOUGHT, replace(CHILD, sex="F"))
    assert match.weight == pytest.approx(
        MODEL.prior_weight + sum(item.weight for item in match.evidence), abs=0.01
    )
    assert _evidence(match, "sex").weight < 0


def test_model_json_round_trip():
    again = MatchModel.from_json(MODEL.to_json())
    assert again.prior == MODEL.prior
    assert again.parameters == MODEL.parameters
    assert score_pair(again, SOUGHT, CHILD) == score_pair(MODEL, SOUGHT, CHILD)


def test_model_json_of_another_kind_is_refused():
    with pytest.raises(ValueError, match="not a tracing match model"):
        MatchModel.from_json('{"format": "splink"}')


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2023-05-02", PartialDate(2023, 5, 2)), ("2023-05", PartialDate(2023, 5)), ("", None)],
)
def test_partial_dates(text, expected):
    assert PartialDate.parse(text) == expected
    if expected is not None:
        assert expected.iso() == text


@pytest.mark.parametrize("text", ["2023-13", "2023-02-30", "05/2023", "yesterday"])
def test_malformed_partial_dates_raise(text):
    with pytest.raises(ValueError, match=r"not a date|out of range|day is out of range"):
        PartialDate.parse(text)
