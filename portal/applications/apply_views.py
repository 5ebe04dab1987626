"""Applying: /applications/new (what one can apply for here), the start page
of a programme, one question a page, documents and declaration, check your
answers, and the confirmation with the reference."""

from __future__ import annotations

import datetime as dt

from flask import abort, redirect, render_template, request, session, url_for

from portal import local_time
from portal.applications import describe, facts, flow, names, record, services
from portal.applications.blueprint import blueprint
from portal.applications.draft import SENT_KEY, Draft
from portal.applications.forms import (
    DeclarationForm,
    ExpectedDeliveryForm,
    ForWhomForm,
    SchoolNameForm,
    SendForm,
)
from portal.applications.offer import Offer, offer, offers
from portal.applications.questions import (
    CHILD,
    CHILD_BIRTH_DATE,
    CHILD_NAME,
    CHILD_SPID,
    EXPECTED_DELIVERY_DATE,
    FOR_WHOM,
    NOT_LISTED,
    PREGNANT,
    OwnQuestion,
    step_of,
)
from portal.eligibility.services import Screener, programmes_by_id
from portal.i18n import format_date
from portal.khmer import readable_reference
from portal.outbox import keys
from portal.registration.citizen import channel_of, linked_citizen_required
from portal.registry.client import RegistryValidationError
from portal.web.forms_base import shows_form_again
from portal.web.identity import current_citizen


def _offer_or_404(programme: str) -> Offer:
    found = offer(programme)
    if found is None:
        abort(404)
    return found


def _page_url(programme: str, page: str) -> str:
    if page in (flow.DOCUMENTS, flow.CHECK):
        return url_for(f"applications.{page}", programme=programme)
    return url_for("applications.question", programme=programme, slug=page)


def _next_url(draft: Draft, found: Offer) -> str:
    page = flow.next_page(draft, found, Screener(session), local_time.today())
    return _page_url(found.id, page)


def _back_url(draft: Draft, found: Offer, slug: str | None) -> str:
    previous = flow.previous_step(draft, found, Screener(session), slug)
    if previous is None:
        return url_for("applications.start", programme=found.id)
    return _page_url(found.id, previous)


@blueprint.get("/new")
@linked_citizen_required
def new():
    here = offers()
    elsewhere = [
        info
        for info in programmes_by_id().values()
        if info["id"] not in here and not info["ended_on"]
    ]
    return render_template(
        "applications/new.html", offers=list(here), elsewhere=elsewhere, names=names
    )


def _open_page(existing: dict | keys.Waiting):
    """A second open application for the same programme is refused."""
    if isinstance(existing, keys.Waiting):
        reference, programme = existing.reference, existing.detail
    else:
        reference, programme = existing.get("reference", ""), existing.get("programme_id", "")
    return render_template(
        "applications/already.html",
        reference=reference,
        programme=names.programme_name(programme),
    ), 409


@blueprint.get("/new/<programme>")
@linked_citizen_required
def start(programme: str):
    found = offer(programme)
    if found is None:
        info = programmes_by_id().get(programme) or abort(404)
        return render_template("applications/elsewhere.html", info=info)
    citizen = current_citizen()
    existing = services.open_application(citizen, programme)
    if existing is not None:
        return _open_page(existing)
    draft = Draft(session)
    draft.start(programme, services.applicant_of(citizen))
    _reuse_screener_answers(draft, found, Screener(session))
    today = local_time.today()
    result = None
    if found.has_rules:
        result = facts.result(programme, facts.engine_facts(draft, Screener(session), today), today)
    return render_template(
        "applications/start.html",
        offer=found,
        name=names.programme_name(programme),
        benefit=names.programme_benefit(programme),
        registry_rows=describe.registry_rows(draft.applicant, today),
        result=result,
        result_words=describe.eligibility_words(result["status"]) if result else None,
        next_url=_next_url(draft, found),
    )


