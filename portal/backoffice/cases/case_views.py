"""The queue and case pages (/backoffice/grievances...), for grievance handlers
and supervisors only: every other role gets 403, anyone signed out the sign-in
page. A case the member may not see is "not found" (404), exactly like a case
that does not exist, on the page and on every action, so guessing ids or
references tells nothing.

Each action is a small form posted on its own, with the version of the case
shown (If-Match); after it the case page is shown again (post/redirect/get).
"""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from portal import local_time
from portal.backoffice.cases import describe, export, linking, queue, services
from portal.backoffice.cases.blueprint import blueprint
from portal.backoffice.cases.forms import (
    VIEWS,
    AssignForm,
    ChangeRequestForm,
    DecideForm,
    ExcludeForm,
    LinkForm,
    NoteForm,
    ReplyForm,
    StatusForm,
    TakeForm,
    queue_filters,
)
from portal.grievances import access, states
from portal.web.forms_base import shows_form_again, whole_number
from portal.web.identity import current_staff
from portal.web.security import roles_required

__all__ = ["blueprint"]

MAX_PAGE = 10_000
# Each action: the prefix of its element ids, its form class, who may use it.
ACTIONS = {
    "take": ("take", TakeForm),
    "assign": ("assign", AssignForm),
    "reply": ("reply", ReplyForm),
    "note": ("note", NoteForm),
    "status": ("status", StatusForm),
    "decide": ("decide", DecideForm),
    "link": ("link", LinkForm),
    "change_request": ("change", ChangeRequestForm),
    "exclude": ("exclude", ExcludeForm),
}
SUPERVISOR_ACTIONS = frozenset({"assign", "exclude"})


# The queue


def _filter_form():
    member = current_staff()
    return queue_filters(
        request.args,
        supervisor=services.is_supervisor(member),
        communes=member.commune_codes,
    )


def _choice():
    """The queue the member asked for, or None (with the form's errors)."""
    form = _filter_form()
    valid = form.validate() if request.args else True
    return form, (queue.choice_of(form) if valid else None)


def _offered(field) -> set[str]:
    return {choice.value for choice in field.choices}


def _include_text() -> bool:
    return request.args.get("include_text") == "1" and services.is_supervisor(current_staff())


