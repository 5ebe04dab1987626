"""My record: /me, /me/card, /me/data-access, /me/choose.

No route takes a person id: every page is about the person the session is
linked to. A session whose phone matched several people and is linked to none
of them is sent to /me/choose first.
"""

from __future__ import annotations

from functools import wraps

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from portal.i18n import format_digits, format_spid
from portal.khmer import to_ascii_digits
from portal.my_record import services
from portal.my_record.display import qr_svg
from portal.my_record.forms import ChooseForm
from portal.registration.citizen import linked_citizen_required
from portal.web.forms_base import shows_form_again, whole_number
from portal.web.identity import current_citizen
from portal.web.redirects import local_path
from portal.web.security import citizen_required

blueprint = Blueprint("my_record", __name__, url_prefix="/me")


def person_chosen_required(view):
    """`linked_citizen_required`, but a citizen who has yet to say which of the
    people sharing their phone they are is asked that first."""
    linked = linked_citizen_required(view)

    @wraps(linked)
    def guarded(*args, **kwargs):
        citizen = current_citizen()
        if citizen is not None and citizen.person_id is None and services.candidates():
            return redirect(url_for("my_record.choose"))
        return linked(*args, **kwargs)

    return guarded


@blueprint.get("")
@person_chosen_required
def overview():
    record = services.load_record(current_citizen())
    return render_template(
        "my_record/overview.html", record=record, can_switch=bool(services.candidates())
    )


@blueprint.get("/card")
@person_chosen_required
def card():
    card = services.load_card(current_citizen())
    qr = qr_svg(card.spid, _("QR code of your SPID"))
    return render_template("my_record/card.html", card=card, qr=qr)


@blueprint.get("/data-access")
@person_chosen_required
def data_access():
    page = whole_number(to_ascii_digits(request.args.get("page") or "1"))
    log = services.load_access_log(current_citizen(), page or 0) or abort(404)
    return render_template("my_record/data_access.html", log=log, page_url=_page_url)


def _page_url(page: int) -> str:
    return url_for("my_record.data_access", page=page)


@blueprint.route("/choose", methods=["GET", "POST"])
@citizen_required
@shows_form_again
def choose():
    people = services.candidates()
    if not people:
        return redirect(url_for("my_record.overview"))
    form = ChooseForm()
    form.person_id.choices = [(person["person_id"], _label(person)) for person in people] + [
        (services.SOMEONE_ELSE, _("I am someone else"))
    ]
    if request.method == "GET":
        form.person_id.data = current_citizen().person_id
    if form.validate_on_submit():
        if form.person_id.data == services.SOMEONE_ELSE:
            services.act_as_someone_else()
            return redirect(url_for("registration.start"))
        citizen = services.choose(form.person_id.data) or abort(400)
        chosen = next(p for p in people if p["person_id"] == citizen.person_id)
        flash(_("You are now using the portal as %(name)s.", name=chosen["name"]), "success")
        return redirect(local_path(request.args.get("next")) or url_for("my_record.overview"))
    return render_template("my_record/choose.html", form=form)


def _label(person: dict) -> str:
    spid = format_spid(person["spid"])
    if person.get("birth_year"):
        year = format_digits(person["birth_year"])
        return _(
            "%(name)s, born in %(year)s, SPID %(spid)s",
            name=person["name"],
            year=year,
            spid=spid,
        )
    return _("%(name)s, SPID %(spid)s", name=person["name"], spid=spid)


from portal.my_record import consent_views  # noqa: E402, F401 (its routes are on this blueprint)
