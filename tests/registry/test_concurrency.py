"""Concurrent writes: the database's constraints decide, not a check-then-insert."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from sqlalchemy import func, select

from portal.registry.server.models import Person
from tests.registry.conftest import actor_headers, token_for
from tests.registry.factories import new_id, new_nin, person_content

WRITERS = 50


@pytest.mark.postgres
def test_fifty_concurrent_creates_with_one_national_id_make_one_person(
    registry_app, socket_url, credentials
):
    nin = new_nin()
    with httpx.Client(base_url=socket_url, timeout=60) as http:
        headers = actor_headers(token_for(http, credentials))
    start = threading.Barrier(WRITERS)

    def create(_index: int) -> httpx.Response:
        content = person_content(
            id=new_id(), identifier=[{"identifier_type": "NIN", "identifier_value": nin}]
        )
        with httpx.Client(base_url=socket_url, timeout=60) as http:
            start.wait()
            return http.post(
                "/data/persons/1.0/create", json={"write": {"content": content}}, headers=headers
            )

    with ThreadPoolExecutor(max_workers=WRITERS) as pool:
        responses = list(pool.map(create, range(WRITERS)))

    statuses = sorted(r.status_code for r in responses)
    assert statuses == [201] + [409] * (WRITERS - 1)
    winner = next(r.json() for r in responses if r.status_code == 201)
    named = {r.json()["errors"][0]["existing_spid"] for r in responses if r.status_code == 409}
    assert named == {winner["spid"]}
    with registry_app.extensions["registry.sessions"]() as session:
        assert session.scalar(select(func.count()).where(Person.nin == nin)) == 1


@pytest.mark.postgres
def test_concurrent_updates_of_one_version_let_exactly_one_win(
    registry_app, socket_url, credentials
):
    with httpx.Client(base_url=socket_url, timeout=60) as http:
        headers = actor_headers(token_for(http, credentials))
        content = person_content()
        http.post(
            "/data/persons/1.0/create", json={"write": {"content": content}}, headers=headers
        ).raise_for_status()
    start = threading.Barrier(10)

    def update(index: int) -> int:
        body = {
            "query": {"content": {"id": content["id"]}},
            "write": {"content": {"name": {"given_name": f"Writer {index}", "surname": "Chan"}}},
        }
        with httpx.Client(base_url=socket_url, timeout=60) as http:
            start.wait()
            answer = http.put(
                "/data/persons/1.0/update", json=body, headers={**headers, "If-Match": '"1"'}
            )
            return answer.status_code

    with ThreadPoolExecutor(max_workers=10) as pool:
        results = sorted(pool.map(update, range(10)))
    assert results.count(200) == 1
    assert set(results) <= {200, 412}
