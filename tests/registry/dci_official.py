"""The official DCI specification, as published, for conformance tests.

It lives beside the repository in ``../shared/standards/dci/`` (CI has it;
``DCI_STANDARDS_DIR`` points elsewhere). Its schemas are OpenAPI 3.0 schema
objects: they are checked with an OAS 3.0 validator, formats included.
"""

from __future__ import annotations

import copy
import json
import os
import uuid
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

import pytest
from openapi_schema_validator import OAS30Validator

REPOSITORY = Path(__file__).resolve().parents[2]
STANDARDS = Path(os.environ.get("DCI_STANDARDS_DIR", REPOSITORY.parent / "shared/standards/dci"))
EXAMPLES = ("processflow1-1req", "processflow1-3req", "processflow2req", "processflow3areq")


def require_standards() -> None:
    """Skip where the specification is not at hand; in CI its absence fails."""
    if (STANDARDS / "social_api_v1.0.0.yaml").exists():
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"the official DCI specification is missing from {STANDARDS}")
    pytest.skip(f"the official DCI specification is not in {STANDARDS}")


@cache
def _schema(name: str) -> dict:
    return json.loads((STANDARDS / "schemas" / f"{name}.json").read_text(encoding="utf-8"))


def _any_of(schema: object) -> object:
    if isinstance(schema, dict):
        return {("anyOf" if k == "oneOf" else k): _any_of(v) for k, v in schema.items()}
    if isinstance(schema, list):
        return [_any_of(v) for v in schema]
    return schema


def validator(name: str, *, as_meant: bool = False) -> OAS30Validator:
    """A validator of one official schema, e.g. ``sync_search_response``.

    ``as_meant``: with its ``oneOf`` read as ``anyOf``. The official schemas
    contradict themselves where oneOf branches overlap: an integer
    attribute_value is both "integer" and "number", an expression template
    ``{type, value: {...}}`` matches two query branches, and a txn-status
    attribute_value text matches two identical string branches; as written,
    no such request is ever valid."""
    schema = _any_of(_schema(name)) if as_meant else _schema(name)
    return OAS30Validator(schema, format_checker=OAS30Validator.FORMAT_CHECKER)


def problems(name: str, document: object, *, as_meant: bool = False) -> list[str]:
    """What the official schema ``name`` finds wrong with ``document``."""
    found = validator(name, as_meant=as_meant).iter_errors(document)
    return sorted(f"{'/'.join(map(str, e.absolute_path))}: {e.message[:120]}" for e in found)


def example(name: str) -> dict:
    return json.loads((STANDARDS / "examples" / f"{name}.json").read_text(encoding="utf-8"))


def now() -> str:
    return datetime.now(UTC).isoformat()


def repaired(request: dict) -> dict:
    """An official example request with what its own schema refuses put right,
    and nothing else changed: total_count a number (the examples write "1"),
    meta an object (""), an empty sender_uri left out (format uri), the
    reg_event_type the social enum knows ("SEARCH" is not in it),
    response_entity capitalised ("member"), consent and authorize objects
    (""), locale three letters ("EN/GB", ""), and in predicate items a number
    seq_num and no empty condition/expression2 (""). Identifiers that the
    examples leave empty (message_id stays; transaction_id, reference_id)
    are filled, since an empty one cannot be told apart from another."""
    fixed = copy.deepcopy(request)
    fixed.pop("signature", None)  # a placeholder text, not a signature
    header = fixed["header"]
    header.update(message_id=str(uuid.uuid4()), message_ts=now())
    header["total_count"] = len(fixed["message"]["search_request"])
    header["meta"] = {}
    if not header.get("sender_uri"):
        header.pop("sender_uri", None)
    message = fixed["message"]
    message["transaction_id"] = message["transaction_id"] or str(uuid.uuid4())
    for number, item in enumerate(message["search_request"], start=1):
        item["reference_id"] = item["reference_id"] or f"ref-{number}"
        item["locale"] = "eng"
        criteria = item["search_criteria"]
        if criteria.get("reg_event_type") not in ("REGISTER", "NewHouseHoldMember"):
            criteria["reg_event_type"] = "REGISTER"
        if "response_entity" in criteria:
            criteria["response_entity"] = criteria["response_entity"].capitalize()
        criteria["consent"] = {"purpose": "programme-enrolment"}
        criteria["authorize"] = {}
        if isinstance(criteria["query"], list):
            for position, predicate in enumerate(criteria["query"], start=1):
                if not isinstance(predicate.get("seq_num"), int | float):
                    predicate["seq_num"] = position
                for key in ("condition", "expression2"):
                    if predicate.get(key) == "":
                        predicate.pop(key)
    return fixed
