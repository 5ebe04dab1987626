"""The ``expression`` query of DCI search in its template form:
``{"type": "ns:org:QueryType:NoSql", "value": {"expression": {"collection":
"Group" | "Member", "query": {...}}}}``, as the official examples write it.

The query is a small document query: ``{"$and": [...]}``, ``{"$or": [...]}``,
``{"$not": {...}}``, and ``{attribute: {"$eq" | "$gt" | "$gte" | "$lt" |
"$lte" | "$in": value}}`` or ``{attribute: value}`` (equal); several keys in
one object must all hold. Attributes are those of predicates; the DCI paths
``demographic_info.person.<attribute>`` and ``person.<attribute>`` name the
same ones. Persons are matched; a Group answer holds the households of the
persons matched, whatever the ``collection``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, not_, or_

from portal.registry.server.name_search import NameTerms
from portal.registry.server.search_conditions import attribute_condition, invalid

COLLECTIONS = ("Group", "Member", "Person")
MAX_DEPTH = 6
MAX_TERMS = 20
_OPERATORS = {"$eq": "eq", "$gt": "gt", "$gte": "ge", "$lt": "lt", "$lte": "le", "$in": "in"}
_PATH_PREFIXES = ("demographic_info.person.", "person.")


def template_condition(query: dict, names: NameTerms) -> ColumnElement[bool]:
    value = query.get("value")
    expression = value.get("expression") if isinstance(value, dict) else None
    if not isinstance(expression, dict) or not isinstance(expression.get("query"), dict):
        raise invalid("expression needs value.expression.query (a document query).")
    collection = expression.get("collection", "Member")
    if collection not in COLLECTIONS:
        raise invalid(f"collection is one of {', '.join(COLLECTIONS)}.")
    counter = [0]
    return _document(expression["query"], names, 1, counter)


def _document(document: Any, names: NameTerms, depth: int, counter: list[int]) -> ColumnElement:
    if depth > MAX_DEPTH:
        raise invalid(f"The expression nests at most {MAX_DEPTH} levels.")
    if not isinstance(document, dict) or not document:
        raise invalid("Each part of the expression is a non-empty object.")
    parts = [_part(key, value, names, depth, counter) for key, value in document.items()]
    return and_(*parts)


def _part(key: str, value: Any, names: NameTerms, depth: int, counter: list[int]) -> ColumnElement:
    if key in ("$and", "$or"):
        if not isinstance(value, list) or not value:
            raise invalid(f"{key} needs a non-empty list.")
        parts = [_document(item, names, depth + 1, counter) for item in value]
        return and_(*parts) if key == "$and" else or_(*parts)
    if key == "$not":
        return not_(_document(value, names, depth + 1, counter))
    if key.startswith("$"):
        raise invalid(f"{key[:20]} is not supported: $and, $or, $not.")
    counter[0] += 1
    if counter[0] > MAX_TERMS:
        raise invalid(f"At most {MAX_TERMS} comparisons.")
    attribute = _attribute(key)
    if not isinstance(value, dict):
        return attribute_condition(attribute, "eq", value, names)
    if not value:
        raise invalid(f"{key[:40]} needs a comparison.")
    comparisons = []
    for operator, operand in value.items():
        if operator not in _OPERATORS:
            raise invalid(f"Comparisons are {', '.join(_OPERATORS)}.")
        comparisons.append(attribute_condition(attribute, _OPERATORS[operator], operand, names))
    return and_(*comparisons)


def _attribute(path: str) -> str:
    for prefix in _PATH_PREFIXES:
        if path.startswith(prefix):
            return path[len(prefix) :]
    return path