def _reuse_screener_answers(draft: Draft, found: Offer, screener: Screener) -> None:
    """A woman who told the screener she is pregnant applies for her pregnancy
    (she can change it on the check page): the question is not asked again."""
    said_pregnant = screener.answers.get("person.pregnant") is True
    if FOR_WHOM in found.questions and FOR_WHOM not in draft.answers and said_pregnant:
        draft.record(FOR_WHOM, PREGNANT)


@blueprint.get("/new/<programme>/not-listed")
@linked_citizen_required
def not_listed(programme: str):
    _offer_or_404(programme)
    back_url = url_for("applications.question", programme=programme, slug="for-whom")
    return render_template("applications/not_listed.html", back_url=back_url)


def _own_form(question: OwnQuestion, draft: Draft, today: dt.date):
    answers = draft.answers
    if question.code == FOR_WHOM:
        children = services.children_under_2(
            current_citizen(), draft.applicant.get("household_id"), today
        )
        for child in children:
            child["label"] = f"{child['name']} ({format_date(child['birth_date'])})"
        chosen = (
            answers.get(CHILD_SPID) if answers.get(FOR_WHOM) == CHILD else answers.get(FOR_WHOM)
        )
        form = ForWhomForm(
            data={"for_whom": chosen},
            children=children,
            pregnancy=draft.applicant.get("sex") != "male",
        )
        form.children = {child["spid"]: child for child in children}
        return form
    if question.code == EXPECTED_DELIVERY_DATE:
        day = answers.get(EXPECTED_DELIVERY_DATE)
        data = {"expected_delivery_date": dt.date.fromisoformat(day) if day else None}
        return ExpectedDeliveryForm(data=data, today=today)
    return SchoolNameForm(data={"school_name": answers.get(question.code)})


def _record_own(question: OwnQuestion, draft: Draft, form) -> str | None:
    """Keep a valid answer; the address of a page to show instead, if any."""
    if question.code != FOR_WHOM:
        value = form.data[question.code]
        draft.record(question.code, value.isoformat() if isinstance(value, dt.date) else value)
        return None
    chosen = form.for_whom.data
    if chosen == NOT_LISTED:
        return url_for("applications.not_listed", programme=draft.programme)
    if chosen == PREGNANT:
        draft.record(FOR_WHOM, PREGNANT)
        return None
    child = form.children[chosen]
    draft.record(CHILD_SPID, child["spid"])
    draft.record(CHILD_NAME, child["name"])
    draft.record(CHILD_BIRTH_DATE, child["birth_date"])
    draft.record(FOR_WHOM, CHILD)
    return None


@blueprint.route("/new/<programme>/q/<slug>", methods=["GET", "POST"])
@shows_form_again
@linked_citizen_required
def question(programme: str, slug: str):
    found = _offer_or_404(programme)
    step = step_of(slug) or abort(404)
    draft = Draft(session)
    if not draft.of(programme):
        return redirect(url_for("applications.start", programme=programme))
    screener = Screener(session)
    if not flow.may_ask(step, draft, found, screener):
        return redirect(_next_url(draft, found))
    today = local_time.today()
    if isinstance(step, OwnQuestion):
        form = _own_form(step, draft, today)
        if form.validate_on_submit():
            return redirect(_record_own(step, draft, form) or _next_url(draft, found))
    else:
        answers = facts.answers_of(draft, screener)
        prefill = {"answer": step.to_answer(answers[step.fact])} if step.fact in answers else {}
        form = step.form(data=prefill)
        if request.method == "POST" and request.form.get("action") == "unknown":
            if form.token_accepted():
                draft.record_unknown(step.fact)
                return redirect(_next_url(draft, found))
        elif form.validate_on_submit():
            draft.record_fact(step.fact, step.to_fact(form.answer.data))
            return redirect(_next_url(draft, found))
    return render_template(
        "applications/question.html",
        form=form,
        step=step,
        own=isinstance(step, OwnQuestion),
        name=names.programme_name(programme),
        back_url=_back_url(draft, found, slug),
    ), (400 if form.errors else 200)


