"""Back-office pages for applications (/backoffice/applications): the list a
staff member may see, one application, the decisions on it, and the payment
provider's file.

Programme officers see and decide the applications of their programmes;
commune officers see those of their communes and may only mark them received
and their documents checked. Every other role gets 403, anyone signed out the
sign-in page; an application outside one's scope is "not found"."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from portal.applications import offer, states
from portal.backoffice import describe, payments_csv, services
from portal.backoffice.forms import (
    CommuneOfficerFilters,
    ImportForm,
    InformationForm,
    MoveForm,
    PaymentForm,
    ProgrammeOfficerFilters,
    RefuseForm,
)
from portal.web.forms_base import shows_form_again, whole_number
from portal.web.identity import current_staff
from portal.web.security import roles_required

blueprint = Blueprint("backoffice", __name__, url_prefix="/backoffice")

SEE = (states.COMMUNE_OFFICER, states.PROGRAMME_OFFICER)
DECIDE = (states.PROGRAMME_OFFICER,)
MAX_PAGE = 10_000
# The form of each action on the page (by the state it moves to, or "payment"):
# the prefix of its element ids, and its class.
ACTIONS = {
    states.RECEIVED: ("received", MoveForm),
    states.DOCUMENTS_CHECKED: ("checked", MoveForm),
    states.INFORMATION_REQUESTED: ("information", InformationForm),
    states.APPROVED: ("approve", MoveForm),
    states.REFUSED: ("refuse", RefuseForm),
    "payment": ("payment", PaymentForm),
}


# The list


def _filter_form():
    member = current_staff()
    if member.role == states.PROGRAMME_OFFICER:
        return ProgrammeOfficerFilters(formdata=request.args, programmes=member.programme_ids)
    return CommuneOfficerFilters(
        formdata=request.args, programmes=offer.programme_ids(), communes=member.commune_codes
    )


def _filters(form) -> services.Filters:
    older = form.older_than.data
    return services.Filters(
        state=form.state.data or None,
        commune_code=form.commune.data or None,
        programme_id=form.programme.data or None,
        older_than_days=int(older) if older else None,
        oldest_first=form.order.data == "oldest",
    )


@blueprint.get("/applications")
@roles_required(*SEE)
def applications():
    page = whole_number(request.args.get("page", "1"))
    if page is None or not 1 <= page <= MAX_PAGE:
        abort(404)
    form = _filter_form()
    valid = form.validate() if request.args else True
    found = services.applications_page(current_staff(), _filters(form), page) if valid else None
    pages = max(1, -(-found.count // services.PAGE_SIZE)) if found else 1
    if page > pages:
        abort(404)
    arguments = {name: value for name, value in request.args.items() if name != "page"}
    return render_template(
        "backoffice/applications.html",
        form=form,
        found=found,
        page=page,
        pages=pages,
        page_url=lambda number: url_for(".applications", **arguments, page=number),
        decides=current_staff().role in DECIDE,
        describe=describe,
        words=states.words,
    ), (200 if valid else 400)


# One application


def _forms(application: dict, failed=None) -> dict:
    """The action forms the member may use now, the one that failed as sent."""
    role = current_staff().role
    allowed = set(states.moves_for(role, application["status"]))
    if states.may_record_payment(role, application["status"]):
        allowed.add("payment")
    forms = {}
    for name, (prefix, form_class) in ACTIONS.items():
        if failed is not None and failed[0] == name:
            forms[name] = failed[1]
        elif name in allowed:
            forms[name] = form_class(
                formdata=None, id_prefix=prefix, data={"version": str(application["version"])}
            )
    return forms


def _detail(application_id, failed=None, problem: str | None = None, status: int = 200):
    try:
        found = services.review(current_staff(), application_id)
    except services.NotFound:
        abort(404)
    application = found.application
    return render_template(
        "backoffice/application.html",
        application=application,
        person=found.person,
        household=found.household,
        forms=_forms(application, failed),
        form=failed[1] if failed else None,
        problem=problem,
        offer=offer.offer(application.get("programme_id", "")),
        describe=describe,
        words=states.words,
    ), status


@blueprint.get("/applications/<uuid:application_id>")
@roles_required(*SEE)
def application(application_id):
    return _detail(application_id)


def _act(application_id, name: str, change):
    """Validate the action's form, make the change, tell what happened."""
    prefix, form_class = ACTIONS[name]
    form = form_class(id_prefix=prefix)
    if not form.validate_on_submit():
        return _detail(application_id, failed=(name, form), status=400)
    try:
        updated = change(form)
    except services.NotFound:
        abort(404)
    except services.ChangedMeanwhile as changed:
        words, _tone = states.words(changed.application["status"])
        problem = _(
            "Someone else changed this application while you were looking at it. "
            "It is now “%(state)s”. Check it again before you act.",
            state=words,
        )
        return _detail(application_id, problem=problem, status=412)
    except services.NotPossibleNow as refused:
        words, _tone = states.words(refused.application["status"])
        problem = _("This step is not possible now: the application is “%(state)s”.", state=words)
        return _detail(application_id, problem=problem, status=409)
    except services.RegistryRefused:
        problem = _("The registry did not accept this change. Nothing was changed.")
        return _detail(application_id, problem=problem, status=422)
    words, _tone = states.words(updated["status"])
    flash(_("Saved. The application is now “%(state)s”.", state=words), "success")
    return redirect(url_for(".application", application_id=application_id))


