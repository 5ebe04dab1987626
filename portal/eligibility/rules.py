"""Load the programmes (``programmes/*.yaml``), validate them and compile them once.

Each file is checked against ``programme.schema.json`` and then for meaning:
known facts, operators that suit them, codes that have texts, real dates in
order. Every error names the file and the field, for example
``elderly_allowance.yaml: conditions[0].fact: 'foo' is not a known fact``.
"""

from __future__ import annotations

import datetime
import functools
import itertools
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from . import messages
from .conditions import Combination, ConditionError, Node, compile_condition, named_rules

HERE = Path(__file__).parent
PROGRAMMES_DIR = HERE / "programmes"
SCHEMA_PATH = HERE / "programme.schema.json"
STATUSES = ("eligible", "likely_eligible", "not_eligible", "needs_information", "ended")


class ProgrammeFileError(ValueError):
    """One or more programme files are invalid; each line names file, field and problem."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True, slots=True)
class Amount:
    """An amount in whole riel, applying when ``when`` is true (always when None)."""

    amount_riel: int
    when: Node | None = None


@dataclass(frozen=True, slots=True)
class Payment:
    """One kind of paid event (for example a pregnancy check-up)."""

    event: str
    amounts: tuple[Amount, ...]
    max_count: int | None
    per: str
    note: str | None


@dataclass(frozen=True, slots=True)
class Period:
    """A date range (both ends inclusive; None is open) with its rules and rates."""

    start: datetime.date | None
    end: datetime.date | None
    condition: Node
    amounts: tuple[Amount, ...]
    frequency: str | None
    cost_riel: int | None
    payments: tuple[Payment, ...] | None
    confidence: str
    source: str
    amount_unverified: bool  # a cash benefit whose amount is not verified: show none

    def covers(self, day: datetime.date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@dataclass(frozen=True, slots=True)
class ApplicationTerms:
    """How citizens apply on the portal: what is asked beyond the facts, and by
    when the documents must be brought."""

    documents_within_days: int
    questions: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Programme:
    id: str
    order: int
    names: Mapping[str, str]
    administered_by: Mapping[str, str]
    confidence: str
    sources: tuple[str, ...]
    documents: tuple[str, ...]
    where_to_apply: tuple[str, ...]
    periods: tuple[Period, ...]
    next_steps: Mapping[str, tuple[str, ...]]
    notes: str = ""
    facts: frozenset[str] = field(default=frozenset())
    applications: ApplicationTerms | None = None  # None: apply elsewhere only

    def period_on(self, day: datetime.date) -> Period | None:
        return next((period for period in self.periods if period.covers(day)), None)

    @property
    def ended_on(self) -> datetime.date | None:
        """The last day of the last period, when the programme has an end."""
        return self.periods[-1].end


class _TextDatesLoader(yaml.SafeLoader):
    """A safe YAML loader that keeps dates as text, so the schema sees what was written."""


_TextDatesLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _field_path(parts: Any) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(top)"


@functools.cache
def _validator() -> jsonschema.protocols.Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def _schema_problems(document: Any) -> list[tuple[str, str]]:
    errors = sorted(_validator().iter_errors(document), key=lambda error: list(error.path))
    return [(_field_path(error.absolute_path), error.message) for error in errors]


class _Compiler:
    """Turns one validated document into a Programme, raising ConditionError on bad meaning."""

    def __init__(self, document: Mapping[str, Any]):
        self.document = document

    def codes(self, codes: list[str], table: Mapping[str, Any], path: str) -> tuple[str, ...]:
        for index, code in enumerate(codes):
            if code not in table:
                raise ConditionError(f"{path}[{index}]", f"{code!r} has no text in messages.py")
        return tuple(codes)

    def date(self, text: str | None, path: str) -> datetime.date | None:
        if text is None:
            return None
        try:
            return datetime.date.fromisoformat(text)
        except ValueError:
            raise ConditionError(path, f"{text!r} is not a real date") from None

    def condition(self, items: list[Any], path: str) -> Node:
        nodes = tuple(compile_condition(item, f"{path}[{i}]") for i, item in enumerate(items))
        for node in nodes:
            for named in named_rules(node):
                if named.rule not in messages.REASONS:
                    raise ConditionError(path, f"rule {named.rule!r} has no text in messages.py")
                self.codes(list(named.next_steps_if_false), messages.NEXT_STEPS, path)
        return Combination("all", nodes, rule=None, next_steps_if_false=())

    def amounts(self, raw: list[Mapping[str, Any]], path: str) -> tuple[Amount, ...]:
        return tuple(
            Amount(
                item["amount_riel"],
                compile_condition(item["when"], f"{path}[{i}].when", named_above=True)
                if "when" in item
                else None,
            )
            for i, item in enumerate(raw)
        )

    def period(self, raw: Mapping[str, Any], path: str, default: Node) -> Period:
        payments = None
        if "payments" in raw:
            payments = []
            for i, item in enumerate(raw["payments"]):
                where = f"{path}.payments[{i}]"
                self.codes([item["event"]], messages.PAYMENT_EVENTS, f"{where}.event")
                if "note" in item:
                    self.codes([item["note"]], messages.PAYMENT_NOTES, f"{where}.note")
                payments.append(
                    Payment(
                        item["event"],
                        self.amounts(item["amounts"], f"{where}.amounts"),
                        item["max_count"],
                        item["per"],
                        item.get("note"),
                    )
                )
        if "amounts" in raw:
            amounts = self.amounts(raw["amounts"], f"{path}.amounts")
        elif raw.get("amount_riel") is not None:
            amounts = (Amount(raw["amount_riel"]),)
        else:
            amounts = ()
        return Period(
            start=self.date(raw.get("from"), f"{path}.from"),
            end=self.date(raw.get("to"), f"{path}.to"),
            condition=(
                self.condition(raw["conditions"], f"{path}.conditions")
                if "conditions" in raw
                else default
            ),
            amounts=amounts,
            frequency=raw["frequency"],
            cost_riel=raw.get("cost_riel"),
            payments=tuple(payments) if payments is not None else None,
            confidence=raw["confidence"],
            source=raw["source"],
            amount_unverified="amount_riel" in raw and raw["amount_riel"] is None,
        )

    def programme(self, stem: str) -> Programme:
        doc = self.document
        if doc["id"] != stem:
            raise ConditionError("id", f"{doc['id']!r} does not match the file name {stem!r}")
        default = self.condition(doc["conditions"], "conditions")
        periods = tuple(
            self.period(raw, f"periods[{i}]", default) for i, raw in enumerate(doc["periods"])
        )
        for i, (before, after) in enumerate(itertools.pairwise(periods)):
            if before.end is None or after.start is None or after.start <= before.end:
                raise ConditionError(f"periods[{i + 1}].from", "periods must follow each other")
        for period in periods:
            if period.start and period.end and period.end < period.start:
                raise ConditionError("periods", "a period ends before it starts")
        next_steps = {
            status: self.codes(codes, messages.NEXT_STEPS, f"next_steps.{status}")
            for status, codes in doc["next_steps"].items()
        }
        amounts = [amount for p in periods for amount in p.amounts]
        amounts += [amount for p in periods for pay in p.payments or () for amount in pay.amounts]
        facts = frozenset().union(
            *(period.condition.facts for period in periods),
            *(amount.when.facts for amount in amounts if amount.when),
        )
        if doc["id"] not in messages.BENEFITS:
            raise ConditionError("id", f"{doc['id']!r} has no benefit text in messages.py")
        return Programme(
            id=doc["id"],
            order=doc["order"],
            names=dict(doc["names"]),
            administered_by=dict(doc["administered_by"]),
            confidence=doc["confidence"],
            sources=tuple(doc["sources"]),
            documents=self.codes(doc["documents"], messages.DOCUMENTS, "documents"),
            where_to_apply=self.codes(doc["where_to_apply"], messages.PLACES, "where_to_apply"),
            periods=periods,
            next_steps=next_steps,
            notes=doc.get("notes", ""),
            facts=facts,
            applications=_terms(doc.get("applications")),
        )


def _terms(raw: Mapping[str, Any] | None) -> ApplicationTerms | None:
    if raw is None:
        return None
    return ApplicationTerms(raw["documents_within_days"], tuple(raw["questions"]))


def load_programme(path: Path) -> Programme:
    """Load, validate and compile one programme file, or raise ProgrammeFileError."""
    name = path.name
    try:
        document = yaml.load(path.read_text(encoding="utf-8"), Loader=_TextDatesLoader)  # noqa: S506 - a SafeLoader
    except yaml.YAMLError as error:
        raise ProgrammeFileError([f"{name}: (top): not valid YAML: {error}"]) from None
    problems = _schema_problems(document)
    if problems:
        raise ProgrammeFileError([f"{name}: {where}: {message}" for where, message in problems])
    try:
        return _Compiler(document).programme(path.stem)
    except ConditionError as error:
        raise ProgrammeFileError([f"{name}: {error.path}: {error.message}"]) from None


def load_programmes(directory: Path = PROGRAMMES_DIR) -> tuple[Programme, ...]:
    """Every programme in ``directory``, in result order; all problems reported at once."""
    programmes: list[Programme] = []
    problems: list[str] = []
    for path in sorted(directory.glob("*.yaml")):
        try:
            programmes.append(load_programme(path))
        except ProgrammeFileError as error:
            problems.extend(error.problems)
    orders: dict[int, str] = {}
    for programme in programmes:
        if programme.order in orders:
            problems.append(
                f"{programme.id}.yaml: order: {programme.order} is also used by "
                f"{orders[programme.order]}.yaml"
            )
        orders[programme.order] = programme.id
    if not programmes and not problems:
        problems.append(f"{directory}: no programme files")
    if problems:
        raise ProgrammeFileError(problems)
    return tuple(sorted(programmes, key=lambda programme: programme.order))


@functools.cache
def catalogue() -> tuple[Programme, ...]:
    """The bundled programmes, loaded and validated once (on first use)."""
    return load_programmes()
