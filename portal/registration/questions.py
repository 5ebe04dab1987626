"""Each registration question: its form, its words, and how its answer is kept."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from portal.registration import forms
from portal.web.forms_base import PortalForm


@dataclass(frozen=True)
class Question:
    slug: str
    form: type[PortalForm]
    title: LazyString
    hint: LazyString | None
    answer: Callable[[PortalForm], object]  # the form's answer, as kept in the session
    prefill: Callable[[object], dict]  # the form's data, from a kept answer


def _name(form) -> dict:
    return {"surname": form.surname.data.strip(), "given_name": form.given_name.data.strip()}


def _optional_name(form) -> dict | None:
    name = _name(form)
    return name if name["surname"] else None


def _birth(form) -> dict:
    answer = {"birth_date": form.birth_date.data.isoformat()}
    if form.estimated:
        answer["birth_date_estimated"] = True
    return answer


def _birth_prefill(answer: dict) -> dict:
    return {
        "birth_date": dt.date.fromisoformat(answer["birth_date"]),
        "year_only": bool(answer.get("birth_date_estimated")),
    }


def _equity_card(form) -> dict | None:
    if form.level.data == "none":
        return None
    return {"level": int(form.level.data), "card_number": form.card_number.data}


QUESTIONS = {
    question.slug: question
    for question in (
        Question(
            "name",
            forms.KhmerNameForm,
            _l("What is your name in Khmer?"),
            _l("As your family and neighbours write it."),
            _name,
            lambda answer: answer,
        ),
        Question(
            "latin-name",
            forms.LatinNameForm,
            _l("How is your name written in Latin letters?"),
            _l("As on your national ID card. If you do not know, leave both empty."),
            _optional_name,
            lambda answer: answer or {},
        ),
        Question(
            "sex",
            forms.SexForm,
            _l("Are you a woman or a man?"),
            None,
            lambda form: form.sex.data,
            lambda answer: {"sex": answer},
        ),
        Question(
            "birth-date",
            forms.BirthDateForm,
            _l("What is your date of birth?"),
            _l(
                "For example 14 3 1960. If you only know the year, write the year and tick the box."
            ),
            _birth,
            _birth_prefill,
        ),
        Question(
            "national-id",
            forms.NationalIdForm,
            _l("What is your national ID card number?"),
            _l("If you have no national ID card, leave this empty."),
            lambda form: form.identifier_value.data or None,
            lambda answer: {"identifier_value": answer or ""},
        ),
        Question(
            "disability",
            forms.DisabilityForm,
            _l("Do you have a disability card?"),
            _l("The card the Ministry of Social Affairs gives to people with a disability."),
            lambda form: form.card_number.data or None,
            lambda answer: {"has_card": "yes" if answer else "no", "card_number": answer or ""},
        ),
        Question(
            "equity-card",
            forms.EquityCardForm,
            _l("Does your household have an IDPoor Equity Card?"),
            _l("We record what you tell us. The commune office checks it later."),
            _equity_card,
            lambda answer: (
                {"level": str(answer["level"]), "card_number": answer["card_number"]}
                if answer
                else {"level": "none"}
            ),
        ),
    )
}

PLACE_TITLES = {
    "province": _l("Which province do you live in?"),
    "district": _l("Which district do you live in?"),
    "commune": _l("Which commune do you live in?"),
    "village": _l("Which village do you live in?"),
}
MEMBER_TITLE = _l("About a person who lives with you")
