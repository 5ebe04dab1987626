"""The Khmer catalogue is complete: every string in the code and templates has a
Khmer translation, none is fuzzy, and placeholders match."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "translations"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}


def load_catalogue(language: str):
    with open(TRANSLATIONS / language / "LC_MESSAGES" / "messages.po", "rb") as po:
        return read_po(po, locale=language)


def extracted_messages() -> set[str]:
    with open(TRANSLATIONS / "babel.cfg") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


@pytest.fixture(scope="module")
def khmer():
    return load_catalogue("km")


def test_khmer_has_one_plural_form(khmer):
    assert khmer.num_plurals == 1


def test_every_khmer_entry_is_translated_and_not_fuzzy(khmer):
    untranslated = [m.id for m in khmer if m.id and not m.string]
    fuzzy = [m.id for m in khmer if m.id and m.fuzzy]
    assert untranslated == []
    assert fuzzy == []


def test_placeholders_match(khmer):
    mismatched = []
    for message in khmer:
        if not message.id or not message.string:
            continue
        source = message.id if isinstance(message.id, str) else message.id[0]
        translation = message.string if isinstance(message.string, str) else message.string[0]
        if set(PLACEHOLDER.findall(source)) != set(PLACEHOLDER.findall(translation)):
            mismatched.append(source)
    assert mismatched == []


def test_every_string_in_the_code_is_in_the_khmer_catalogue(khmer):
    in_catalogue = {m.id if isinstance(m.id, str) else m.id[0] for m in khmer if m.id}
    missing = sorted(extracted_messages() - in_catalogue)
    assert missing == [], "run `make translations` and translate the new strings"


def test_khmer_translations_are_written_in_khmer_script(khmer):
    latin_only = [
        m.id for m in khmer if m.id and m.string and not re.search("[\u1780-\u17ff]", str(m.string))
    ]
    assert latin_only == []