@blueprint.route("/new/<programme>/documents", methods=["GET", "POST"])
@shows_form_again
@linked_citizen_required
def documents(programme: str):
    found = _offer_or_404(programme)
    draft = Draft(session)
    if not draft.of(programme):
        return redirect(url_for("applications.start", programme=programme))
    today = local_time.today()
    if flow.next_step(draft, found, Screener(session), today) is not None:
        return redirect(_next_url(draft, found))
    form = DeclarationForm(data={"declaration": draft.declared})
    if form.validate_on_submit():
        draft.declare()
        return redirect(url_for("applications.check", programme=programme))
    return render_template(
        "applications/documents.html",
        form=form,
        offer=found,
        name=names.programme_name(programme),
        due_by=record.documents_due_by(found, today),
        back_url=_back_url(draft, found, None),
    ), (400 if form.errors else 200)


def _check_page(draft: Draft, found: Offer, form: SendForm, refused: bool = False):
    screener = Screener(session)
    today = local_time.today()
    result = None
    if found.has_rules:
        result = facts.result(found.id, facts.engine_facts(draft, screener, today), today)
    rows = describe.answer_rows(draft, found, screener, lambda slug: _page_url(found.id, slug))
    page = render_template(
        "applications/check.html",
        form=form,
        offer=found,
        name=names.programme_name(found.id),
        registry_rows=describe.registry_rows(draft.applicant, today),
        rows=rows,
        result=result,
        result_words=describe.eligibility_words(result["status"]) if result else None,
        due_by=record.documents_due_by(found, today),
        refused=refused,
    )
    return page, 422 if refused else (400 if form.errors else 200)


@blueprint.route("/new/<programme>/check", methods=["GET", "POST"])
@shows_form_again
@linked_citizen_required
def check(programme: str):
    found = _offer_or_404(programme)
    draft = Draft(session)
    if not draft.of(programme):
        # A second tap on "send" finds the draft sent: show what the first one did.
        last = session.get(SENT_KEY) or {}
        if request.method == "POST" and last.get("programme") == programme:
            return redirect(url_for("applications.sent"))
        return redirect(url_for("applications.start", programme=programme))
    if flow.next_page(draft, found, Screener(session), local_time.today()) != flow.CHECK:
        return redirect(_next_url(draft, found))
    form = SendForm()
    if not form.validate_on_submit():
        return _check_page(draft, found, form)
    citizen = current_citizen()
    existing = services.open_application_or_none(citizen, programme)
    if existing is not None and services.id_of(existing) != draft.id:
        return _open_page(existing)  # (this very draft, sent a moment ago, is sent again)
    fresh = services.fresh_applicant_or_none(citizen)
    if fresh is not None:
        draft.applicant = fresh  # the facts sent are the registry's now
    day = local_time.today()
    reference = services.reference_of(draft.id, day)
    content = record.content_of(
        citizen.spid, draft, found, Screener(session), reference, day, channel_of(citizen)
    )
    try:
        sent = services.send(citizen, draft, content)
    except RegistryValidationError:
        return _check_page(draft, found, form, refused=True)
    session[SENT_KEY] = {
        "key": sent.submission.key,
        "reference": sent.reference,
        "programme": programme,
        "due_by": content["documents_due_by"],
        "receipt": sent.receipt,
    }
    draft.clear()
    return redirect(url_for("applications.sent"))


@blueprint.get("/sent")
@linked_citizen_required
def sent():
    last = session.get(SENT_KEY)
    if not last:
        return redirect(url_for("applications.index"))
    submission = services.sent_submission(last["key"])
    found = offer(last["programme"])
    return render_template(
        "applications/sent.html",
        reference=last["reference"],
        readable=readable_reference(last["reference"]),
        name=names.programme_name(last["programme"]),
        offer=found,
        due_by=last["due_by"],
        receipt=last["receipt"],
        delivered=submission is None or submission.delivered,
    )
