"""Report a grievance: /grievances/new, open to everyone, one question a page
(what about, which programme, what happened, where, how to contact), check
the answers, send through the outbox, then the reference (and, for an
anonymous report, its PIN, shown once)."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, session, url_for
from flask_babel import lazy_gettext as _l

from portal import gazetteer, local_time
from portal.eligibility.services import programmes_by_id
from portal.extensions import limiter
from portal.grievances import categories, services
from portal.grievances.blueprint import blueprint
from portal.grievances.report_draft import (
    ANONYMOUS,
    CATEGORY,
    CONTACT,
    CONTACT_PHONE,
    NO_PROGRAMME,
    OTHER,
    PLACE_LEVELS,
    PROGRAMME,
    SENT_KEY,
    STEPS,
    WHAT_HAPPENED,
    ReportDraft,
)
from portal.grievances.report_forms import (
    DESCRIPTION_MAX,
    CategoryForm,
    ContactForm,
    ContactPhoneForm,
    DescriptionForm,
    ProgrammeForm,
    SendForm,
)
from portal.i18n import format_number, format_phone
from portal.khmer import readable_reference
from portal.registration import places
from portal.registry.client import RegistryConflict, RegistryValidationError
from portal.web.forms_base import shows_form_again
from portal.web.identity import current_citizen

# Per address, generous: many people share one mobile network's address.
SEND_LIMIT = "60 per hour"
TITLES = {
    CATEGORY: _l("What is your problem about?"),
    PROGRAMME: _l("Which programme is it about?"),
    WHAT_HAPPENED: _l("What happened?"),
    "province": _l("Where did it happen? Choose the province"),
    "district": _l("Choose the district"),
    "commune": _l("Choose the commune"),
    CONTACT: _l("How can we contact you about it?"),
    CONTACT_PHONE: _l("Which phone number can we text?"),
}


def _own_phone() -> str | None:
    citizen = current_citizen()
    return citizen.phone if citizen else None


def _url(step: str | None) -> str:
    if step is None:
        return url_for("grievances.report_check")
    if step in PLACE_LEVELS:
        return url_for("grievances.report_place", level=step)
    return url_for(f"grievances.report_{step.replace('-', '_')}")


def _next(draft: ReportDraft) -> str:
    return _url(draft.first_missing(_own_phone()))


def _back(step: str, draft: ReportDraft) -> str:
    index = STEPS.index(step)
    if step == CONTACT_PHONE:
        return _url(CONTACT)
    if index == 0:
        return url_for("grievances.report_start")
    return _url(STEPS[index - 1])


def _page(step: str, draft: ReportDraft, form, *, field: str, hint=None, **extra):
    return render_template(
        "grievances/new_question.html",
        form=form,
        field=form[field],
        title=TITLES[step],
        hint=hint,
        confidential=draft.confidential,
        back_url=_back(step, draft),
        **extra,
    ), (400 if form.errors else 200)


def _draft_for(step: str) -> ReportDraft | None:
    """The draft, or None when an earlier question is still to answer."""
    draft = ReportDraft(session)
    return draft if draft.may_ask(step, _own_phone()) else None


@blueprint.get("/grievances/new")
def report_start():
    draft = ReportDraft(session)
    contested = request.args.get("application")
    if contested and not draft.category:
        application = services.application_to_contest(current_citizen(), contested)
        if application is not None:
            draft.contest(application)
    return render_template(
        "grievances/new_start.html",
        citizen=current_citizen(),
        started=bool(draft.category),
        next_url=_url(CATEGORY if not draft.category else draft.first_missing(_own_phone())),
    )


@blueprint.route("/grievances/new/category", methods=["GET", "POST"])
@shows_form_again
def report_category():
    draft = ReportDraft(session)
    form = CategoryForm(data={"category": draft.category})
    if form.validate_on_submit():
        draft.record(CATEGORY, form.category.data)
        return redirect(_next(draft))
    return _page(CATEGORY, draft, form, field="category")


@blueprint.route("/grievances/new/programme", methods=["GET", "POST"])
@shows_form_again
def report_programme():
    draft = _draft_for(PROGRAMME)
    if draft is None:
        return redirect(_next(ReportDraft(session)))
    names = {id_: info["name"] for id_, info in programmes_by_id().items()}
    form = ProgrammeForm(data={"programme": draft.programme}, programmes=names)
    if form.validate_on_submit():
        draft.record(PROGRAMME, form.programme.data)
        return redirect(_next(draft))
    return _page(PROGRAMME, draft, form, field="programme")


@blueprint.route("/grievances/new/what-happened", methods=["GET", "POST"])
@shows_form_again
def report_what_happened():
    draft = _draft_for(WHAT_HAPPENED)
    if draft is None:
        return redirect(_next(ReportDraft(session)))
    form = DescriptionForm(data={"description": draft.description})
    if form.validate_on_submit():
        draft.record_description(form.description.data)
        return redirect(_next(draft))
    typed = len(form.description.data or "") if request.method == "POST" else None
    return _page(
        WHAT_HAPPENED,
        draft,
        form,
        field="description",
        hint=categories.hint(draft.category),
        most=format_number(DESCRIPTION_MAX),
        typed=format_number(typed) if typed else None,
    )


@blueprint.route("/grievances/new/where/<level>", methods=["GET", "POST"])
@shows_form_again
def report_place(level: str):
    if level not in PLACE_LEVELS:
        abort(404)
    draft = _draft_for(level)
    if draft is None:
        return redirect(_next(ReportDraft(session)))
    if draft.suggested is None:
        draft.suggest(services.address_codes(current_citizen()))
    form = places.question(level, draft.codes_shown(level))
    if form.validate_on_submit():
        draft.choose_place(level, form.code.data)
        return redirect(_next(draft))
    return _page(level, draft, form, field="code")


@blueprint.route("/grievances/new/contact", methods=["GET", "POST"])
@shows_form_again
def report_contact():
    draft = _draft_for(CONTACT)
    if draft is None:
        return redirect(_next(ReportDraft(session)))
    own_phone = _own_phone()
    form = ContactForm(data={"contact": draft.contact}, own_phone=own_phone)
    if form.validate_on_submit():
        draft.choose_contact(form.contact.data)
        if form.contact.data == OTHER:
            return redirect(_url(CONTACT_PHONE))
        return redirect(_next(draft))
    return _page(CONTACT, draft, form, field="contact", signed_in=current_citizen() is not None)


@blueprint.route("/grievances/new/contact-phone", methods=["GET", "POST"])
@shows_form_again
def report_contact_phone():
    draft = _draft_for(CONTACT_PHONE)
    if draft is None:
        return redirect(_next(ReportDraft(session)))
    form = ContactPhoneForm(data={"phone_number": format_phone(draft.phone) if draft.phone else ""})
    if form.validate_on_submit():
        draft.choose_contact(OTHER, form.e164)
        return redirect(_next(draft))
    return _page(CONTACT_PHONE, draft, form, field="phone_number")


def _rows(draft: ReportDraft) -> list[dict]:
    programme = draft.programme
    programme_name = (
        _l("None, or I do not know")
        if programme == NO_PROGRAMME
        else (programmes_by_id().get(programme or "") or {}).get("name", programme)
    )
    chosen = draft.places
    found = (getattr(gazetteer, level)(chosen.get(level, "")) for level in reversed(PLACE_LEVELS))
    where = ", ".join(places.place_name(place) for place in found if place is not None)
    if draft.anonymous:
        contact = _l("Anonymous: you get a PIN to follow it")
    else:
        contact = format_phone(services.contact_phone(draft, current_citizen()))
    return [
        {"key": _l("About"), "value": categories.words(draft.category), "href": _url(CATEGORY)},
        {"key": _l("Programme"), "value": programme_name, "href": _url(PROGRAMME)},
        {"key": _l("What happened"), "value": draft.description, "href": _url(WHAT_HAPPENED)},
        {"key": _l("Where"), "value": where, "href": _url("province")},
        {"key": _l("Contact"), "value": contact, "href": _url(CONTACT)},
    ]


def _check_page(draft: ReportDraft, form: SendForm, refused: bool = False):
    page = render_template(
        "grievances/new_check.html",
        form=form,
        rows=_rows(draft),
        confidential=draft.confidential,
        anonymous=draft.anonymous,
        signed_in=current_citizen() is not None,
        refused=refused,
    )
    return page, 422 if refused else (400 if form.errors else 200)


@blueprint.route("/grievances/new/check", methods=["GET", "POST"])
@limiter.limit(SEND_LIMIT, methods=["POST"])
@shows_form_again
def report_check():
    draft = ReportDraft(session)
    if not draft.id and request.method == "POST" and session.get(SENT_KEY):
        return redirect(url_for("grievances.report_sent"))  # a second tap on "send"
    missing = draft.first_missing(_own_phone())
    if missing is not None:
        return redirect(_url(missing))
    form = SendForm()
    if not form.validate_on_submit():
        return _check_page(draft, form)
    try:
        sent = services.submit(draft, current_citizen(), local_time.today())
    except (RegistryValidationError, RegistryConflict):
        return _check_page(draft, form, refused=True)
    session[SENT_KEY] = {
        "key": sent.submission.key,
        "reference": sent.reference,
        "resolve_by": sent.resolve_by,
        "receipt": sent.receipt,
        "anonymous": draft.anonymous,
        "confidential": draft.confidential,
        "pin": draft.state.get("pin") if draft.contact == ANONYMOUS else None,
    }
    draft.clear()
    return redirect(url_for("grievances.report_sent"))


@blueprint.get("/grievances/sent")
def report_sent():
    last = session.get(SENT_KEY)
    if not last:
        return redirect(url_for("grievances.report_start"))
    pin = last.get("pin")
    if pin:
        session[SENT_KEY] = {**last, "pin": None}  # shown once
    submission = services.submission_of(last["key"])
    return render_template(
        "grievances/sent.html",
        reference=last["reference"],
        readable=readable_reference(last["reference"]),
        resolve_by=last["resolve_by"],
        receipt=last["receipt"],
        anonymous=last["anonymous"],
        confidential=last.get("confidential"),
        pin=pin,
        delivered=submission is None or submission.delivered,
    )
