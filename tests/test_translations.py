"""The Spanish catalogue is complete and compiled: every marked string has a translation, none is
fuzzy, and the compiled .mo answers with the .po's text."""

import ast
import re
from pathlib import Path

import pytest
from django.utils import translation

PO = Path(__file__).resolve().parent.parent / "src/reunify/locale/es/LC_MESSAGES/django.po"


def _entries():
    text = PO.read_text(encoding="utf-8")
    for block in text.split("\n\n"):
        if "msgid" not in block:
            continue
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in block.splitlines())
        strings = {}
        key = None
        for line in block.splitlines():
            match = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d\])?) (".*")$', line)
            if match:
                key = match.group(1)
                strings[key] = ast.literal_eval(match.group(2))
            elif line.startswith('"') and key:
                strings[key] += ast.literal_eval(line)
        if strings.get("msgid"):
            yield strings, fuzzy


def test_every_string_is_translated_and_none_is_fuzzy():
    entries = list(_entries())
    assert len(entries) > 300
    missing = [
        e["msgid"] for e, _ in entries if not all(v for k, v in e.items() if k.startswith("msgstr"))
    ]
    fuzzy = [e["msgid"] for e, f in entries if f]
    assert missing == []
    assert fuzzy == []


@pytest.mark.parametrize("language", ["es"])
def test_compiled_catalogue_matches_the_source(language):
    with translation.override(language):
        for entry, _fuzzy in _entries():
            if "msgid_plural" in entry or "msgctxt" in entry:
                continue
            assert translation.gettext(entry["msgid"]) == entry["msgstr"], entry["msgid"]


ROOT = Path(__file__).resolve().parent.parent / "src" / "reunify"
TRANSLATE_TAG = re.compile(r"""{%\s*translate\s+(["'])(.+?)\1""")
PY_CALL = re.compile(r"""\b(?:_|gettext|gettext_lazy|gettext_noop)\(\s*"((?:[^"\\]|\\.)+)"\s*\)""")


def test_every_literal_marked_string_is_in_the_catalogue():
    """A string marked in a template or in Python but missing from the catalogue means someone
    forgot `make messages`: the page would show English to a Spanish reader."""
    known = {entry["msgid"] for entry, _fuzzy in _entries()}
    missing = []
    for path in ROOT.rglob("*"):
        if (
            path.suffix not in {".html", ".txt", ".py"}
            or "tests" in path.parts
            or "migrations" in path.parts
        ):
            continue
        text = path.read_text(encoding="utf-8")
        pattern = PY_CALL if path.suffix == ".py" else TRANSLATE_TAG
        for match in pattern.finditer(text):
            message = match.group(match.lastindex)
            if path.suffix == ".py":
                message = ast.literal_eval(f'"{message}"')
            else:  # makemessages writes a template's "%" as "%%" (the page looks it up so)
                message = message.replace("%", "%%")
            if message not in known:
                missing.append(f"{path.relative_to(ROOT)}: {message}")
    assert missing == []
