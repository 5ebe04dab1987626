"""Register once: /register (where I stand), one question a page, the
household, check answers with consent, then the SPID; and /register/claim."""

from __future__ import annotations

import datetime as dt
import logging
from functools import wraps

from flask import Blueprint, abort, redirect, render_template, session, url_for
from flask_babel import gettext as _

from portal.extensions import limiter
from portal.notifications.messages import STATUS_WORDS
from portal.registration import places, services
from portal.registration.answers import MAX_MEMBERS, Registration
from portal.registration.citizen import owner_of
from portal.registration.forms import RELATIONSHIPS, ClaimForm, ConsentForm, MemberForm
from portal.registration.questions import MEMBER_TITLE, PLACE_TITLES, QUESTIONS
from portal.registry.client import RegistryConflict, RegistryUnavailable, RegistryValidationError
from portal.web.forms_base import PortalForm, shows_form_again
from portal.web.identity import current_citizen
from portal.web.security import citizen_required

blueprint = Blueprint("registration", __name__, url_prefix="/register")
logger = logging.getLogger("portal.registration")
SENT = "registration_sent"  # {"reference", "state"} of the registration just sent
DUPLICATES = "registration_duplicates"  # names (as typed) the registry may already have
CLAIM_SENT = "claim_sent"  # {"reference", "state"}
# A national ID and a date of birth together are a secret of sorts: no guessing.
# Counted per signed-in person (their verified phone), not per address: many
# people share one mobile network's address.
CLAIM_LIMIT = "10 per hour"


def _claimant() -> str:
    citizen = current_citizen()
    return owner_of(citizen) if citizen else "anonymous"


def not_yet_registered(view):
    """A signed-in citizen with no linked record (a linked one goes to their record)."""

    @wraps(view)
    def guarded(*args, **kwargs):
        if current_citizen().person_id:
            return redirect(url_for("my_record.overview"))
        return view(*args, **kwargs)

    return citizen_required(guarded)


def _registration() -> Registration:
    registration = Registration(session)
    if not registration.started:
        services.begin(registration, dt.date.today())
    return registration


def _url(step: str | None) -> str:
    if step is None:
        return url_for("registration.check")
    if step in places.LEVELS:
        return url_for("registration.place", level=step)
    if step == "household":
        return url_for("registration.household")
    if step == "consent":
        return url_for("registration.consent")
    return url_for("registration.question", slug=step)


def _next(registration: Registration) -> str:
    return _url(registration.next_step(services.skipped_steps(current_citizen())))


def _back(registration: Registration, step: str) -> str:
    previous = registration.previous_step(step, services.skipped_steps(current_citizen()))
    return _url(previous) if previous else url_for("registration.start")


@blueprint.get("")
@not_yet_registered
def start():
    citizen = current_citizen()
    here = services.standing(citizen)
    if current_citizen().person_id:  # a registration or a claim has just made a record theirs
        return redirect(url_for("my_record.overview"))
    return render_template(
        "registration/start.html",
        here=here,
        started=Registration(session).started,
        first=_url("name"),
        status_words=STATUS_WORDS,
    )


@blueprint.route("/q/<slug>", methods=["GET", "POST"])
@not_yet_registered
@shows_form_again
def question(slug: str):
    question = QUESTIONS.get(slug) or abort(404)
    if slug in services.skipped_steps(current_citizen()):
        abort(404)
    registration = _registration()
    answered = registration.is_answered(slug)
    form = question.form(data=question.prefill(registration.answers[slug]) if answered else None)
    if form.validate_on_submit():
        registration.record(slug, question.answer(form))
        return redirect(_next(registration))
    return render_template(
        "registration/question.html",
        form=form,
        title=question.title,
        hint=question.hint,
        back_url=_back(registration, slug),
    )


@blueprint.route("/where/<level>", methods=["GET", "POST"])
@not_yet_registered
@shows_form_again
def place(level: str):
    if level not in places.LEVELS:
        abort(404)
    registration = _registration()
    if not places.options(level, registration.places):
        return redirect(_next(registration))  # the level above is not chosen yet
    form = places.question(level, registration.places)
    if form.validate_on_submit():
        registration.choose_place(level, form.code.data)
        return redirect(_next(registration))
    return render_template(
        "registration/question.html",
        form=form,
        title=PLACE_TITLES[level],
        hint=None,
        back_url=_back(registration, level),
    )


@blueprint.route("/household", methods=["GET", "POST"])
@not_yet_registered
def household():
    registration = _registration()
    form = PortalForm()
    if form.validate_on_submit():
        registration.record("household", True)
        return redirect(_next(registration))
    return render_template(
        "registration/household.html",
        form=form,
        registration=registration,
        relationships=RELATIONSHIPS,
        can_add=len(registration.members) < MAX_MEMBERS,
        back_url=_back(registration, "household"),
    )


