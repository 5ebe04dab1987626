"""Follow a grievance: /track (reference + phone number or PIN, no sign-in),
/track/case (the case found, kept by id in the session: no reference or
personal data in the address), /grievances and /grievances/<reference> (the
signed-in citizen's own), and what the reporter may do on both: add
information, say whether they are satisfied, reopen, appeal."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import partial

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal import local_time
from portal.extensions import limiter
from portal.grievances import categories, states, timeline, tracking
from portal.grievances.blueprint import blueprint
from portal.grievances.references import normalised
from portal.grievances.track_forms import (
    YES,
    InformationForm,
    ReasonForm,
    SatisfiedForm,
    TrackForm,
)
from portal.i18n import format_reference
from portal.registry.client import RegistryConflict, RegistryValidationError
from portal.web.forms_base import shows_form_again
from portal.web.identity import current_citizen
from portal.web.own_lists import render_own_list
from portal.web.security import citizen_required

__all__ = ["blueprint"]

TRACKED = "tracked_grievance"  # {"id", "phone" | "pin"}: the case /track found
# Failed tries only (a match redirects): per address, sized so that a commune
# office helping people all day is not stopped by their typing mistakes; per
# reference, so that the PIN of one case cannot be guessed from many addresses.
TRACK_LIMIT = "10 per 15 minutes"
REFERENCE_LIMIT = "10 per hour"
NOT_NOW = _l("This cannot be done now. See below what you can do.")
MOVED_ON = _l("Your complaint was moved on a moment ago. See where it is now.")
WAITING = _l("We received it. It will reach the complaints team as soon as the registry answers.")
DONE = {
    tracking.INFORMATION: _l("Your information was sent to the complaints team."),
    tracking.SATISFIED: _l("Thank you. Your answer was recorded."),
    tracking.REOPEN: _l("Your complaint was opened again. The team will look at it again."),
}


def _failed(response) -> bool:
    return response.status_code != 302


def _typed_reference() -> str:
    return normalised(request.form.get("reference")) or "unreadable"


@dataclass(frozen=True)
class Place:
    """Where a case's pages are: tracked in this session, or the signed-in
    citizen's own (by reference)."""

    reference: str | None = None  # None: the case tracked in the session

    def url(self, action: str | None = None) -> str:
        if self.reference is None:
            if action is None:
                return url_for("grievances.track_case")
            return url_for("grievances.track_action", action=action)
        if action is None:
            return url_for("grievances.own_case", reference=self.reference)
        return url_for("grievances.own_action", reference=self.reference, action=action)


# Finding the case


@blueprint.route("/track", methods=["GET", "POST"])
@limiter.limit(TRACK_LIMIT, methods=["POST"], deduct_when=_failed)
@limiter.limit(REFERENCE_LIMIT, methods=["POST"], key_func=_typed_reference, deduct_when=_failed)
@shows_form_again
def track():
    form = TrackForm()
    if form.validate_on_submit():
        actor = tracking.actor_of(current_citizen())
        case = tracking.find(form.normalised, form.proof_given, actor)
        if case is not None:
            proof = form.proof_given
            session[TRACKED] = {"id": case["id"], "phone": proof.phone, "pin": proof.pin}
            return redirect(url_for("grievances.track_case"))
        form.not_found()
    return render_template("grievances/track.html", form=form)


def _tracked_case() -> tuple[dict, tracking.Proof] | None:
    kept = session.get(TRACKED)
    if not isinstance(kept, dict) or not kept.get("id"):
        return None
    proof = tracking.Proof(phone=kept.get("phone"), pin=kept.get("pin"))
    case = tracking.tracked(kept["id"], proof, tracking.actor_of(current_citizen()))
    return (case, proof) if case is not None else None


@blueprint.get("/track/case")
def track_case():
    found = _tracked_case()
    if found is None:
        return redirect(url_for("grievances.track"))
    return _case_page(found[0], Place())


def _reference(text: str) -> str:
    reference = normalised(text)
    if reference is None:
        abort(404)
    return reference


def _own_case(reference: str) -> dict:
    case = tracking.own_case(current_citizen(), _reference(reference))
    if case is None:
        abort(404)
    return case


@blueprint.get("/grievances")
@citizen_required
def own_cases():
    citizen = current_citizen()
    return render_own_list(
        "grievances/list.html",
        endpoint="grievances.own_cases",
        records_as="cases",
        page_size=tracking.PAGE_SIZE,
        waiting=lambda: tracking.waiting_reports(citizen),
        registry_page=lambda number: tracking.own_cases_page(citizen, number),
        subject=_subject,
        words=states.words,
    )


def _subject(detail: str | None) -> str:
    """What a case (or a waiting report's key detail) is about."""
    if detail == tracking.APPEAL_DETAIL:
        return str(_l("Appeal against a decision"))
    return categories.words(detail)


@blueprint.get("/grievances/<reference>")
@citizen_required
def own_case(reference: str):
    waiting = tracking.waiting_report(current_citizen(), _reference(reference))
    if waiting is not None:
        return render_template("grievances/case_waiting.html", waiting=waiting, subject=_subject)
    return _case_page(_own_case(reference), Place(_reference(reference)))


# The case page


