"""A warm round trip to the embedded registry, timed inside one process: the
portal's registry client reads one person (HTTP contract, OAuth token, access
log, JSON checks) through the in-process transport."""

from __future__ import annotations

import os
import statistics
import time
from unittest import mock

READS = 300


def embedded_round_trip_ms(env: dict[str, str]) -> tuple[float, float]:
    """(p50, p99) in milliseconds of READS reads, after a few to warm up."""
    with mock.patch.dict(os.environ, env):
        from portal import create_app
        from portal.registry.client import Actor
        from portal.registry.server.seed import demo_id
        from portal.registry_access import registry

        app = create_app()
    client = registry(app)
    person = demo_id("person-0-0")
    actor = Actor(actor="bench", purpose="benchmark", on_behalf_of=None)
    timings = []
    for attempt in range(READS + 20):
        started = time.perf_counter()
        client.persons.read(person, actor=actor)
        if attempt >= 20:
            timings.append((time.perf_counter() - started) * 1000)
    cut = statistics.quantiles(timings, n=100)
    return cut[49], cut[98]
