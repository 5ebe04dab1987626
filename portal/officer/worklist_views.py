"""The commune officer's work lists: /officer/changes (change requests of their
communes waiting for a decision), /officer/changes/<id> (one, confirmed or
refused), /officer/grievances (grievances they reported for someone),
/officer/activity (what they did today).

Commune officers only; a request outside their communes is "not found"."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from portal.changes.kinds import status_words
from portal.grievances import categories
from portal.grievances import states as grievance_states
from portal.local_time import local_day
from portal.officer import worklist_words as words
from portal.officer import worklists
from portal.officer.blueprint import blueprint
from portal.officer.worklist_forms import ConfirmForm, RefuseForm
from portal.web.forms_base import shows_form_again, whole_number
from portal.web.identity import current_staff
from portal.web.security import roles_required

OFFICER = "officer"
MAX_PAGE = 10_000
CONFIRM, REFUSE = "confirm", "refuse"
FORMS = {CONFIRM: ConfirmForm, REFUSE: RefuseForm}


def _page() -> int:
    page = whole_number(request.args.get("page", "1"))
    if page is None or not 1 <= page <= MAX_PAGE:
        abort(404)
    return page


def _pages(count: int, page: int) -> int:
    pages = max(1, -(-count // worklists.PAGE_SIZE))
    if page > pages:
        abort(404)
    return pages


# Change requests


@blueprint.get("/changes")
@roles_required(OFFICER)
def changes():
    member = current_staff()
    page = _page()
    found = worklists.waiting_changes(member, page)
    pages = _pages(found.count, page)
    persons = worklists.people(member, [change.get("person_spid") for change in found.results])
    return render_template(
        "officer/changes.html",
        found=found,
        persons=persons,
        page=page,
        pages=pages,
        page_url=lambda number: url_for(".changes", page=number),
        words=words,
        status_words=status_words,
    )


def _forms(change: dict, failed=None) -> dict:
    """The decision forms (none once decided), the one that failed as sent."""
    if change["status"] not in worklists.WAITING:
        return {}
    forms = {}
    for name, form_class in FORMS.items():
        if failed is not None and failed[0] == name:
            forms[name] = failed[1]
        else:
            version = {"version": str(change["version"])}
            forms[name] = form_class(formdata=None, id_prefix=name, data=version)
    return forms


def _detail(change_id, failed=None, problem: str | None = None, status: int = 200):
    try:
        found = worklists.review(current_staff(), change_id)
    except worklists.NotFound:
        abort(404)
    change = found.change
    return render_template(
        "officer/change.html",
        found=found,
        change=change,
        title=words.title(change),
        status=status_words(change["status"]),
        compared=words.compared_rows(change, found.person, found.member),
        history=words.history_rows(change),
        days=words.days_waited(change),
        sent_on=local_day(change.get("created_at")),
        forms=_forms(change, failed),
        problem=problem,
        person_name=words.person_name,
    ), status


@blueprint.get("/changes/<uuid:change_id>")
@roles_required(OFFICER)
def change(change_id):
    return _detail(change_id)


def _decide(change_id, name: str, decide):
    form = FORMS[name](id_prefix=name)
    if not form.validate_on_submit():
        return _detail(change_id, failed=(name, form), status=400)
    try:
        decided = decide(form)
    except worklists.NotFound:
        abort(404)
    except worklists.ChangedMeanwhile as changed:
        state, _tone = status_words(changed.change["status"])
        problem = _(
            "Someone else changed this request while you were looking at it. It is now "
            "“%(state)s”. Check it again before you decide.",
            state=state,
        )
        return _detail(change_id, problem=problem, status=412)
    except worklists.NotPossibleNow as refused:
        state, _tone = status_words(refused.change["status"])
        problem = _("This request is decided already: it is “%(state)s”.", state=state)
        return _detail(change_id, problem=problem, status=409)
    except worklists.RegistryRefused:
        problem = _(
            "The registry could not apply this change, so it is not approved: the record may "
            "have changed since the request was sent. The request stays “Being checked”."
        )
        return _detail(change_id, problem=problem, status=422)
    state, _tone = status_words(decided["status"])
    flash(
        _("Saved. The request is now “%(state)s”. The person gets a text message.", state=state),
        "success",
    )
    return redirect(url_for(".change", change_id=change_id))


@blueprint.post("/changes/<uuid:change_id>/confirm")
@roles_required(OFFICER)
@shows_form_again
def confirm_change(change_id):
    def decide(form):
        return worklists.confirm(current_staff(), change_id, form.version_shown)

    return _decide(change_id, CONFIRM, decide)


@blueprint.post("/changes/<uuid:change_id>/refuse")
@roles_required(OFFICER)
@shows_form_again
def refuse_change(change_id):
    def decide(form):
        return worklists.refuse(current_staff(), change_id, form.version_shown, form.reason.data)

    return _decide(change_id, REFUSE, decide)


# Grievances and the day's activity


@blueprint.get("/grievances")
@roles_required(OFFICER)
def grievances():
    page = _page()
    found = worklists.reported_grievances(current_staff(), page)
    pages = _pages(found.count, page)
    return render_template(
        "officer/grievances.html",
        found=found,
        page=page,
        pages=pages,
        page_url=lambda number: url_for(".grievances", page=number),
        category_words=categories.words,
        state_words=grievance_states.words,
        local_day=local_day,
    )


@blueprint.get("/activity")
@roles_required(OFFICER)
def activity():
    entries = worklists.today_activity(current_staff())
    return render_template(
        "officer/activity.html",
        rows=words.activity_rows(entries),
        full=len(entries) >= worklists.ACTIVITY_LIMIT,
        day=worklists.start_of_today().date(),
    )
