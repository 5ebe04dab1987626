"""A tiny, safe condition language with three-valued (Kleene) logic.

A condition is plain data, never code. A node is one of

    {all: [node, ...]}  {any: [node, ...]}  {not: node}
    {fact: <path>, <operator>: <value>}

with operators ``eq ne in not_in gte gt lte lt`` (comparisons), ``age_at_least``
and ``age_under`` (years at the evaluation date, on a date of birth),
``child_under_months`` (on ``children``) and ``not_expired: true`` (a date on or
after the evaluation date). Any node may carry ``rule: <code>`` naming the rule
it expresses (reasons are given per rule) and ``next_steps_if_false``, with
``next_steps_unless: <node>`` to leave those steps out when that node is true
(no "get a disability card" for a person who has no disability).

Each node evaluates to True, False or None (unknown). An absent fact is
unknown; ``null`` is a known value (no Equity Card, not enrolled) that no
ordering comparison matches.
"""

from __future__ import annotations

import datetime
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from typing import Any

from .facts import CHILDREN, FACTS_BY_PATH, Fact

Value = bool | None
Flat = Mapping[str, Any]
_MISSING = object()

COMPARISONS: dict[str, Callable[[Any, Any], bool]] = {
    "eq": lambda fact, ref: fact == ref,
    "ne": lambda fact, ref: fact != ref,
    "in": lambda fact, ref: fact in ref,
    "not_in": lambda fact, ref: fact not in ref,
    "gte": lambda fact, ref: fact is not None and fact >= ref,
    "gt": lambda fact, ref: fact is not None and fact > ref,
    "lte": lambda fact, ref: fact is not None and fact <= ref,
    "lt": lambda fact, ref: fact is not None and fact < ref,
}
DATE_OPERATORS = ("age_at_least", "age_under", "not_expired")
OPERATORS = (*COMPARISONS, *DATE_OPERATORS, "child_under_months")
NODE_KEYS = frozenset(
    {"all", "any", "not", "fact", *OPERATORS, "rule", "next_steps_if_false", "next_steps_unless"}
)


class ConditionError(ValueError):
    """A condition that does not compile; ``path`` points at the bad field."""

    def __init__(self, path: str, message: str):
        self.path = path
        self.message = message
        super().__init__(f"{path}: {message}")


def age_in_years(birth_date: datetime.date, on: datetime.date) -> int:
    """Completed years of age on ``on`` (a person is 60 on their 60th birthday)."""
    before_birthday = (on.month, on.day) < (birth_date.month, birth_date.day)
    return on.year - birth_date.year - before_birthday


def age_in_months(birth_date: datetime.date, on: datetime.date) -> int:
    """Completed months of age on ``on`` (24 on the second birthday)."""
    months = (on.year - birth_date.year) * 12 + on.month - birth_date.month
    return months - (on.day < birth_date.day)


class Node(ABC):
    """A compiled condition. ``value`` decides; ``explain`` also says why."""

    __slots__ = ("facts", "next_steps_if_false", "next_steps_unless", "rule")

    def __init__(
        self,
        rule: str | None,
        next_steps_if_false: tuple[str, ...],
        next_steps_unless: Node | None = None,
    ):
        self.rule = rule
        self.next_steps_if_false = next_steps_if_false
        self.next_steps_unless = next_steps_unless
        self.facts: frozenset[str] = frozenset()

    def _unless_facts(self) -> frozenset[str]:
        return self.next_steps_unless.facts if self.next_steps_unless else frozenset()

    def steps_if_false(self, flat: Flat, as_of: datetime.date) -> tuple[str, ...]:
        """The next steps when this node is false (none when ``next_steps_unless`` holds)."""
        unless = self.next_steps_unless
        if unless is not None and unless.value(flat, as_of) is True:
            return ()
        return self.next_steps_if_false

    @abstractmethod
    def value(self, flat: Flat, as_of: datetime.date) -> Value:
        """True, False or None (unknown)."""

    @abstractmethod
    def explain(self, flat: Flat, as_of: datetime.date) -> Explanation:
        """The value, the named rules that decided it, and the facts that could change it."""

    def _named(self, value: Value, inner: Explanation) -> Explanation:
        if self.rule is None:
            return inner
        return Explanation(value, ((self, value),), inner.unknown)


