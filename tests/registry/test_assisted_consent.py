"""Consent for assisted service: an officer records that the person agreed, in
person or by thumbprint on a paper form whose number is then required."""

from __future__ import annotations

import pytest

from portal.registry.client import RegistryValidationError
from tests.registry.factories import new_id, person_content


@pytest.fixture
def spid(inprocess, actor) -> str:
    return inprocess.persons.create(person_content(), actor=actor)["spid"]


def assisted(spid: str, **fields) -> dict:
    return {
        "id": new_id(),
        "individual_spid": spid,
        "purpose": "assisted_service",
        "legal_basis": "consent",
        "opt_in": True,
        "collected_by": "officer:sok.dara@010201",
        "collected_at": "2026-01-05T09:30:00+07:00",
        **fields,
    }


def test_a_thumbprint_on_a_numbered_form_is_kept(inprocess, actor, spid):
    consent = inprocess.consents.create(
        assisted(spid, method="thumbprint", form_number=" KC-2026/០០៤២ "), actor=actor
    )
    assert consent["purpose"] == "assisted_service"
    assert (consent["method"], consent["form_number"]) == ("thumbprint", "KC-2026/០០៤២")
    read = inprocess.consents.read(consent["id"], actor=actor)
    assert (read["method"], read["form_number"]) == ("thumbprint", "KC-2026/០០៤២")
    listed = inprocess.consents.list(actor=actor, individual_spid=spid, purpose="assisted_service")
    assert [c["id"] for c in listed.results] == [consent["id"]]


def test_in_person_needs_no_form(inprocess, actor, spid):
    consent = inprocess.consents.create(assisted(spid, method="in_person"), actor=actor)
    assert consent["method"] == "in_person" and "form_number" not in consent


@pytest.mark.parametrize("form_number", [None, "   "])
def test_a_thumbprint_without_a_form_number_is_refused(inprocess, actor, spid, form_number):
    fields = {"method": "thumbprint"}
    if form_number is not None:
        fields["form_number"] = form_number
    content = assisted(spid, **fields)
    with pytest.raises(RegistryValidationError) as caught:
        inprocess.consents.create(content, actor=actor)
    assert caught.value.status == 422
    assert "write.content.form_number" in caught.value.field_errors
    assert not inprocess.consents.exists(content["id"], actor=actor)


def test_changing_to_a_thumbprint_later_needs_the_form_number_too(inprocess, actor, spid):
    consent = inprocess.consents.create(assisted(spid, method="in_person"), actor=actor)
    with pytest.raises(RegistryValidationError) as caught:
        inprocess.consents.update(consent["id"], {"method": "thumbprint"}, actor=actor)
    assert "write.content.form_number" in caught.value.field_errors


@pytest.mark.parametrize(
    "fields",
    [
        {"method": "signature", "form_number": "12"},
        {"method": "thumbprint", "form_number": "x" * 41},
        {"method": "thumbprint", "form_number": "12\n34"},
        {"method": "thumbprint", "form_number": ""},
    ],
)
def test_a_method_or_form_number_outside_the_contract_is_refused(inprocess, actor, spid, fields):
    with pytest.raises(RegistryValidationError) as caught:
        inprocess.consents.create(assisted(spid, **fields), actor=actor)
    assert caught.value.status == 422
