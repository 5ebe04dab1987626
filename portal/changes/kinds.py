"""The kinds of change a citizen can ask for: the registry's request type, its
name in plain words, the questions asked (one a page) and the documents to
bring to the commune office.

The registry knows more request types (birth date, identifier, other, link
phone) than the portal asks for: those still show in plain words on the
citizen's list, made by an officer.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from portal.registration.places import LEVELS

ANYTHING_ELSE = "anything-else"
MEMBER = "member"


@dataclass(frozen=True)
class ChangeKind:
    request_type: str  # the registry's request_type
    label: object  # what the citizen chooses on the first page
    title: object  # the request's name on lists and its own page
    steps: tuple[str, ...]  # the questions, one a page
    documents: tuple[object, ...] = ()  # what to bring to the commune office


KINDS: dict[str, ChangeKind] = {
    kind.request_type: kind
    for kind in (
        ChangeKind(
            "address",
            _l("We moved house"),
            _l("Moved house"),
            (*LEVELS, ANYTHING_ELSE),
            (_l("A letter from the chief of your new village"),),
        ),
        ChangeKind(
            "phone_number",
            _l("I have a new phone number"),
            _l("New phone number"),
            ("phone", ANYTHING_ELSE),
        ),
        ChangeKind(
            "name",
            _l("My name is written wrongly"),
            _l("Name corrected"),
            ("name", ANYTHING_ELSE),
            (_l("Your national ID card or your birth certificate"),),
        ),
        ChangeKind(
            "household_birth",
            _l("A baby was born in our household"),
            _l("A baby was born"),
            ("baby-name", "baby-sex", "baby-birth-date", "baby-relationship", ANYTHING_ELSE),
            (_l("The baby's birth certificate"),),
        ),
        ChangeKind(
            "household_member_left",
            _l("Someone left our household"),
            _l("Someone left the household"),
            (MEMBER, ANYTHING_ELSE),
        ),
        ChangeKind(
            "death",
            _l("Someone in our household died"),
            _l("Someone in the household died"),
            (MEMBER, ANYTHING_ELSE),
            (_l("The death certificate, or a letter from the village chief"),),
        ),
        ChangeKind(
            "disability",
            _l("I got a disability card"),
            _l("Disability card"),
            ("card", ANYTHING_ELSE),
            (_l("Your disability card"),),
        ),
    )
}

# Request types an officer may have made for the person: named, never asked for here.
OTHER_TITLES = {
    "birth_date": _l("Date of birth corrected"),
    "identifier": _l("ID number corrected"),
    "other": _l("Other change"),
    "link_phone": _l("Phone number linked to your record"),
}


def title_of(request_type: str) -> str:
    kind = KINDS.get(request_type)
    if kind is not None:
        return str(kind.title)
    return str(OTHER_TITLES.get(request_type, OTHER_TITLES["other"]))


def documents_of(request_type: str) -> list[str]:
    kind = KINDS.get(request_type)
    return [str(document) for document in kind.documents] if kind else []


STATUS_WORDS = {
    "submitted": (_l("Received"), "blue"),
    "in_review": (_l("Being checked"), "yellow"),
    "approved": (_l("Approved"), "green"),
    "rejected": (_l("Refused"), "red"),
    "withdrawn": (_l("Withdrawn"), "grey"),
}


def status_words(status: str) -> tuple[str, str]:
    """The status in plain words and the colour of its tag."""
    words, tone = STATUS_WORDS.get(status, (_l("Received"), "blue"))
    return str(words), tone


# Relationship of a new baby to the head of the household (the registry's household_status).
BABY_RELATIONSHIPS = {
    "child": _l("Child of the head of the household"),
    "other": _l("Grandchild or another relative"),
}
SEXES = {"female": _l("Girl"), "male": _l("Boy")}