class Explanation:
    """A node's value, the named rules that decided it, and the facts that could change it."""

    __slots__ = ("rules", "unknown", "value")

    def __init__(self, value: Value, rules: tuple, unknown: frozenset[str]):
        self.value = value
        self.rules: tuple[tuple[Node, Value], ...] = rules
        self.unknown = unknown


class Leaf(Node):
    __slots__ = ("fact", "test")

    def __init__(self, fact: str, test: Callable[[Any, datetime.date], Value], **named: Any):
        super().__init__(**named)
        self.fact = fact
        self.test = test
        self.facts = frozenset({fact}) | self._unless_facts()

    def value(self, flat: Flat, as_of: datetime.date) -> Value:
        known = flat.get(self.fact, _MISSING)
        return None if known is _MISSING else self.test(known, as_of)

    def explain(self, flat: Flat, as_of: datetime.date) -> Explanation:
        value = self.value(flat, as_of)
        unknown = frozenset({self.fact}) if value is None else frozenset()
        return self._named(value, Explanation(value, (), unknown))


class Combination(Node):
    """``all`` / ``any`` / ``not`` over child nodes, in Kleene logic."""

    __slots__ = ("children", "kind")

    def __init__(self, kind: str, children: tuple[Node, ...], **named: Any):
        super().__init__(**named)
        self.kind = kind
        self.children = children
        self.facts = frozenset().union(*(child.facts for child in children), self._unless_facts())

    def _combine(self, values: list[Value]) -> Value:
        if self.kind == "not":
            return None if values[0] is None else not values[0]
        dominant = self.kind == "any"  # True decides `any`, False decides `all`
        if dominant in values:
            return dominant
        return None if None in values else not dominant

    def value(self, flat: Flat, as_of: datetime.date) -> Value:
        return self._combine([child.value(flat, as_of) for child in self.children])

    def explain(self, flat: Flat, as_of: datetime.date) -> Explanation:
        parts = [child.explain(flat, as_of) for child in self.children]
        value = self._combine([part.value for part in parts])
        if self.kind == "not":
            deciding = parts
        elif value is None or value is (self.kind == "any"):
            deciding = [part for part in parts if part.value is value]
        else:
            deciding = parts
        rules = tuple(rule for part in deciding for rule in part.rules)
        unknown = (
            frozenset().union(*(part.unknown for part in deciding))
            if value is None
            else frozenset()
        )
        return self._named(value, Explanation(value, rules, unknown))


def _check_reference(fact: Fact, operator: str, ref: Any, path: str) -> None:
    """Raise ConditionError unless ``ref`` suits ``operator`` on ``fact``."""

    def fits(item: Any) -> bool:
        if item is None:
            return fact.nullable
        if fact.kind == "bool":
            return isinstance(item, bool)
        if fact.kind == "enum":
            return item in fact.choices and not isinstance(item, bool)
        if fact.kind in ("int", "number"):
            return isinstance(item, int | float) and not isinstance(item, bool)
        return False

    where = f"{path}.{operator}"
    if operator in ("in", "not_in"):
        if not isinstance(ref, list) or not ref or not all(fits(item) for item in ref):
            raise ConditionError(where, f"{ref!r} is not a list of values of {fact.path}")
    elif operator in ("eq", "ne"):
        if not fits(ref):
            raise ConditionError(where, f"{ref!r} is not a value of {fact.path}")
    elif operator in ("gte", "gt", "lte", "lt"):
        if fact.kind not in ("int", "number") or ref is None or not fits(ref):
            raise ConditionError(where, f"{operator} needs a number and a numeric fact")
    elif operator == "not_expired":
        if fact.kind != "date" or ref is not True:
            raise ConditionError(where, "not_expired needs a date fact and the value true")
    elif operator in ("age_at_least", "age_under"):
        if fact.path != "person.birth_date" or isinstance(ref, bool) or not isinstance(ref, int):
            raise ConditionError(where, f"{operator} needs person.birth_date and whole years")
    elif operator == "child_under_months" and (
        fact.path != CHILDREN or isinstance(ref, bool) or not isinstance(ref, int) or ref < 1
    ):
        raise ConditionError(where, "child_under_months needs children and whole months")