def _mover(application_id, target: str, reason: str | None = None):
    """The change moving the application to ``target``, with the reason given
    (or chosen on the form) and the form's note."""

    def change(form):
        return services.move(
            current_staff(),
            application_id,
            form.version_shown,
            target,
            reason=form.reason.data if hasattr(form, "reason") else reason,
            note=form.note.data or None,
        )

    return change


@blueprint.post("/applications/<uuid:application_id>/received")
@roles_required(*SEE)
@shows_form_again
def mark_received(application_id):
    return _act(application_id, states.RECEIVED, _mover(application_id, states.RECEIVED))


@blueprint.post("/applications/<uuid:application_id>/documents-checked")
@roles_required(*SEE)
@shows_form_again
def documents_checked(application_id):
    target = states.DOCUMENTS_CHECKED
    return _act(application_id, target, _mover(application_id, target))


@blueprint.post("/applications/<uuid:application_id>/information")
@roles_required(*DECIDE)
@shows_form_again
def ask_information(application_id):
    mover = _mover(application_id, states.INFORMATION_REQUESTED, states.INFORMATION_NEEDED)
    return _act(application_id, states.INFORMATION_REQUESTED, mover)


@blueprint.post("/applications/<uuid:application_id>/approve")
@roles_required(*DECIDE)
@shows_form_again
def approve(application_id):
    return _act(application_id, states.APPROVED, _mover(application_id, states.APPROVED))


@blueprint.post("/applications/<uuid:application_id>/refuse")
@roles_required(*DECIDE)
@shows_form_again
def refuse(application_id):
    return _act(application_id, states.REFUSED, _mover(application_id, states.REFUSED))


@blueprint.post("/applications/<uuid:application_id>/payments")
@roles_required(*DECIDE)
@shows_form_again
def record_payment(application_id):
    def change(form):
        payment = services.NewPayment(
            paid_on=form.paid_on.data,
            period=form.period,
            amount_riel=int(form.amount_riel.data),
            provider_reference=form.provider_reference.data or None,
        )
        return services.record_payment(current_staff(), application_id, form.version_shown, payment)

    return _act(application_id, "payment", change)


# The payment provider's file


@blueprint.route("/applications/payments/import", methods=["GET", "POST"])
@roles_required(*DECIDE)
@shows_form_again
def import_payments():
    form = ImportForm()
    outcomes = None
    if form.validate_on_submit():
        outcomes = services.import_payments(current_staff(), form.rows)
    status = 400 if form.errors else 200
    return render_template(
        "backoffice/import.html",
        form=form,
        outcomes=outcomes,
        counts=_counts(outcomes or []),
        columns=",".join(payments_csv.COLUMNS),
    ), status


def _counts(outcomes) -> dict[str, int]:
    counts = dict.fromkeys(
        (services.RECORDED, services.ALREADY_RECORDED, services.REFUSED, services.NOT_DONE), 0
    )
    for outcome in outcomes:
        counts[outcome.outcome] += 1
    return counts
