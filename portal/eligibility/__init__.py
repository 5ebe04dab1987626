"""Eligibility: the programme rules as data, and the engine that applies them.

    from portal.eligibility import evaluate
    results = evaluate(facts, as_of)   # one result per programme, table order

See ``/work/shared/domain/PROGRAMMES.md`` for the facts and result shapes.
"""

from .engine import evaluate, evaluate_programme, programme_ids, programmes, questions_needed
from .facts import FACTS, InvalidFacts, validate_facts
from .rules import ProgrammeFileError, catalogue, load_programmes

__all__ = [
    "FACTS",
    "InvalidFacts",
    "ProgrammeFileError",
    "catalogue",
    "evaluate",
    "evaluate_programme",
    "load_programmes",
    "programme_ids",
    "programmes",
    "questions_needed",
    "validate_facts",
]
