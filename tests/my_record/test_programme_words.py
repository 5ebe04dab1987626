"""/me/data-access when a programme operator's system read the record through
the registry's DCI exchange (actor ``client:<id>``): named as a programme's
system, never by its client id, with the exchange's purposes in plain words."""

from __future__ import annotations

import pytest

from portal.registry.client import Actor
from portal.registry_access import registry
from tests.my_record.conftest import demo_citizen_id, sign_in, text_of

CLIENT = "client:5f1c0ffee5f1c0ffee5f1c0ffee5f1c0"


@pytest.mark.parametrize(
    ("purpose", "english", "khmer"),
    [
        (
            "subscription",
            "To tell a programme that you registered, so you need not register again",
            "អ្នកមិនចាំបាច់ចុះឈ្មោះម្តងទៀតទេ",
        ),
        ("dci-exchange", "Shared with a programme through the registry", "តាមរយៈប្រព័ន្ធចុះបញ្ជី"),
    ],
)
def test_a_programme_system_is_named_in_plain_words(app, purpose, english, khmer):
    with app.app_context():
        registry(app).persons.read(demo_citizen_id(), actor=Actor(actor=CLIENT, purpose=purpose))
    client = app.test_client()
    sign_in(client, app)
    page = text_of(client.get("/me/data-access?lang=en"))
    assert "A social protection programme's system looked at your details" in page
    assert f"Why: {english}" in page
    khmer_page = text_of(client.get("/me/data-access?lang=km"))
    assert "ប្រព័ន្ធរបស់កម្មវិធីគាំពារសង្គម បានមើលព័ត៌មានរបស់អ្នក" in khmer_page
    assert khmer in khmer_page
    for body in (page, khmer_page):
        assert "client:" not in body and CLIENT.split(":")[1] not in body
