"""Citizen sign-in: /login (phone), /login/verify (code), /login/digital-id, /logout."""

from __future__ import annotations

import logging

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _

from portal.accounts import digital_id, services
from portal.accounts.forms import CodeForm, PhoneForm
from portal.accounts.phone_codes import MAX_CODES_PER_WINDOW, CodeRejected, TooManyCodes
from portal.extensions import csrf, limiter
from portal.i18n import format_clock, format_number
from portal.notifications import SmsSendError
from portal.oidc import PROVIDER_ERRORS
from portal.web.forms_base import shows_form_again
from portal.web.identity import sign_out
from portal.web.redirects import local_path
from portal.web.visitor_pages import same_for_every_visitor

blueprint = Blueprint("accounts", __name__)
logger = logging.getLogger("portal.accounts")
PENDING = "pending_phone_sign_in"  # {"phone": e164, "challenge": id}
# Limits per address, sized for a commune office on a busy day or a mobile
# network's shared address. The limits per number (phone_codes: 3 codes per
# number per 15 minutes, 5 tries per code) are the main defence; these only
# stop one machine texting number after number.
SEND_LIMIT = "100 per 15 minutes"
CHECK_LIMIT = "300 per 15 minutes"


def _safe_next(target: str | None) -> str:
    """A path on this site (never another site: no open redirect), else the home page."""
    return local_path(target) or url_for("pages.home")


@blueprint.route("/login", methods=["GET", "POST"])
@same_for_every_visitor  # first: a kept page is given before the limiter's work (POST only)
@limiter.limit(SEND_LIMIT, methods=["POST"])
@shows_form_again
def login():
    form = PhoneForm()
    if form.validate_on_submit():
        try:
            challenge = services.send_sign_in_code(form.e164)
        except TooManyCodes as refused:
            form.phone_number.errors.append(
                _(
                    "We already sent %(count)s codes to this number. "
                    "Ask for a new code after %(time)s.",
                    count=format_number(MAX_CODES_PER_WINDOW),
                    time=format_clock(refused.retry_at),
                )
            )
        except SmsSendError:
            form.phone_number.errors.append(
                _("We could not send the text message. Check the number and try again.")
            )
        else:
            session[PENDING] = {"phone": form.e164, "challenge": challenge}
            session["next"] = _safe_next(request.args.get("next"))
            return redirect(url_for("accounts.verify"))
    return render_template(
        "accounts/login.html", form=form, digital_id_enabled=digital_id.enabled()
    )


@blueprint.route("/login/verify", methods=["GET", "POST"])
@limiter.limit(CHECK_LIMIT, methods=["POST"])
@shows_form_again
def verify():
    pending = session.get(PENDING)
    if not pending:
        return redirect(url_for("accounts.login"))
    form = CodeForm()
    if form.validate_on_submit():
        next_url = _safe_next(session.get("next"))
        try:
            citizen = services.sign_in_with_code(
                pending["challenge"], pending["phone"], form.code.data
            )
        except CodeRejected as rejected:
            form.code.errors.append(_code_message(rejected.reason))
        else:
            return _welcome(citizen, next_url)
    return render_template("accounts/verify.html", form=form, phone=pending["phone"])


@blueprint.post("/login/resend")
@limiter.limit(SEND_LIMIT)
def resend():
    pending = session.get(PENDING) or abort(400)
    try:
        pending["challenge"] = services.send_sign_in_code(pending["phone"])
    except TooManyCodes as refused:
        flash(
            _(
                "You asked for too many codes. Ask for a new code after %(time)s.",
                time=format_clock(refused.retry_at),
            ),
            "warning",
        )
    except SmsSendError:
        flash(_("We could not send the text message. Please try again."), "warning")
    else:
        session[PENDING] = pending
        flash(_("We sent you a new code."), "success")
    return redirect(url_for("accounts.verify"))


def _code_message(reason: str) -> str:
    if reason == "wrong":
        return _("The code is not right. Check the text message and try again.")
    if reason == "used_up":
        return _("Too many wrong codes. Ask for a new code.")
    return _("This code has expired. Ask for a new code.")


def _welcome(citizen, next_url: str):
    """Say the citizen is signed in and send them on: to `next_url`, or first
    to choose who they are when several people share the phone (or ID)."""
    flash(_("You are signed in. On a shared computer, sign out when you finish."), "success")
    if citizen.person_id is None and services.candidates():
        home = url_for("pages.home")
        return redirect(url_for("my_record.choose", next=None if next_url == home else next_url))
    if citizen.person_id is None:
        flash(
            _(
                "We did not find one registration with this number. "
                "Your commune office can register you or add your number."
            ),
            "info",
        )
    return redirect(next_url)


@blueprint.get("/login/digital-id")
@limiter.limit(SEND_LIMIT)
def digital_id_start():
    if not digital_id.enabled():
        abort(404)
    session["next"] = _safe_next(request.args.get("next"))
    callback = url_for("accounts.digital_id_callback", _external=True)
    try:
        return digital_id.client().authorize_redirect(callback)
    except PROVIDER_ERRORS as error:
        logger.warning("digital ID provider unreachable: %s", type(error).__name__)
        flash(_("The digital ID is not answering. Try again in a few minutes."), "warning")
        return redirect(url_for("accounts.login"))


@blueprint.get("/login/digital-id/callback")
@limiter.limit(CHECK_LIMIT)
def digital_id_callback():
    if not digital_id.enabled():
        abort(404)
    try:
        token = digital_id.client().authorize_access_token()
        national_id = digital_id.national_id_from(token)
    except PROVIDER_ERRORS as error:
        logger.warning("digital ID sign-in refused: %s", type(error).__name__)
        flash(_("Sign-in with your digital ID did not work. Please try again."), "warning")
        return redirect(url_for("accounts.login"))
    if not national_id:
        flash(_("Your digital ID did not give your national ID number."), "warning")
        return redirect(url_for("accounts.login"))
    next_url = _safe_next(session.get("next"))
    citizen = services.sign_in_with_national_id(national_id)
    return _welcome(citizen, next_url)


@blueprint.post("/logout")
@csrf.exempt
def logout():
    """Signing out works even when the page's security token expired: on a shared
    computer a refused sign-out would leave the person signed in. Nothing is
    lost by honouring a forged one, and the Lax session cookie keeps other sites
    from sending it at all."""
    sign_out()
    flash(_("You are signed out."), "success")
    return redirect(url_for("pages.home"))
