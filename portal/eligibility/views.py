"""The eligibility screener (no sign-in needed) and its JSON twin."""

from __future__ import annotations

import datetime as dt
import json

from flask import Blueprint, abort, jsonify, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from portal.eligibility import InvalidFacts, evaluate, validate_facts
from portal.eligibility.questions import BY_SLUG, shown_answer
from portal.eligibility.services import (
    SESSION_KEY,
    Screener,
    grouped_results,
    load_registry_facts,
    today,
)
from portal.extensions import csrf, limiter
from portal.web.forms_base import shows_form_again
from portal.web.identity import current_citizen
from portal.web.visitor_pages import same_for_every_visitor, same_for_same_answers

blueprint = Blueprint("eligibility", __name__, url_prefix="/eligibility")
api = Blueprint("eligibility_api", __name__, url_prefix="/api")


def _next_url(screener: Screener) -> str:
    question = screener.next_question(today())
    if question is None:
        return url_for("eligibility.check_answers")
    return url_for("eligibility.question", slug=question.slug)


def _back_url(screener: Screener, question) -> str:
    previous = screener.previous_question(question)
    if previous is None:
        return url_for("eligibility.start")
    return url_for("eligibility.question", slug=previous.slug)


@blueprint.get("")
@same_for_every_visitor
def start():
    return render_template("eligibility/start.html", screener=Screener(session))


@blueprint.get("/next")
def next_question():
    screener = Screener(session)
    load_registry_facts(screener, current_citizen())
    return redirect(_next_url(screener))


@blueprint.post("/restart")
def restart():
    Screener(session).clear()
    return redirect(url_for("eligibility.next_question"))


def _question_page_inputs(slug: str) -> tuple:
    """What a question page shows besides the question: the answer already
    given to it and the question before it (the back link)."""
    question = BY_SLUG.get(slug)
    if question is None:
        return ()
    screener = Screener(session)
    previous = screener.previous_question(question)
    answer = json.dumps(screener.answers.get(question.fact), sort_keys=True, default=str)
    return question.fact in screener.answers, answer, previous and previous.slug


def _all_answers() -> str:
    """What the check-answers page shows: every answer (and the facts the
    registry gave), as one comparable text."""
    return json.dumps(session.get(SESSION_KEY), sort_keys=True, default=str)


def _all_answers_today() -> tuple[str, dt.date]:
    """What the results page shows: every answer, on the day (ages change)."""
    return _all_answers(), today()


@blueprint.route("/q/<slug>", methods=["GET", "POST"])
@shows_form_again
@same_for_same_answers(_question_page_inputs)
def question(slug: str):
    question = BY_SLUG.get(slug) or abort(404)
    screener = Screener(session)
    answered = screener.answers.get(question.fact)
    prefill = {"answer": question.to_answer(answered)} if question.fact in screener.answers else {}
    form = question.form(data=prefill)
    if request.method == "POST" and request.form.get("action") == "unknown":
        # "I do not know" needs no answer, but a token like any other sending.
        if form.token_accepted():
            screener.record_unknown(question)
            return redirect(_next_url(screener))
    elif form.validate_on_submit():
        screener.record(question, question.to_fact(form.answer.data))
        return redirect(_next_url(screener))
    return render_template(
        "eligibility/question.html",
        form=form,
        question=question,
        back_url=_back_url(screener, question),
    )


@blueprint.get("/check")
@same_for_same_answers(_all_answers)
def check_answers():
    screener = Screener(session)
    if not screener.started:
        return redirect(url_for("eligibility.start"))
    return render_template("eligibility/check.html", screener=screener, shown_answer=shown_answer)


@blueprint.get("/results")
@same_for_same_answers(_all_answers_today)
def results():
    screener = Screener(session)
    if not screener.started:
        return redirect(url_for("eligibility.start"))
    as_of = today()
    return render_template(
        "eligibility/results.html", as_of=as_of, **grouped_results(screener.facts(as_of), as_of)
    )


@blueprint.get("/summary")
def printable_summary():
    screener = Screener(session)
    if not screener.started:
        return redirect(url_for("eligibility.start"))
    as_of = today()
    return render_template(
        "eligibility/summary.html",
        as_of=as_of,
        screener=screener,
        shown_answer=shown_answer,
        **grouped_results(screener.facts(as_of), as_of),
    )


def _json_body():
    """The request's JSON, or None when it is not JSON we can read (also when it
    is nested too deep for the parser: that is the sender's mistake, not ours)."""
    try:
        return request.get_json(silent=True)
    except RecursionError:
        return None


@api.post("/eligibility")
@csrf.exempt
@limiter.limit("60 per minute")
def api_evaluate():
    """`{"facts": ..., "as_of": "YYYY-MM-DD"}` → `{"results": [...]}`; 400 with field errors."""
    body = _json_body()
    if not isinstance(body, dict):
        return jsonify(errors={"": _("Give the facts as an object.")}), 400
    errors: dict[str, str] = {}
    unexpected = sorted(set(body) - {"facts", "as_of"})
    for name in unexpected:
        errors[name] = _("This is not a known fact.")
    try:
        as_of = dt.date.fromisoformat(str(body.get("as_of") or today().isoformat()))
    except ValueError:
        errors["as_of"] = _("Give a real date as YYYY-MM-DD.")
        as_of = today()
    facts = body.get("facts", {})
    errors.update({f"facts.{path}": message for path, message in validate_facts(facts).items()})
    if errors:
        return jsonify(errors=errors), 400
    try:
        return jsonify(results=evaluate(facts, as_of))
    except InvalidFacts as invalid:
        return jsonify(errors={f"facts.{p}": m for p, m in invalid.errors.items()}), 400
