"""Normalisation, transliteration keys and nicknames of the tracing matcher (no database)."""

import pytest

from reunify.tracing.matching.normalise import (
    name_key,
    name_tokens,
    nickname_keys,
    normalise,
    place_key,
    skeleton,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("José", "jose"),
        ("  HERNÁNDEZ-López ", "hernandez lopez"),
        ("O'Brien", "obrien"),
        ("Олександр", "oleksandr"),
        ("Łukasz", "lukasz"),
        ("", ""),
    ],
)
def test_normalise_strips_accents_case_and_punctuation(text, expected):
    assert normalise(text) == expected


def test_name_tokens_drop_particles():
    assert name_tokens("Abd al-Rahman") == ("abd", "rahman")
    assert name_tokens("de la Cruz") == ("cruz",)
    assert name_tokens("Al") == ("al",)  # nothing but a particle: kept


@pytest.mark.parametrize(
    "group",
    [
        ("mohammed", "muhammad", "mohamed", "mohamad", "muhammed"),
        ("oleksandr", "aleksandr", "alexander", "olexandr"),
        ("yusuf", "youssef", "yousef", "joseph"),
        ("abdirahman", "abdulrahman", "abderrahmane"),
        ("fatima", "fatimah", "fatuma"),
        ("aisha", "aicha", "ayesha"),
    ],
)
def test_transliterations_share_a_key(group):
    assert len({name_key(word) for word in group}) == 1


def test_names_with_one_skeleton_stay_apart_when_the_table_knows_them():
    # Hassan / Hussein and Mohamed / Mahmoud share a skeleton but are different names
    assert skeleton("hassan") == skeleton("hussein")
    assert name_key("hassan") != name_key("hussein")
    assert name_key("mohamed") != name_key("mahmoud")


def test_unknown_spellings_fall_back_to_the_skeleton():
    assert name_key("hernandez") == name_key("hernandes")
    assert name_key("raheem") == name_key("rahim")


def test_short_names_need_the_same_spelling():
    assert name_key("sasha") != name_key("susie")
    assert name_key("ali") == name_key("aly")  # listed in the table


@pytest.mark.parametrize(
    ("nickname", "formal"),
    [
        ("sasha", "oleksandr"),
        ("chepe", "jose"),
        ("pepe", "jose"),
        ("abdi", "abdullahi"),
        ("bill", "william"),
        ("katya", "kateryna"),
    ],
)
def test_nicknames_point_to_their_formal_names(nickname, formal):
    assert name_key(formal) in nickname_keys(nickname)


def test_formal_names_are_not_nicknames():
    assert nickname_keys("oleksandr") == frozenset()


def test_place_spelling_variants_share_a_key():
    assert place_key("Kharkiv") == place_key("Kharkov")
    assert place_key("Mazar-i-Sharif") == place_key("Mazari Sharif")