def _last_day(case: dict) -> dt.date | None:
    decided = local_time.local_day(case.get("decided_at"))
    return decided + dt.timedelta(days=states.REOPEN_WITHIN_DAYS) if decided else None


def _case_page(case: dict, place: Place, status: int = 200, **forms):
    citizen = current_citizen()
    actor = tracking.actor_of(citizen)
    today = local_time.today()
    current = case.get("status")
    words, tone = states.words(current)
    waiting = tracking.actions_waiting(citizen, case["id"])
    original = tracking.read(case["appeal_of"], actor) if case.get("appeal_of") else None
    appeal = tracking.appeal_against(case, actor) if states.was_appealed(case) else None
    appeal_words = states.words(appeal.get("status")) if appeal else None
    appeal_decision = (
        states.decision_words(appeal.get("decision_code"))
        if appeal and appeal.get("decision_code")
        else None
    )
    return render_template(
        "grievances/case.html",
        case=case,
        place=place,
        subject=categories.words(case.get("category")),
        words=words,
        tone=tone,
        meaning=states.meaning(current),
        open=current in states.OPEN,
        decision=states.decision_words(case.get("decision_code"))
        if timeline.shows_decision(case)
        else None,
        reply=timeline.last_reply(case) if timeline.shows_decision(case) else None,
        last_day=_last_day(case),
        entries=timeline.entries(case),
        original=original,
        appeal=appeal,
        appeal_words=appeal_words,
        appeal_decision=appeal_decision,
        waiting=bool(waiting),
        may_add=states.may_add_information(case) and not waiting,
        may_say=states.may_say_satisfied(case) and not waiting,
        may_reopen=states.may_reopen(case, today) and not waiting,
        may_appeal=states.may_appeal(case, today) and not waiting,
        information=forms.get("information") or InformationForm(formdata=None),
        satisfied=forms.get("satisfied") or SatisfiedForm(formdata=None),
        local_day=local_time.local_day,
    ), status


# What the reporter does


def _allowed(action: str, case: dict) -> bool:
    if tracking.actions_waiting(current_citizen(), case["id"]):
        return False
    today = local_time.today()
    return {
        tracking.INFORMATION: states.may_add_information(case),
        tracking.SATISFIED: states.may_say_satisfied(case),
        tracking.REOPEN: states.may_reopen(case, today),
        tracking.APPEAL: states.may_appeal(case, today),
    }[action]


def _act(action: str, case: dict, place: Place, pin: str | None = None):
    """One action on a case the person has just been checked to own."""
    if not _allowed(action, case):
        flash(NOT_NOW, "warning")
        return redirect(place.url())
    if action in (tracking.INFORMATION, tracking.SATISFIED) and request.method == "GET":
        return redirect(place.url())
    citizen = current_citizen()
    done = {"actor": tracking.actor_of(citizen), "owner_name": tracking.owner(citizen)}
    if action == tracking.INFORMATION:
        form = InformationForm()
        if not form.validate_on_submit():
            return _case_page(case, place, 400, information=form)
        send = partial(tracking.add_information, case, form.text.data, **done)
    elif action == tracking.SATISFIED:
        form = SatisfiedForm()
        if not form.validate_on_submit():
            return _case_page(case, place, 400, satisfied=form)
        send = partial(tracking.say_satisfied, case, form.satisfied.data == YES, **done)
    else:
        form = ReasonForm()
        if not form.validate_on_submit():
            return _reason_page(action, case, place, form)
        today = local_time.today()
        if action == tracking.REOPEN:
            send = partial(tracking.reopen, case, form.reason.data, today, **done)
        else:
            send = partial(tracking.appeal, case, form.reason.data, today, pin=pin, **done)
    try:
        sent = send()
    except (RegistryValidationError, RegistryConflict):
        flash(MOVED_ON, "warning")
        return redirect(place.url())
    _tell(action, sent)
    return redirect(place.url())


def _tell(action: str, sent) -> None:
    if isinstance(sent, tracking.Appeal):
        flash(
            _(
                "Your appeal was sent to a supervisor. Its reference number is %(reference)s: "
                "keep it, and follow it with the same phone number or PIN.",
                reference=format_reference(sent.reference),
            ),
            "success" if sent.created.delivered else "info",
        )
        return
    if sent.delivered:
        flash(DONE[action], "success")
    else:
        flash(WAITING, "info")


def _reason_page(action: str, case: dict, place: Place, form: ReasonForm):
    return render_template(
        "grievances/case_reason.html",
        form=form,
        action=action,
        case=case,
        place=place,
        last_day=_last_day(case),
    ), (400 if form.errors else 200)


@blueprint.route("/track/case/<action>", methods=["GET", "POST"])
@shows_form_again
def track_action(action: str):
    if action not in tracking.ACTIONS:
        abort(404)
    found = _tracked_case()
    if found is None:
        return redirect(url_for("grievances.track"))
    case, proof = found
    return _act(action, case, Place(), pin=proof.pin)


@blueprint.route("/grievances/<reference>/<action>", methods=["GET", "POST"])
@shows_form_again
@citizen_required
def own_action(reference: str, action: str):
    if action not in tracking.ACTIONS:
        abort(404)
    case = _own_case(reference)
    return _act(action, case, Place(_reference(reference)))
