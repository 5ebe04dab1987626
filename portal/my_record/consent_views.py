"""Withdrawing a consent: /me/consents/<id>/withdraw (on the my_record blueprint).

Only the signed-in person's own consents: another person's id, or one the
registry does not have, is not found. A consent already withdrawn (or whose
withdrawal is on its way) gets a page that says so, and no second write.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from portal.my_record import consents
from portal.my_record.forms import WithdrawConsentForm
from portal.my_record.views import blueprint, person_chosen_required
from portal.registry.client import RegistryConflict, RegistryValidationError
from portal.web.identity import current_citizen


@blueprint.route("/consents/<uuid:consent_id>/withdraw", methods=["GET", "POST"])
@person_chosen_required
def withdraw_consent(consent_id):
    citizen = current_citizen()
    consent = consents.own_consent(citizen, str(consent_id)) or abort(404)
    if consent.state != consents.GIVEN:
        return render_template("my_record/withdraw_consent.html", consent=consent, form=None)
    form = WithdrawConsentForm()
    if not form.validate_on_submit():
        status = 400 if form.errors else 200
        return render_template(
            "my_record/withdraw_consent.html", consent=consent, form=form
        ), status
    try:
        done = consents.withdraw(citizen, consent)
    except (RegistryValidationError, RegistryConflict):  # withdrawn a moment ago
        return redirect(url_for("my_record.withdraw_consent", consent_id=consent_id))
    if done.delivered:
        flash(_("Your consent was withdrawn: %(purpose)s.", purpose=consent.words), "success")
    else:
        flash(
            _(
                "We received your wish to withdraw this consent. "
                "It will be done as soon as the registry answers."
            ),
            "info",
        )
    return redirect(url_for("my_record.overview"))
