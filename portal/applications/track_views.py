"""Following one's applications: /applications (the list), /applications/<reference>
(the timeline), answering the office's question, withdrawing."""

from __future__ import annotations

import re

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal import local_time
from portal.applications import names, services, states, timeline
from portal.applications.blueprint import blueprint
from portal.applications.forms import AnswerForm, SendForm
from portal.applications.offer import offer
from portal.khmer import readable_reference, to_ascii_digits
from portal.registration.citizen import linked_citizen_required
from portal.registry.client import RegistryValidationError
from portal.web.forms_base import shows_form_again
from portal.web.identity import current_citizen
from portal.web.own_lists import render_own_list

REFERENCE = re.compile(r"AP-[0-9]{4}-[0-9]{6}")
DECIDED_ALREADY = _l(
    "This application was moved on by the office a moment ago. See where it is now."
)


@blueprint.get("")
@linked_citizen_required
def index():
    citizen = current_citizen()
    return render_own_list(
        "applications/index.html",
        endpoint="applications.index",
        records_as="applications",
        page_size=services.PAGE_SIZE,
        waiting=lambda: services.waiting_applications(citizen),
        registry_page=lambda number: services.applications_page(citizen, number),
        names=names,
        words=states.words,
    )


def _reference(text: str) -> str:
    """The reference as typed (any case, Khmer digits), or 404."""
    reference = to_ascii_digits(text).strip().upper()
    if not REFERENCE.fullmatch(reference):
        abort(404)
    return reference


def _own_application(reference: str) -> dict:
    application = services.application_by_reference(current_citizen(), reference)
    if application is None:
        abort(404)
    return application


def _detail_page(application: dict, form: AnswerForm, status: int = 200):
    current = application.get("status", states.SUBMITTED)
    words, tone = states.words(current)
    programme = application.get("programme_id", "")
    waiting = services.change_waiting(current_citizen(), application["id"])
    found = offer(programme)
    return render_template(
        "applications/detail.html",
        application=application,
        reference=application.get("reference", ""),
        readable=readable_reference(application.get("reference", "")),
        name=names.programme_name(programme),
        words=words,
        tone=tone,
        meaning=states.MEANINGS.get(current),
        entries=timeline.entries(application),
        to_come=timeline.still_to_come(current),
        payments=timeline.payments(application),
        asked=timeline.information_asked(application)
        if current == states.INFORMATION_REQUESTED
        else None,
        appeal_by=timeline.appeal_by(application) if current == states.REFUSED else None,
        documents=found.document_names() if found and current in states.OPEN else [],
        places=found.place_names() if found else [],
        due_by=application.get("documents_due_by") if current in states.OPEN else None,
        waiting=waiting,
        may_withdraw=current in states.WITHDRAWABLE and waiting is None,
        form=form,
        local_day=local_time.local_day,
    ), status


@blueprint.get("/<reference>")
@linked_citizen_required
def detail(reference: str):
    reference = _reference(reference)
    citizen = current_citizen()
    waiting = services.waiting_by_reference(citizen, reference)
    if waiting is not None:
        return render_template(
            "applications/waiting.html",
            waiting=waiting,
            readable=readable_reference(waiting.reference),
            name=names.programme_name(waiting.detail),
        )
    return _detail_page(_own_application(reference), AnswerForm())


@blueprint.post("/<reference>/answer")
@shows_form_again
@linked_citizen_required
def answer(reference: str):
    reference = _reference(reference)
    application = _own_application(reference)
    detail_url = url_for("applications.detail", reference=reference)
    if application.get("status") != states.INFORMATION_REQUESTED:
        return redirect(detail_url)
    form = AnswerForm()
    if not form.validate_on_submit():
        return _detail_page(application, form, 400)
    try:
        done = services.answer(current_citizen(), application, form.text.data)
    except RegistryValidationError:
        flash(DECIDED_ALREADY, "warning")
        return redirect(detail_url)
    if done.delivered:
        flash(_("Your answer was sent to the office."), "success")
    else:
        flash(
            _("We received your answer. It will reach the office as soon as the registry answers."),
            "info",
        )
    return redirect(detail_url)


@blueprint.route("/<reference>/withdraw", methods=["GET", "POST"])
@shows_form_again
@linked_citizen_required
def withdraw(reference: str):
    reference = _reference(reference)
    application = _own_application(reference)
    detail_url = url_for("applications.detail", reference=reference)
    if application.get("status") not in states.WITHDRAWABLE:
        return redirect(detail_url)
    form = SendForm()
    if not form.validate_on_submit():
        return render_template(
            "applications/withdraw.html",
            form=form,
            name=names.programme_name(application.get("programme_id", "")),
            readable=readable_reference(reference),
            back_url=detail_url,
        ), (400 if form.errors else 200)
    try:
        done = services.withdraw(current_citizen(), application)
    except RegistryValidationError:
        flash(DECIDED_ALREADY, "warning")
        return redirect(detail_url)
    if done.delivered:
        flash(_("Your application was withdrawn."), "success")
    else:
        flash(
            _(
                "We received your wish to withdraw this application. "
                "It will be done as soon as the registry answers."
            ),
            "info",
        )
    return redirect(detail_url)