def _leaf_test(operator: str, ref: Any) -> Callable[[Any, datetime.date], Value]:
    if operator in COMPARISONS:
        compare = COMPARISONS[operator]
        return lambda known, _as_of: compare(known, ref)
    if operator == "age_at_least":
        return lambda born, as_of: age_in_years(born, as_of) >= ref
    if operator == "age_under":
        return lambda born, as_of: age_in_years(born, as_of) < ref
    if operator == "not_expired":
        return lambda expiry, as_of: expiry >= as_of

    def child_under(birth_dates: list, as_of: datetime.date) -> Value:
        unknown = False
        for born in birth_dates:
            if born is None:
                unknown = True
            elif born <= as_of and age_in_months(born, as_of) < ref:
                return True
        return None if unknown else False

    return child_under


def compile_condition(raw: Any, path: str, named_above: bool = False) -> Node:
    """Compile a condition's data into a Node, or raise ConditionError naming ``path``.

    With ``named_above`` False every leaf must be covered by a ``rule`` (on
    itself or an enclosing node), so every decision can be explained.
    Pass ``named_above=True`` for conditions that need no reasons.
    """
    if not isinstance(raw, Mapping):
        raise ConditionError(path, "a condition must be a mapping")
    unknown_keys = sorted(set(raw) - NODE_KEYS)
    if unknown_keys:
        raise ConditionError(f"{path}.{unknown_keys[0]}", "is not a condition keyword")
    rule = raw.get("rule")
    if rule is not None and not isinstance(rule, str):
        raise ConditionError(f"{path}.rule", "must be a string")
    steps = raw.get("next_steps_if_false", [])
    if not isinstance(steps, list) or not all(isinstance(step, str) for step in steps):
        raise ConditionError(f"{path}.next_steps_if_false", "must be a list of codes")
    unless = None
    if "next_steps_unless" in raw:
        where = f"{path}.next_steps_unless"
        unless = compile_condition(raw["next_steps_unless"], where, named_above=True)
    named = {"rule": rule, "next_steps_if_false": tuple(steps), "next_steps_unless": unless}
    covered = named_above or rule is not None
    kinds = [key for key in ("all", "any", "not", "fact") if key in raw]
    if len(kinds) != 1:
        raise ConditionError(path, "needs exactly one of all, any, not, fact")
    kind = kinds[0]
    if kind == "not":
        return Combination("not", (compile_condition(raw["not"], f"{path}.not", covered),), **named)
    if kind in ("all", "any"):
        items = raw[kind]
        if not isinstance(items, list) or not items:
            raise ConditionError(f"{path}.{kind}", "must be a non-empty list of conditions")
        children = tuple(
            compile_condition(item, f"{path}.{kind}[{index}]", covered)
            for index, item in enumerate(items)
        )
        return Combination(kind, children, **named)
    fact = FACTS_BY_PATH.get(raw["fact"]) if isinstance(raw["fact"], str) else None
    if fact is None:
        raise ConditionError(f"{path}.fact", f"{raw['fact']!r} is not a known fact")
    operators = [key for key in OPERATORS if key in raw]
    if len(operators) != 1:
        raise ConditionError(path, f"needs exactly one operator: {', '.join(OPERATORS)}")
    if not covered:
        raise ConditionError(f"{path}.rule", "is required here, so the result can name its rule")
    operator = operators[0]
    _check_reference(fact, operator, raw[operator], path)
    ref = raw[operator]
    if operator in ("in", "not_in"):
        ref = frozenset(ref)
    return Leaf(fact.path, _leaf_test(operator, ref), **named)


def named_rules(node: Node) -> list[Node]:
    """Every node in ``node`` that names a rule, outermost first."""
    found = [node] if node.rule else []
    for child in getattr(node, "children", ()):
        found.extend(named_rules(child))
    return found
