"""Registering through the pages, as a citizen would: sign in with a phone,
answer one question a page, check the answers, send."""

from __future__ import annotations

import pytest

from portal.web.page_weight import FIRST_ROUND_TRIP_BYTES, measure
from tests.accounts.conftest import TOKEN, ask_for_code, enter_code, last_code
from tests.accounts.test_digital_id import portal_and_provider  # noqa: F401 (fixture)
from tests.conftest import development_app
from tests.outbox.conftest import (  # noqa: F401 (the registry on loopback, for outage tests)
    _postgres_in_ci,
    portal_app,
    portal_database,
    provider,
    switchable,
)

NEW_PHONE = "012 345 678"
VILLAGE = {"province": "12", "district": "1201", "commune": "120101", "village": "12010101"}
HEAD = {"surname": "សុខ", "given_name": "ចាន់ថា"}
MEMBERS = [
    {
        "surname": "សុខ",
        "given_name": "ដារា",
        "sex": "male",
        "household_status": "spouse",
        "birth_date-day": "3",
        "birth_date-month": "4",
        "birth_date-year": "1982",
    },
    {
        "surname": "សុខ",
        "given_name": "ស្រីមុំ",
        "sex": "female",
        "household_status": "child",
        "birth_date-day": "១២",
        "birth_date-month": "៦",
        "birth_date-year": "២០១៤",
    },
    {
        "surname": "ចាន់",
        "given_name": "យាយ",
        "sex": "female",
        "household_status": "mother",
        "birth_date-year": "1950",
        "year_only": "y",
    },
]


@pytest.fixture
def app(tmp_path):
    return development_app(tmp_path)


@pytest.fixture
def client(app):
    return app.test_client()


def sign_in(app, client, phone: str = NEW_PHONE) -> None:
    ask_for_code(client, phone)
    enter_code(client, last_code(app))


class Visitor:
    """Counts the pages a person sends, and weighs every page they see."""

    def __init__(self, client):
        self.client = client
        self.submissions = 0
        self.heaviest = 0

    def get(self, path: str):
        weight = measure(self.client, path)
        self.heaviest = max(self.heaviest, weight.total)
        return self.client.get(path)

    def send(self, path: str, answers: dict, expect_redirect: bool = True):
        page = self.get(path)
        token = TOKEN.search(page.get_data(as_text=True)).group(1)
        self.submissions += 1
        response = self.client.post(path, data={"csrf_token": token, **answers})
        if expect_redirect:
            assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
        return response


def answer_about_me(visitor: Visitor, national_id: str = "") -> None:
    visitor.send("/register/q/name", HEAD)
    visitor.send("/register/q/latin-name", {"surname": "Sok", "given_name": "Chantha"})
    visitor.send("/register/q/sex", {"sex": "female"})
    visitor.send(
        "/register/q/birth-date",
        {"birth_date-day": "១៤", "birth_date-month": "៣", "birth_date-year": "១៩៨៥"},
    )
    visitor.send("/register/q/national-id", {"identifier_value": national_id})
    for level, code in VILLAGE.items():
        visitor.send(f"/register/where/{level}", {"code": code})
    visitor.send("/register/q/disability", {"has_card": "no"})


def register_household(visitor: Visitor, members=MEMBERS, national_id: str = ""):
    """The whole registration; returns the answer to sending it."""
    answer_about_me(visitor, national_id)
    for member in members:
        visitor.send("/register/household/member", member)
    visitor.send("/register/household", {})
    visitor.send("/register/q/equity-card", {"level": "2", "card_number": "KH-0042-17"})
    visitor.send("/register/consent", {"agree": "y"})
    return visitor.send("/register/check", {})


__all__ = ["FIRST_ROUND_TRIP_BYTES", "Visitor", "register_household", "sign_in"]
