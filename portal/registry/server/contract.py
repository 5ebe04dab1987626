"""The registry contract (``openapi.yaml``) and validation of request bodies against it."""

from __future__ import annotations

from datetime import datetime
from functools import cache
from pathlib import Path

import yaml
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError, best_match
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from portal.registry.server.errors import ValidationFailed

CONTRACT_PATH = Path(__file__).resolve().parent.parent / "openapi.yaml"
_CONTRACT_URI = "urn:registry-contract"
# libyaml's safe loader when PyYAML was built with it: the same result, 7x faster.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

format_checker = FormatChecker()


@format_checker.checks("date-time", raises=ValueError)
def _is_datetime_with_zone(value: object) -> bool:
    """RFC 3339 date-time: a 'T' between date and time, and a zone."""
    if not isinstance(value, str):
        return True
    if len(value) < 20 or value[10] not in "Tt":
        return False
    return datetime.fromisoformat(value.replace("z", "Z")).tzinfo is not None


@cache
def contract_text() -> str:
    return CONTRACT_PATH.read_text(encoding="utf-8")


@cache
def contract() -> dict:
    return yaml.load(contract_text(), Loader=_YAML_LOADER)  # noqa: S506 (a safe loader)


@cache
def _registry() -> Registry:
    resource = Resource(contents=contract(), specification=DRAFT202012)
    return Registry().with_resource(_CONTRACT_URI, resource)


@cache
def body_validator(path: str, method: str) -> Draft202012Validator:
    """Validator of the JSON request body of one operation of the contract."""
    if "requestBody" not in contract()["paths"][path][method]:
        raise KeyError(f"{method.upper()} {path} has no request body in the contract")
    pointer = "/".join(
        part.replace("~", "~0").replace("/", "~1")
        for part in ("paths", path, method, "requestBody", "content", "application/json")
    )
    wrapper = {"$ref": f"{_CONTRACT_URI}#/{pointer}/schema"}
    return Draft202012Validator(wrapper, registry=_registry(), format_checker=format_checker)


def prepare() -> None:
    """Parse the contract and build every request body's validator now (at
    start), not on the first request that needs one."""
    for path, operations in contract()["paths"].items():
        for method, operation in operations.items():
            if isinstance(operation, dict) and "requestBody" in operation:
                body_validator(path, method)


def schema_validator(name: str) -> Draft202012Validator:
    """Validator of one component schema, e.g. ``PersonFields``."""
    wrapper = {"$ref": f"{_CONTRACT_URI}#/components/schemas/{name}"}
    return Draft202012Validator(wrapper, registry=_registry(), format_checker=format_checker)


def validate_body(body: object, path: str, method: str) -> dict:
    """Return ``body`` if it follows the contract; otherwise raise 422 with field errors."""
    errors = sorted(body_validator(path, method).iter_errors(body), key=lambda e: e.path)
    if errors:
        raise ValidationFailed(_field_errors(errors))
    assert isinstance(body, dict)
    return body


def _field_errors(errors: list[ValidationError]) -> list[tuple[str, str]]:
    found: dict[str, str] = {}
    for error in errors:
        detail = best_match(error.context) if error.context else error
        for field, message in _describe(detail):
            found.setdefault(field, message)
    return list(found.items())


def _describe(error: ValidationError) -> list[tuple[str, str]]:
    base = ".".join(str(part) for part in error.absolute_path)
    join = lambda name: f"{base}.{name}" if base else str(name)  # noqa: E731
    if error.validator == "required" and isinstance(error.instance, dict):
        missing = [name for name in error.validator_value if name not in error.instance]
        return [(join(name), "This field is required.") for name in missing]
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        known = set(error.schema.get("properties", {}))
        return [(join(name), "Unknown field.") for name in error.instance if name not in known]
    if error.validator == "not" and isinstance(error.instance, dict) and "id" in error.instance:
        return [(join("id"), "The id cannot be changed.")]
    return [(base or "body", error.message[:300])]
