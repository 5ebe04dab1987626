"""Change requests: /me/changes (list), /me/changes/new (ask, one question a
page), /me/changes/<id> (one request, withdraw)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal import local_time
from portal.changes import describe, services
from portal.changes.draft import SENT_KEY, STEPS, Draft, answers_of
from portal.changes.forms import KindForm, MemberForm, PhoneForm, SendForm
from portal.changes.kinds import MEMBER, documents_of, status_words, title_of
from portal.registration import places
from portal.registration.citizen import linked_citizen_required
from portal.registry.client import RegistryUnavailable, RegistryValidationError
from portal.web.forms_base import shows_form_again
from portal.web.identity import current_citizen
from portal.web.own_lists import render_own_list

blueprint = Blueprint("changes", __name__, url_prefix="/me/changes")
BEING_CHECKED = _l("This request is already being checked, so it cannot be withdrawn.")


def _next_url(draft: Draft) -> str:
    step = draft.first_unanswered()
    if step is None:
        return url_for("changes.check")
    return url_for("changes.question", step=step)


@blueprint.get("")
@linked_citizen_required
def index():
    citizen = current_citizen()
    return render_own_list(
        "changes/index.html",
        endpoint="changes.index",
        records_as="changes",
        page_size=services.PAGE_SIZE,
        waiting=lambda: services.waiting_requests(citizen),
        registry_page=lambda number: services.requests_page(citizen, number),
        title_of=title_of,
        status_words=status_words,
    )


@blueprint.route("/new", methods=["GET", "POST"])
@shows_form_again
@linked_citizen_required
def choose():
    draft = Draft(session)
    form = KindForm(data={"request_type": draft.request_type})
    if form.validate_on_submit():
        draft.start(form.request_type.data)
        return redirect(_next_url(draft))
    return render_template("changes/choose.html", form=form)


def _question_form(step: str, draft: Draft, members=None):
    if step in places.LEVELS:
        return places.question(step, draft.places)
    if step == MEMBER:
        return MemberForm(data=draft.prefill(step), members=members or ())
    if step == "phone":
        form = PhoneForm(data=draft.prefill(step), current_phone=current_citizen().phone)
    else:
        form = STEPS[step].form(data=draft.prefill(step))
    shown = draft.shown_again(step)
    if shown and request.method == "GET":
        field = getattr(form, shown[0])
        field.raw_data = [shown[1]]  # as the page writes numbers, not as stored
    return form


@blueprint.route("/new/<step>", methods=["GET", "POST"])
@shows_form_again
@linked_citizen_required
def question(step: str):
    draft = Draft(session)
    if not draft.started:
        return redirect(url_for("changes.choose"))
    if step not in STEPS or step not in draft.kind.steps:
        abort(404)
    if not draft.may_ask(step):
        return redirect(_next_url(draft))
    previous = draft.previous(step)
    back_url = url_for("changes.question", step=previous) if previous else url_for(".choose")
    members = None
    if step == MEMBER:
        try:
            members = services.household_members(current_citizen())
        except services.NotInHousehold:
            members = []
        if not members:
            return render_template("changes/no_members.html", back_url=back_url)
    form = _question_form(step, draft, members)
    if form.validate_on_submit():
        if step in places.LEVELS:
            draft.choose_place(step, form.code.data)
        else:
            draft.record(step, answers_of(step, form))
        return redirect(_next_url(draft))
    return render_template(
        "changes/question.html",
        form=form,
        step=STEPS[step],
        kind=draft.kind,
        back_url=back_url,
    )


def _check_page(draft: Draft, form: SendForm, refused: list[str] | None = None):
    citizen = current_citizen()
    content = services.content_of(citizen, draft)
    member = (draft.answers.get(MEMBER) or {}).get("name")
    rows = describe.asked_rows(content, lambda spid: member)
    for row in rows:
        row["href"] = url_for("changes.question", step=row.get("step", MEMBER))
    heads_household = False
    if draft.request_type == "address":
        person = services.person_or_none(citizen)
        heads_household = bool(person and person.get("household_status") == "head")
    page = render_template(
        "changes/check.html",
        form=form,
        kind=draft.kind,
        rows=rows,
        documents=documents_of(draft.request_type or ""),
        heads_household=heads_household,
        refused=refused,
        refused_rows=[row for row in rows if row.get("step") in (refused or ())],
    )
    return page, 422 if refused is not None else (400 if form.errors else 200)


def _still_a_member(citizen, spid: str) -> bool:
    """Checked again before sending (the household may have changed since the
    question); when the registry cannot say now, the answer given stands and
    the registry checks it again on delivery."""
    try:
        return services.still_a_member(citizen, spid)
    except RegistryUnavailable:
        return True


@blueprint.route("/new/check", methods=["GET", "POST"])
@shows_form_again
@linked_citizen_required
def check():
    draft = Draft(session)
    if not draft.started:
        # A second tap on "send" finds the draft sent: show what the first one did.
        sent_already = request.method == "POST" and session.get(SENT_KEY)
        return redirect(url_for("changes.sent" if sent_already else "changes.choose"))
    if not draft.complete():
        return redirect(_next_url(draft))
    form = SendForm()
    if not form.validate_on_submit():
        return _check_page(draft, form)
    citizen = current_citizen()
    member = (draft.answers.get(MEMBER) or {}).get("member_spid")
    if member and not _still_a_member(citizen, member):
        draft.forget(MEMBER)
        flash(_("This person is no longer in your household. Choose again."), "warning")
        return redirect(url_for("changes.question", step=MEMBER))
    try:
        sent = services.send(citizen, draft)
    except RegistryValidationError as refusal:
        steps = draft.kind.steps
        return _check_page(draft, form, describe.refused_steps(list(refusal.field_errors), steps))
    session[SENT_KEY] = {
        "key": sent.key,
        "id": sent.record_id,
        "reference": sent.reference,
        "request_type": draft.request_type,
    }
    draft.clear()
    return redirect(url_for("changes.sent"))


@blueprint.get("/sent")
@linked_citizen_required
def sent():
    last = session.get(SENT_KEY)
    if not last:
        return redirect(url_for("changes.index"))
    submission = services.sent_submission(last["key"])
    delivered = submission is None or submission.delivered
    today = local_time.today()
    return render_template(
        "changes/sent.html",
        reference=last["reference"],
        change_id=last["id"],
        title=title_of(last["request_type"]),
        documents=documents_of(last["request_type"]),
        delivered=delivered,
        checked_by=services.checked_by(today),
    )


def _own_request(change_id) -> dict:
    change = services.request_of(current_citizen(), str(change_id))
    if change is None:
        abort(404)
    return change


@blueprint.get("/<uuid:change_id>")
@linked_citizen_required
def detail(change_id):
    citizen = current_citizen()
    waiting = services.waiting_request(citizen, str(change_id))
    if waiting is not None:
        return render_template(
            "changes/waiting.html", waiting=waiting, title=title_of(waiting.detail)
        )
    change = _own_request(change_id)
    return render_template("changes/detail.html", **describe.request_page(citizen, change))


@blueprint.route("/<uuid:change_id>/withdraw", methods=["GET", "POST"])
@linked_citizen_required
def withdraw(change_id):
    change = _own_request(change_id)
    detail_url = url_for("changes.detail", change_id=change_id)
    if change.get("status") != "submitted":
        if change.get("status") == "in_review":
            flash(BEING_CHECKED, "warning")
        return redirect(detail_url)
    form = SendForm()
    if not form.validate_on_submit():
        return render_template(
            "changes/withdraw.html",
            form=form,
            title=title_of(change.get("request_type", "")),
            reference=services.reference_for(change),
            back_url=detail_url,
        ), (400 if form.errors else 200)
    try:
        done = services.withdraw(current_citizen(), change)
    except RegistryValidationError:  # an officer took it up a moment ago
        flash(BEING_CHECKED, "warning")
        return redirect(detail_url)
    if done.delivered:
        flash(_("Your request was withdrawn."), "success")
    else:
        flash(
            _(
                "We received your wish to withdraw this request. "
                "It will be done as soon as the registry answers."
            ),
            "info",
        )
    return redirect(detail_url)
