"""HTTP routes of the registry: GovStack-shaped data API, access log, statistics,
token, health.

Views only authorise, parse and answer; the work is in ``store``. DCI
operations are in ``dci_api`` and the modules it names.
"""

from __future__ import annotations

from functools import partial
from urllib.parse import urlencode

from flask import Blueprint, Response, jsonify, request
from sqlalchemy import text

from portal.registry.server import activity, statistics, store
from portal.registry.server.audit import Actor, access_log_page, current_actor, log_access
from portal.registry.server.auth import authorize, token_response
from portal.registry.server.contract import contract_text, validate_body
from portal.registry.server.errors import ApiError, field_error, not_found
from portal.registry.server.json_body import read_json_body
from portal.registry.server.kinds import RecordKind, iso
from portal.registry.server.models import Person
from portal.registry.server.query_values import filter_values, text_value, whole_number
from portal.registry.server.record_kinds import RECORD_KINDS
from portal.registry.server.sessions import request_session

api = Blueprint("registry_api", __name__)


def _acting(*scopes: str) -> Actor:
    return current_actor(authorize(*scopes))


def _body(path: str, method: str) -> dict:
    return validate_body(read_json_body(), path, method)


def _record(kind: RecordKind, row, status: int = 200) -> Response:
    response = jsonify(kind.present(request_session(), row))
    response.status_code = status
    response.headers["ETag"] = store.etag(row)
    return response


def _page_links(page: int, page_size: int, count: int) -> tuple[str | None, str | None]:
    def link(number: int) -> str:
        args = {**request.args.to_dict(), "page": number, "pageSize": page_size}
        return f"{request.path}?{urlencode(args)}"

    following = link(page + 1) if page * page_size < count else None
    previous = link(page - 1) if page > 1 else None
    return following, previous


def create(kind: RecordKind) -> Response:
    actor = _acting("registry.write")
    body = _body(f"/data/{kind.name}/1.0/create", "post")
    row = store.create(request_session(), kind, body["write"]["content"], actor)
    return _record(kind, row, 201)


def read(kind: RecordKind) -> Response:
    actor = _acting("registry.read")
    body = _body(f"/data/{kind.name}/1.0/read", "post")
    row = store.read(request_session(), kind, body["query"]["content"], actor)
    return _record(kind, row)


def exists(kind: RecordKind) -> Response:
    actor = _acting("registry.read")
    body = _body(f"/data/{kind.name}/1.0/exists", "post")
    found = store.exists(request_session(), kind, body["query"]["content"], actor)
    message = f"The {kind.label} exists." if found else f"No such {kind.label}."
    return jsonify({"answer": {"status": found, "message": message}})


def update(kind: RecordKind) -> Response:
    actor = _acting(*kind.update_scopes)
    body = _body(f"/data/{kind.name}/1.0/update", "put")
    session = request_session()
    row = store.find(session, kind, body["query"]["content"])
    if row is None:
        raise not_found(kind.label)
    write = body["write"]
    row, _changed = store.update(
        session,
        kind,
        row,
        write["content"],
        actor,
        if_match=request.headers.get("If-Match"),
        status_change=write.get("status_change"),
        event=write.get("event"),
    )
    return _record(kind, row)


def update_or_create(kind: RecordKind) -> Response:
    actor = _acting(*kind.update_scopes)
    body = _body(f"/data/{kind.name}/1.0/update-or-create", "post")
    row, created = store.update_or_create(
        request_session(), kind, body["write"]["content"], actor, request.headers.get("If-Match")
    )
    return _record(kind, row, 201 if created else 200)


def list_records(kind: RecordKind) -> Response:
    actor = _acting("registry.read")
    page = whole_number("page", 1, 1, 1_000_000)
    # pageSize=0: the count only (no record read, nothing logged).
    page_size = whole_number("pageSize", 20, 0, 100)
    ordering = request.args.get("ordering", "-created_at")
    if ordering not in kind.orderings():
        raise field_error("ordering", f"ordering is one of {', '.join(kind.orderings())}.")
    filters = filter_values(kind.filters())
    session = request_session()
    count, rows = store.list_page(session, kind, filters, ordering, page, page_size)
    results = kind.present_many(session, rows)
    subjects = kind.subject_ids(session, rows)
    if subjects:
        log_access(session, subjects, "list", actor)
        session.commit()
    following, previous = _page_links(page, page_size, count) if page_size else (None, None)
    return jsonify({"count": count, "next": following, "previous": previous, "results": results})


for _kind in RECORD_KINDS.values():
    _base = f"/data/{_kind.name}/1.0"
    _name = _kind.name.replace("-", "_")
    for _suffix, _view, _method in (
        ("/create", create, "POST"),
        ("/read", read, "POST"),
        ("/exists", exists, "POST"),
        ("/update", update, "PUT"),
        ("/update-or-create", update_or_create, "POST"),
        ("", list_records, "GET"),
    ):
        _endpoint = f"{_name}_{_view.__name__}"
        api.add_url_rule(_base + _suffix, _endpoint, partial(_view, _kind), methods=[_method])


api.add_url_rule("/data/activity/1.0", "activity", activity.activity, methods=["GET"])
api.add_url_rule("/statistics/1.0/counts", "statistics_counts", statistics.counts, methods=["GET"])


@api.get("/data/persons/1.0/<person_id>/access-log")
def person_access_log(person_id: str) -> Response:
    _acting("registry.read")
    session = request_session()
    person = session.get(Person, text_value("person_id", person_id))
    if person is None:
        raise not_found("person")
    page = whole_number("page", 1, 1, 1_000_000)
    page_size = whole_number("pageSize", 50, 1, 100)
    count, entries = access_log_page(session, person.id, page, page_size)
    results = [
        {
            "at": iso(entry.at),
            "action": entry.action,
            "actor": entry.actor,
            "on_behalf_of": entry.on_behalf_of,
            "purpose": entry.purpose,
            "client_id": entry.client_id,
            "channel": entry.channel,
        }
        for entry in entries
    ]
    return jsonify({"person_spid": person.spid, "count": count, "results": results})


@api.post("/oauth2/client/token")
def oauth_token() -> Response:
    return token_response()


@api.get("/openapi.yaml")
def openapi_document() -> Response:
    return Response(contract_text(), mimetype="application/yaml")


@api.get("/healthz")
def healthz() -> Response:
    try:
        request_session().execute(text("SELECT 1"))
    except Exception as error:
        raise ApiError(503, "err.database.unavailable", "The database is unreachable.") from error
    return jsonify({"status": "ok", "database": "ok"})