@blueprint.route("/household/member", methods=["GET", "POST"], defaults={"index": None})
@blueprint.route("/household/member/<int:index>", methods=["GET", "POST"])
@not_yet_registered
@shows_form_again
def member(index: int | None):
    registration = _registration()
    kept = None if index is None else registration.member(index)
    if index is not None and kept is None:
        abort(404)
    if index is None and len(registration.members) >= MAX_MEMBERS:
        return redirect(url_for("registration.household"))
    prefill = None
    if kept:
        prefill = {
            **kept["name_km"],
            **QUESTIONS["birth-date"].prefill(kept),
            "sex": kept["sex"],
            "household_status": kept["household_status"],
        }
    form = MemberForm(data=prefill)
    if form.validate_on_submit():
        registration.save_member(
            index,
            {
                "name_km": {
                    "surname": form.surname.data.strip(),
                    "given_name": form.given_name.data.strip(),
                },
                "sex": form.sex.data,
                "household_status": form.household_status.data,
                **QUESTIONS["birth-date"].answer(form),
            },
        )
        return redirect(url_for("registration.household"))
    return render_template(
        "registration/question.html",
        form=form,
        title=MEMBER_TITLE,
        hint=None,
        back_url=url_for("registration.household"),
    )


@blueprint.post("/household/member/<int:index>/remove")
@not_yet_registered
def remove_member(index: int):
    registration = _registration()
    if registration.member(index) is None:
        abort(404)
    if PortalForm().validate_on_submit():
        registration.remove_member(index)
    return redirect(url_for("registration.household"))


@blueprint.route("/consent", methods=["GET", "POST"])
@not_yet_registered
@shows_form_again
def consent():
    registration = _registration()
    form = ConsentForm(data={"agree": registration.answers.get("consent")})
    if form.validate_on_submit():
        registration.record("consent", True)
        return redirect(_next(registration))
    return render_template(
        "registration/consent.html", form=form, back_url=_back(registration, "consent")
    )


@blueprint.route("/check", methods=["GET", "POST"])
@not_yet_registered
@shows_form_again
def check():
    citizen = current_citizen()
    registration = _registration()
    missing = registration.next_step(services.skipped_steps(citizen))
    if missing is not None:
        return redirect(_url(missing))
    form = PortalForm()
    if form.validate_on_submit():
        sent = _send(citizen, registration, form)
        if sent is not None:
            return sent
    return render_template(
        "registration/check.html",
        form=form,
        registration=registration,
        citizen=citizen,
        national_id=services.national_id(citizen, registration),
        place=places.village_path(registration.places),
        relationships=RELATIONSHIPS,
        url=_url,
    )


def _send(citizen, registration: Registration, form: PortalForm):
    """Send the registration; a redirect, or None to show the page again with the error."""
    try:
        duplicates = services.possible_duplicates(citizen, registration)
    except RegistryUnavailable:
        duplicates = []  # checked again by the registry, which flags possible duplicates
        logger.warning("duplicate check skipped: the registry did not answer")
    if duplicates:
        session[DUPLICATES] = [person["name_km"] for person in duplicates]
        return redirect(url_for("registration.already_registered"))
    try:
        submission = services.register(citizen, registration)
    except RegistryConflict:
        session[DUPLICATES] = [registration.answers["name"]]
        return redirect(url_for("registration.already_registered"))
    except RegistryValidationError as refused:
        logger.warning("registration refused by the registry: %s", refused.status)
        form.form_errors.append(
            _("The registry could not accept this registration. Your commune office can help.")
        )
        return None
    session[SENT] = {"reference": submission.reference, "state": submission.state}
    registration.clear()
    return redirect(url_for("registration.done"))


@blueprint.get("/done")
@citizen_required
def done():
    sent = session.get(SENT) or abort(404)
    citizen = current_citizen()
    if citizen.person_id is None:
        services.standing(citizen)  # links the session once the registry has the record
        citizen = current_citizen()
    return render_template("registration/done.html", sent=sent, spid=citizen.spid)


@blueprint.get("/already-registered")
@not_yet_registered
def already_registered():
    names = session.get(DUPLICATES) or abort(404)
    return render_template("registration/already_registered.html", names=names)


@blueprint.route("/claim", methods=["GET", "POST"])
@limiter.limit(CLAIM_LIMIT, methods=["POST"], key_func=_claimant)
@not_yet_registered
@shows_form_again
def claim():
    citizen = current_citizen()
    form = ClaimForm(data={"identifier_value": citizen.national_id or ""})
    if form.validate_on_submit():
        outcome = services.claim(citizen, form.identifier_value.data, form.birth_date.data)
        if outcome.result == "linked":
            return redirect(url_for("my_record.overview"))
        if outcome.result == "sent":
            session[CLAIM_SENT] = {
                "reference": outcome.submission.reference,
                "state": outcome.submission.state,
            }
            return redirect(url_for("registration.claim_sent"))
        form.form_errors.append(
            _(
                "We did not find a record with this national ID number and date of birth. "
                "Check them, or ask your commune office."
            )
        )
    return render_template("registration/claim.html", form=form, back_url=url_for(".start"))


@blueprint.get("/claim/sent")
@not_yet_registered
def claim_sent():
    sent = session.get(CLAIM_SENT) or abort(404)
    return render_template("registration/claim_sent.html", sent=sent)
