"""Find a person of the officer's communes and open their record with a
purpose: /officer (search, posted), /officer/open, /officer/purpose,
/officer/record. No name, number or id of a person is ever in an address."""

from __future__ import annotations

from flask import abort, redirect, render_template, session, url_for

from portal.officer import assisted, services
from portal.officer.blueprint import blueprint
from portal.officer.forms import ChooseForm, PurposeForm, SearchForm
from portal.registry.client import RegistryValidationError
from portal.web.forms_base import shows_form_again
from portal.web.identity import current_staff
from portal.web.security import roles_required

OFFICER = "officer"


def _home(form: SearchForm, found: services.Found | None = None, status: int = 200):
    from portal.officer import worklists  # the work lists' summary, on the same page

    member = current_staff()
    return (
        render_template(
            "officer/home.html",
            form=form,
            found=found,
            people=[services.describe(person) for person in found.people] if found else [],
            choose=ChooseForm(),
            summary=worklists.summary(member),
        ),
        status,
    )


@blueprint.route("", methods=["GET", "POST"])
@roles_required(OFFICER)
@shows_form_again
def home():
    form = SearchForm()
    if not form.is_submitted():
        return _home(form)
    if not form.validate():
        return _home(form, status=422)
    try:
        found = services.find(current_staff(), form.query.data)
    except RegistryValidationError:
        form.query.errors.append(str(services.NOT_SEARCHABLE))
        return _home(form, status=422)
    return _home(form, found)


@blueprint.post("/open")
@roles_required(OFFICER)
def open_record():
    form = ChooseForm()
    if not form.validate():
        abort(404)
    session[assisted.CHOSEN] = form.spid.data
    return redirect(url_for("officer.purpose"))


@blueprint.route("/purpose", methods=["GET", "POST"])
@roles_required(OFFICER)
@shows_form_again
def purpose():
    spid = session.get(assisted.CHOSEN)
    if not spid:
        return redirect(url_for("officer.home"))
    form = PurposeForm()
    if form.validate_on_submit():
        member = current_staff()
        person = services.choose(member, spid, form.purpose.data)
        if person is None:
            session.pop(assisted.CHOSEN, None)
            abort(404)
        session.pop(assisted.CHOSEN, None)
        session[assisted.OPENED] = {
            "spid": person["spid"],
            "person_id": person["id"],
            "commune_code": services.commune_of(person),
            "purpose": form.purpose.data,
        }
        return redirect(url_for("officer.record"))
    status = 422 if form.errors else 200
    return render_template("officer/purpose.html", form=form), status


@blueprint.get("/record")
@roles_required(OFFICER)
def record():
    opened = session.get(assisted.OPENED)
    if not opened:
        return redirect(url_for("officer.home"))
    member = current_staff()
    person = services.read_opened(member, opened)
    if person is None:
        session.pop(assisted.OPENED, None)
        abort(404)
    household = services.household_of(member, person, opened["purpose"])
    return render_template(
        "officer/record.html",
        person=person,
        words=services.describe(person),
        members=services.household_members(household, person),
        purpose=opened["purpose"],
    )
