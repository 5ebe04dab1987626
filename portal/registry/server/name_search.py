"""Search persons by name: what an officer types, in Khmer script or Latin letters.

Every word of a person's name (``name_km`` and ``name``, surname and given
name) is kept as a *key* in ``person_name_keys``, with the person's commune;
so is each name written whole, without spaces. A Khmer word's key is its
``portal.khmer.comparison_key`` (mark order, coeng DA/TA, zero-width spaces);
a Latin word's key is a loose spelling (``latin_key``) under which the usual
romanisations of one Khmer name meet: Sokha/Sokhar, Chanthou/Chanthu,
Srey/Srei.

A text matches a person when every word of it, keyed the same way, begins
some key of that person: a prefix range on the keys' index (byte order),
limited to the communes asked for by the index on (commune_code, key,
person_id), which answers the search without reading the table.
"""

from __future__ import annotations

import re
import unicodedata

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    String,
    bindparam,
    delete,
    distinct,
    false,
    func,
    literal,
    select,
    union_all,
)
from sqlalchemy.orm import Session, aliased

from portal.khmer import comparison_key
from portal.registry.server.models import Person, PersonNameKey

MIN_CHARACTERS = 3
MAX_WORDS = 6
MAX_TEXT_LENGTH = 100
KEY_LENGTH = 200

# Khmer consonants, vowels, signs and the coeng (not digits, not punctuation).
_KHMER_LETTERS = "\u1780-\u17d3\u17dc\u17dd"
_RUN = re.compile(f"[{_KHMER_LETTERS}]+|[^{_KHMER_LETTERS}]+")
_LATIN_WORD = re.compile("[a-z]+")
_KHMER_WORD = re.compile(f"^[{_KHMER_LETTERS}]+$")
_NOT_LATIN = re.compile("[^a-z]")
_DIGRAPH_U = re.compile("ou|oo")
# An "h" after a consonant only marks aspiration in romanised Khmer: kh, th, ph, ch.
_H_AFTER_CONSONANT = re.compile("(?<=[bcdfgjklmnpqrstvxz])h")
_DOUBLED = re.compile(r"([a-z])\1+")
_FINAL_R_H = re.compile("[rh]+$")
_COMMUNE = re.compile(r"^[0-9]{6}$")


def latin_key(word: str) -> str:
    """A loose key of a word in Latin letters: lowercase a-z only (accents
    dropped); y → i, w → v, ou/oo → u; an h after a consonant dropped; doubled
    letters once; a final r or h dropped (unless fewer than 3 letters would be left)."""
    letters = unicodedata.normalize("NFKD", word.casefold())
    key = _NOT_LATIN.sub("", letters).replace("y", "i").replace("w", "v")
    key = _DIGRAPH_U.sub("u", key)
    key = _H_AFTER_CONSONANT.sub("", key)
    key = _DOUBLED.sub(r"\1", key)
    shorter = _FINAL_R_H.sub("", key)
    return shorter if len(shorter) >= MIN_CHARACTERS else key


def _tokens(text: str) -> list[str]:
    """Runs of Khmer letters and words of Latin letters (accents dropped), after
    the comparison key; digits, punctuation and other scripts are left out."""
    tokens: list[str] = []
    for run in _RUN.findall(comparison_key(text)):
        if _KHMER_WORD.match(run):
            tokens.append(run)
        else:
            plain = "".join(c for c in unicodedata.normalize("NFKD", run) if c.isascii())
            tokens.extend(_LATIN_WORD.findall(plain))
    return tokens


def _key(token: str) -> str:
    return token if _KHMER_WORD.match(token) else latin_key(token)


def _name_keys(name: dict | None) -> set[str]:
    if not name:
        return set()
    tokens = _tokens(f"{name.get('surname', '')} {name.get('given_name', '')}")
    keys = {_key(token) for token in tokens}
    khmer = "".join(t for t in tokens if _KHMER_WORD.match(t))
    latin = "".join(t for t in tokens if not _KHMER_WORD.match(t))
    keys.update(key for key in (khmer, latin_key(latin) if latin else "") if key)
    return keys


def person_keys(document: dict) -> list[str]:
    """The keys of a person document: each word of name_km and name, and each whole."""
    keys = _name_keys(document.get("name_km")) | _name_keys(document.get("name"))
    return sorted(key[:KEY_LENGTH] for key in keys if key)


def _commune(document: dict) -> str | None:
    address = document.get("address") or {}
    village = address.get("village_code")
    return village[:6] if village else None


def _names_and_place(document: dict | None) -> tuple:
    document = document or {}
    return document.get("name_km"), document.get("name"), _commune(document)


