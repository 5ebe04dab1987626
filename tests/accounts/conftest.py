import re

import pytest

from portal.registry.client import Actor
from portal.registry_access import registry
from tests.conftest import development_app
from tests.registry.factories import person_content

TOKEN = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')
CODE = re.compile(r"\b(\d{6})\b")
TEST_ACTOR = Actor(actor="test:setup", purpose="test data", on_behalf_of="self")


@pytest.fixture
def app(tmp_path):
    return development_app(tmp_path)


def token(client, path: str) -> str:
    return TOKEN.search(client.get(path).get_data(as_text=True)).group(1)


def ask_for_code(client, phone: str):
    return client.post(
        "/login", data={"csrf_token": token(client, "/login"), "phone_number": phone}
    )


def last_code(app) -> str:
    messages = app.extensions["sms_gateway"].messages()
    return CODE.search(messages[0].text).group(1)


def enter_code(client, code: str):
    return client.post(
        "/login/verify", data={"csrf_token": token(client, "/login/verify"), "code": code}
    )


def registered_person(app, **overrides) -> dict:
    with app.app_context():
        return registry(app).persons.create(person_content(**overrides), actor=TEST_ACTOR)