@blueprint.get("/grievances")
@roles_required(*access.ROLES)
def queue_page():
    member = current_staff()
    page = whole_number(request.args.get("page", "1"))
    if page is None or not 1 <= page <= MAX_PAGE:
        abort(404)
    form, choice = _choice()
    today = local_time.today()
    found = services.queue_page(member, choice, page, today) if choice else None
    pages = max(1, -(-found.count // services.PAGE_SIZE)) if found else 1
    if page > pages:
        abort(404)
    arguments = {name: value for name, value in request.args.items() if name != "page"}
    filtered = {name: value for name, value in arguments.items() if name != "view"}
    return render_template(
        "backoffice/cases/queue.html",
        form=form,
        found=found,
        page=page,
        pages=pages,
        page_url=lambda number: url_for(".queue_page", **arguments, page=number),
        view_url=lambda name: url_for(".queue_page", **filtered, view=name),
        export_url=url_for(".export_csv", **arguments),
        export_text_url=url_for(".export_csv", **{**arguments, "include_text": "1"}),
        views=[(name, words) for name, words in VIEWS.items() if name in _offered(form.view)],
        current_view=(choice.view if choice else form.view.data) or queue.Choice().view,
        sees_nothing=access.sees_nothing(member),
        supervisor=services.is_supervisor(member),
        describe=describe,
        today=today,
    ), (200 if choice else 400)


@blueprint.get("/grievances/export.csv")
@roles_required(*access.ROLES)
def export_csv():
    _form, choice = _choice()
    if choice is None:
        abort(400)
    member = current_staff()
    today = local_time.today()
    with_text = _include_text()
    cases = list(services.export_cases(member, choice, today))
    body = "".join(export.lines(cases, with_text))
    response = Response(body, mimetype="text/csv")
    response.charset = "utf-8"
    response.headers["Content-Disposition"] = (
        f'attachment; filename="grievances-{today.isoformat()}.csv"'
    )
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


# One case


def _forms(case: dict, failed=None) -> dict:
    """The action forms the member may use now, the one that failed as sent."""
    member = current_staff()
    allowed = {"reply", "note", "link"}
    if case.get("status") != states.CLOSED:
        if case.get("assignee") != member.username:
            allowed.add("take")
        if services.is_supervisor(member):
            allowed.add("assign")
    if services.is_supervisor(member):
        allowed.add("exclude")
    if services.staff_moves(case):
        allowed.add("status")
    if services.may_decide(case):
        allowed.add("decide")
    if linking.may_make_change_request(case):
        allowed.add("change_request")
    forms = {}
    for name, (prefix, form_class) in ACTIONS.items():
        if failed is not None and failed[0] == name:
            forms[name] = failed[1]
        elif name in allowed:
            extra = {"moves": services.staff_moves(case)} if name == "status" else {}
            forms[name] = form_class(
                formdata=None, id_prefix=prefix, data={"version": str(case["version"])}, **extra
            )
    return forms


def _detail(case_id, failed=None, problem: str | None = None, status: int = 200):
    member = current_staff()
    try:
        case = services.case_for(member, case_id)
    except services.NotFound:
        abort(404)
    return render_template(
        "backoffice/cases/case.html",
        case=case,
        linked=services.linked(member, case),
        forms=_forms(case, failed),
        problem=problem,
        supervisor=services.is_supervisor(member),
        describe=describe,
        today=local_time.today(),
    ), status


@blueprint.get("/grievances/<uuid:case_id>")
@roles_required(*access.ROLES)
def case_page(case_id):
    return _detail(case_id)


def _act(case_id, name: str, change, done: str):
    """Validate the action's form, make the change, tell what happened."""
    prefix, form_class = ACTIONS[name]
    extra = {}
    if name == "status":
        try:
            current = services.case_for(current_staff(), case_id)
        except services.NotFound:
            abort(404)
        extra = {"moves": services.staff_moves(current)}
    form = form_class(id_prefix=prefix, **extra)
    if not form.validate_on_submit():
        return _detail(case_id, failed=(name, form), status=400)
    try:
        updated = change(form)
    except services.NotFound:
        abort(404)
    except services.Problem as problem:
        getattr(form, problem.field).errors = [problem.message]
        return _detail(case_id, failed=(name, form), status=400)
    except services.ChangedMeanwhile:
        problem = _(
            "Someone else changed this case while you were looking at it. "
            "Here it is again: check it before you act."
        )
        return _detail(case_id, problem=problem, status=412)
    except services.NotPossibleNow as refused:
        words, _tone = states.words(refused.case.get("status"))
        problem = _("This step is not possible now: the case is “%(state)s”.", state=words)
        return _detail(case_id, problem=problem, status=409)
    except services.RegistryRefused:
        problem = _("The registry did not accept this change. Nothing was changed.")
        return _detail(case_id, problem=problem, status=422)
    flash(done, "success")
    if not access.may_see(current_staff(), updated):  # a supervisor who stood aside
        return redirect(url_for(".queue_page"))
    return redirect(url_for(".case_page", case_id=case_id))


def _member():
    return current_staff()


@blueprint.post("/grievances/<uuid:case_id>/take")
@roles_required(*access.ROLES)
@shows_form_again
def take(case_id):
    def change(form):
        return services.take(_member(), case_id, form.version_shown)

    return _act(case_id, "take", change, _("The case is yours now."))


@blueprint.post("/grievances/<uuid:case_id>/assign")
@roles_required(access.SUPERVISOR)
@shows_form_again
def assign(case_id):
    def change(form):
        return services.assign(_member(), case_id, form.version_shown, form.username.data)

    return _act(case_id, "assign", change, _("The case is assigned."))


@blueprint.post("/grievances/<uuid:case_id>/reply")
@roles_required(*access.ROLES)
@shows_form_again
def reply(case_id):
    def change(form):
        return services.reply(_member(), case_id, form.version_shown, form.text.data)

    return _act(case_id, "reply", change, _("The reply is sent to the reporter."))


@blueprint.post("/grievances/<uuid:case_id>/note")
@roles_required(*access.ROLES)
@shows_form_again
def note(case_id):
    def change(form):
        return services.note(_member(), case_id, form.version_shown, form.text.data)

    return _act(case_id, "note", change, _("The note is saved. The reporter does not see it."))


@blueprint.post("/grievances/<uuid:case_id>/status")
@roles_required(*access.ROLES)
@shows_form_again
def change_status(case_id):
    def change(form):
        return services.move(
            _member(), case_id, form.version_shown, form.status.data, form.note.data
        )

    return _act(case_id, "status", change, _("The state is changed. The reporter is told."))


@blueprint.post("/grievances/<uuid:case_id>/decide")
@roles_required(*access.ROLES)
@shows_form_again
def decide(case_id):
    def change(form):
        decided = services.decide(
            _member(),
            case_id,
            form.version_shown,
            form.outcome.data,
            form.decision_code.data,
            form.explanation.data,
        )
        if decided.original_closed is False:
            flash(_("The appealed case could not be closed. Close it on its own page."), "warning")
        return decided.case

    return _act(case_id, "decide", change, _("The decision is saved. The reporter is told."))


@blueprint.post("/grievances/<uuid:case_id>/link")
@roles_required(*access.ROLES)
@shows_form_again
def link(case_id):
    def change(form):
        return linking.link(
            _member(), case_id, form.version_shown, form.application.data, form.spid.data
        )

    return _act(case_id, "link", change, _("The link is saved."))


@blueprint.post("/grievances/<uuid:case_id>/change-request")
@roles_required(*access.ROLES)
@shows_form_again
def change_request(case_id):
    def change(form):
        return linking.make_change_request(_member(), case_id, form.version_shown, *form.proposed())

    return _act(case_id, "change_request", change, _("The change request is made."))


@blueprint.post("/grievances/<uuid:case_id>/exclude")
@roles_required(access.SUPERVISOR)
@shows_form_again
def exclude(case_id):
    def change(form):
        return services.exclude(_member(), case_id, form.version_shown, form.username.data)

    return _act(case_id, "exclude", change, _("This person will not see this case."))
