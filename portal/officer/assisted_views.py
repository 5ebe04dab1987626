"""Act for someone: record their consent (/officer/consent for a record
opened, /officer/walk-in for someone not registered yet), then use the
citizen pages for them; /officer/end stops."""

from __future__ import annotations

from flask import flash, redirect, render_template, session, url_for
from flask_babel import lazy_gettext as _l

from portal import local_time
from portal.extensions import limiter
from portal.officer import assisted, services
from portal.officer.assisted import Consent
from portal.officer.blueprint import blueprint
from portal.officer.forms import ConsentForm, WalkInForm
from portal.web.forms_base import shows_form_again
from portal.web.identity import current_staff
from portal.web.security import roles_required

OFFICER = "officer"
# Starting sends the person a text message.
START_LIMIT = "60 per hour"
ENDED = _l("You stopped acting for the person. Nothing about them is shown any more.")


def _officer_key() -> str:
    member = current_staff()
    return f"officer:{member.username}" if member else "anonymous"


@blueprint.route("/consent", methods=["GET", "POST"])
@roles_required(OFFICER)
@limiter.limit(START_LIMIT, methods=["POST"], key_func=_officer_key)
@shows_form_again
def consent():
    opened = session.get(assisted.OPENED)
    if not opened:
        return redirect(url_for("officer.home"))
    member = current_staff()
    form = ConsentForm()
    if form.validate_on_submit():
        person = services.read_opened(member, {**opened, "purpose": services.CONSENT_PURPOSE})
        if person is None:
            return redirect(url_for("officer.home"))
        agreed = Consent(form.method.data, form.consent_number())
        services.act_for(member, person, agreed, local_time.today())
        return redirect(url_for("my_record.overview"))
    status = 422 if form.errors else 200
    return render_template("officer/consent.html", form=form), status


@blueprint.route("/walk-in", methods=["GET", "POST"])
@roles_required(OFFICER)
@limiter.limit(START_LIMIT, methods=["POST"], key_func=_officer_key)
@shows_form_again
def walk_in():
    member = current_staff()
    form = WalkInForm()
    if member.commune_codes and form.validate_on_submit():
        agreed = Consent(form.method.data, form.consent_number())
        services.act_for_walk_in(member, form.name.data.strip(), form.e164, agreed)
        return redirect(url_for("registration.start"))
    status = 422 if form.errors else 200
    return render_template(
        "officer/walk_in.html", form=form, has_commune=bool(member.commune_codes)
    ), status


@blueprint.post("/end")
@roles_required(OFFICER)
def end():
    assisted.end()
    flash(str(ENDED), "success")
    return redirect(url_for("officer.home"))
