"""One log line per request, with a request id and a duration, and nothing personal."""

import logging
import multiprocessing


def test_request_is_logged_with_id_and_duration_but_no_query(client, caplog):
    caplog.set_level(logging.INFO, logger="portal.request")
    response = client.get("/about/data?phone=012345678", headers={"X-Request-ID": "abc12345def"})
    assert response.headers["X-Request-ID"] == "abc12345def"
    lines = [r.getMessage() for r in caplog.records if r.name == "portal.request"]
    assert len(lines) == 1
    assert "request_id=abc12345def" in lines[0]
    assert "route=/about/data" in lines[0]
    assert "status=200" in lines[0]
    assert "duration_ms=" in lines[0]
    assert "012345678" not in caplog.text


def test_unsafe_request_id_is_replaced(client):
    response = client.get("/healthz", headers={"X-Request-ID": "bad id; with <spaces>"})
    assert response.headers["X-Request-ID"] != "bad id; with <spaces>"
    assert len(response.headers["X-Request-ID"]) == 32


def test_each_request_gets_its_own_id_and_each_process_its_own_prefix(client):
    ids = {client.get("/healthz").headers["X-Request-ID"] for _ in range(50)}
    assert len(ids) == 50
    assert all(len(made) == 32 and int(made, 16) >= 0 for made in ids)

    context = multiprocessing.get_context("fork")  # as gunicorn makes its workers
    with context.Pool(1) as worker:
        theirs = worker.apply(_an_id_made_in_another_process)
    assert theirs[:16] not in {made[:16] for made in ids}


def _an_id_made_in_another_process() -> str:
    from portal.web.request_log import _ids

    return _ids.next()
