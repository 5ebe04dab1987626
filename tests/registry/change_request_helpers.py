"""Families and change requests for the change-request tests, through the client."""

from __future__ import annotations

from portal.registry.client import Actor, RegistryClient
from tests.registry.factories import household_content, new_id, person_content

APPROVER = Actor(actor="staff:approver", purpose="change-request-review")
ROLES = ("head", "spouse", "child")


def family(registry: RegistryClient, actor: Actor, size: int = 3) -> tuple[dict, list[dict]]:
    """A new active household: a head, a spouse and children; (household, people)."""
    people = [registry.persons.create(person_content(), actor=actor) for _ in range(size)]
    roles = [ROLES[min(index, 2)] for index in range(size)]
    members = [(person["spid"], role) for person, role in zip(people, roles, strict=True)]
    household = registry.households.create(household_content(members), actor=actor)
    return household, people


def submit(registry: RegistryClient, actor: Actor, spid: str, request_type: str, **fields) -> dict:
    content = {"id": new_id(), "person_spid": spid, "request_type": request_type, **fields}
    return registry.change_requests.create(content, actor=actor)


def review(registry: RegistryClient, request: dict) -> dict:
    return registry.change_requests.update(request["id"], {"status": "in_review"}, actor=APPROVER)


def approve(registry: RegistryClient, request: dict) -> dict:
    """Put the request in review and approve it, as an officer."""
    review(registry, request)
    return registry.change_requests.update(
        request["id"], {"status": "approved"}, actor=APPROVER, reason="documents checked"
    )


def read_person(registry: RegistryClient, actor: Actor, spid: str) -> dict:
    return registry.persons.read_by_spid(spid, actor=actor)
