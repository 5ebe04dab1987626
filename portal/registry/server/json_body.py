"""The JSON body of a request, parsed safely before anything else looks at it.

Refused with the DCI error body: a body that is not JSON (415), larger than
``MAX_CONTENT_LENGTH`` even when sent chunked (413), not valid JSON, with
``NaN``/``Infinity`` or a number too large for a double (400), nested deeper than
``MAX_DEPTH`` (400), or holding text the database cannot store (422, per field).
"""

from __future__ import annotations

import json
import math

from flask import request
from werkzeug.exceptions import RequestEntityTooLarge

from portal.registry.server.errors import ApiError, ValidationFailed
from portal.registry.server.safe_text import text_problem

MAX_DEPTH = 32
_MAX_TEXT_ERRORS = 20


def _bad(message: str) -> ApiError:
    return ApiError(400, "err.request.bad", message)


class _NotFinite(ValueError):
    """NaN, Infinity, or a number beyond a double's range (1e999)."""


def _finite(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise _NotFinite(text)
    return number


def _no_constant(name: str) -> float:
    raise _NotFinite(name)


def read_json_body() -> object:
    """The request's JSON body; raises ApiError (or 413) when it cannot be used."""
    if not request.is_json:
        raise ApiError(415, "err.request.media_type", "Send the body as application/json.")
    raw = _read_limited()
    try:
        body = json.loads(raw, parse_float=_finite, parse_constant=_no_constant)
    except RecursionError:
        raise _bad(f"The body nests deeper than {MAX_DEPTH} levels.") from None
    except _NotFinite:
        raise _bad("Numbers must be finite: no NaN, Infinity or 1e999.") from None
    except ValueError:
        # Also bytes that are not UTF-8 and integers too long to convert.
        raise _bad("The body is not valid JSON.") from None
    _check_values(body)
    return body


def _read_limited() -> bytes:
    data = request.get_data(cache=True)
    limit = request.max_content_length
    # A chunked body has no Content-Length; Werkzeug stops reading it at the limit
    # without an error, which would leave a truncated document.
    if limit is not None and request.content_length is None and len(data) >= limit:
        raise RequestEntityTooLarge()
    return data


def _check_values(body: object) -> None:
    """Depth, and storable text in every key and string (without recursion)."""
    problems: list[tuple[str, str]] = []
    pending: list[tuple[object, str, int]] = [(body, "", 1)]
    while pending:
        value, path, depth = pending.pop()
        if isinstance(value, dict | list) and depth > MAX_DEPTH:
            raise _bad(f"The body nests deeper than {MAX_DEPTH} levels.")
        if isinstance(value, dict):
            for key, item in value.items():
                field = f"{path}.{key}" if path else key
                problem = text_problem(key)
                if problem:
                    problems.append((path or "body", f"A field name is not storable: {problem}"))
                    continue
                pending.append((item, field, depth + 1))
        elif isinstance(value, list):
            pending.extend(
                (item, f"{path}.{index}" if path else str(index), depth + 1)
                for index, item in enumerate(value)
            )
        elif isinstance(value, str):
            problem = text_problem(value)
            if problem:
                problems.append((path or "body", problem))
    if problems:
        problems.sort()
        raise ValidationFailed(problems[:_MAX_TEXT_ERRORS])