def keep_keys(session: Session, person_id: str, document: dict, previous: dict | None) -> None:
    """Rewrite the person's keys when their names or their commune changed."""
    if previous is not None and _names_and_place(previous) == _names_and_place(document):
        return
    if previous is not None:
        # Without flushing the person first: their update is flushed (and a
        # stale version refused, 412) where the store writes it.
        with session.no_autoflush:
            session.execute(delete(PersonNameKey).where(PersonNameKey.person_id == person_id))
    session.add_all(PersonNameKey(**row) for row in key_rows(person_id, document))


def key_rows(person_id: str, document: dict) -> list[dict]:
    """The person_name_keys rows of one person (also used to fill the table)."""
    commune = _commune(document)
    return [
        {"person_id": person_id, "commune_code": commune, "key": key}
        for key in person_keys(document)
    ]


def query_words(text: object) -> list[str]:
    """The keys of the words of a search text (ValueError: not a usable text)."""
    if not isinstance(text, str):
        raise ValueError("name eq needs a single text.")
    if len(text) > MAX_TEXT_LENGTH:
        raise ValueError(f"name: at most {MAX_TEXT_LENGTH} characters.")
    tokens = _tokens(text)
    if sum(len(token) for token in tokens) < MIN_CHARACTERS:
        raise ValueError(f"name needs at least {MIN_CHARACTERS} letters.")
    words = list(dict.fromkeys(key for key in map(_key, tokens) if key))
    if len(words) > MAX_WORDS:
        raise ValueError(f"name: at most {MAX_WORDS} words.")
    return words


def _inline(value: str | list[str], **options) -> BindParameter:
    """A value written into the SQL text itself (words are letters only,
    communes 6 digits): the database plans each search for its own words and
    communes, rather than once for any, which PostgreSQL's generic plan for a
    prepared statement does - reading a word's keys in the whole country."""
    return bindparam(None, value, String(), literal_execute=True, **options)


def _begins(keys, word: str, commune: str | None) -> list[ColumnElement[bool]]:
    """The keys that start with ``word`` (in ``commune``): a range in byte (code
    point) order. One commune at a time, so that the index on (commune_code,
    key, person_id) is the cheapest way (one descent, no table) to the range."""
    after = word[:-1] + chr(ord(word[-1]) + 1)
    place = [] if commune is None else [keys.commune_code == _inline(commune)]
    return [*place, keys.key >= _inline(word), keys.key < _inline(after)]


def name_condition(words: list[str], communes: list[str] | None) -> ColumnElement[bool]:
    """Persons for whom every word begins one of their keys.

    Each word, in each commune, is one range of the index on (commune_code,
    key, person_id), read from the index alone (without communes: a range of
    the index on key); a person who has all the words is in a range of each."""
    keys = PersonNameKey
    ranges = [
        select(keys.person_id, literal(number).label("word")).where(*_begins(keys, word, commune))
        for number, word in enumerate(words)
        for commune in (communes if communes is not None else [None])
    ]
    if not ranges:
        return false()
    if len(ranges) == 1:
        return Person.id.in_(ranges[0].with_only_columns(keys.person_id))
    matches = union_all(*ranges).subquery("word_matches")
    found = select(matches.c.person_id)
    if len(words) > 1:
        found = found.group_by(matches.c.person_id).having(
            func.count(distinct(matches.c.word)) == len(words)
        )
    return Person.id.in_(found)


def relevance(words: list[str], communes: list[str] | None) -> ColumnElement[int]:
    """How many of the words are a whole key of the person (higher first): one
    probe per person, within their commune in the pages the search has just read."""
    exact = aliased(PersonNameKey)
    place = [] if communes is None else [exact.commune_code == Person.commune_code]
    return (
        select(func.count())
        .where(
            *place,
            exact.key.in_(_inline(words, expanding=True)),
            exact.person_id == Person.id,
        )
        .correlate(Person)
        .scalar_subquery()
    )


class NameTerms:
    """The name expressions of one search: their conditions, and their words
    for ranking; ``communes`` (or None) limits the keys read."""

    def __init__(self, communes: list[str] | None) -> None:
        # Only commune codes (6 digits) can match a person: others are left out.
        self.communes = None if communes is None else [c for c in communes if _COMMUNE.match(c)]
        self.words: list[str] = []

    def condition(self, operator: str, raw: object) -> ColumnElement[bool]:
        if operator != "eq":
            raise ValueError("name supports eq only.")
        words = query_words(raw)
        self.words.extend(word for word in words if word not in self.words)
        return name_condition(words, self.communes)

    def relevance(self) -> ColumnElement[int]:
        return relevance(self.words, self.communes)
