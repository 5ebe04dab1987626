"""Staff sign-in and the staff home: /staff/login (password), /staff/login/code
(TOTP), /staff/login/ministry (OIDC), /staff/ (home), /staff/password,
/staff/logout."""

from __future__ import annotations

import datetime as dt
import logging

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal import gazetteer
from portal.backoffice.describe import programme_name
from portal.database import db
from portal.extensions import csrf, limiter
from portal.i18n import current_language, format_clock, format_digits
from portal.oidc import PROVIDER_ERRORS
from portal.staff import oidc, services
from portal.staff.forms import CodeForm, LoginForm, PasswordChangeForm, SignOutForm
from portal.web.client_address import client_address
from portal.web.forms_base import shows_form_again
from portal.web.identity import STAFF_ROLES, current_staff, sign_in_staff, sign_out, staff_owner
from portal.web.security import roles_required
from portal.web.sessions import end_sessions_of

blueprint = Blueprint("staff", __name__, url_prefix="/staff")
blueprint.record_once(lambda state: oidc.setup_staff_oidc(state.app))
logger = logging.getLogger("portal.staff")

PENDING = "staff_pending"  # {"account": id, "expires": iso time}; not a signed-in session
NEXT = "staff_next"
# Limits per address (an office's staff may share one): they slow down trying
# many usernames; the locks per username and address (portal.staff.lockout)
# stop guessing one account's password.
LOGIN_LIMIT = "20 per minute; 200 per hour"
CODE_LIMIT = "20 per minute; 200 per hour"
FAILED_SIGN_IN = _l(
    "The username or password is not right. After 5 wrong tries the account is "
    "locked for 15 minutes."
)
FAILED_CODE = _l(
    "This code is not right, or it was already used. Wait for the next code in "
    "your authenticator app and enter it."
)
ROLE_NAMES = {
    "officer": _l("Commune officer"),
    "programme_officer": _l("Programme officer"),
    "grievance_handler": _l("Grievance handler"),
    "grievance_supervisor": _l("Grievance supervisor"),
    "analyst": _l("Analyst (figures)"),
    "admin": _l("Administrator"),
}
# Staff areas linked from the home page when the portal has them.
AREAS = (
    ("/officer", _l("Help people at the commune office")),
    ("/backoffice/applications", _l("Applications for programmes")),
    ("/backoffice/grievances", _l("Grievance cases")),
    ("/backoffice/dashboard", _l("Grievances: the dashboard")),
    ("/figures/staff", _l("Figures with every number, for your area")),
    ("/admin", _l("Administration")),
)


@blueprint.before_app_request
def end_sessions_of_changed_accounts():
    """Sign out a local staff session whose password changed elsewhere, or whose
    account was deactivated, since it began."""
    member = current_staff()
    if member is None or member.method != "password_totp":
        return
    signed_in_at = dt.datetime.fromisoformat(session["signed_in_at"])
    with db.session() as s:
        valid = services.session_still_valid(s, member.username, signed_in_at)
    if not valid:
        sign_out()
        flash(_("You were signed out because your account changed. Please sign in again."))
        return redirect(url_for("staff.login"))
    return None


def _now() -> dt.datetime:
    return services.utcnow()


def _locked_message(locked: services.SignInLocked) -> str:
    return _(
        "This account is locked after too many wrong tries. Try again after %(time)s, "
        "or ask an administrator to unlock it.",
        time=format_clock(locked.until),
    )


def _remember_next() -> None:
    """Where to go after signing in: a staff area of this site, or the staff home."""
    session.pop(NEXT, None)
    target = services.safe_next(request.args.get("next"))
    if target:
        session[NEXT] = target


def _finish_sign_in(member) -> object:
    target = session.get(NEXT) or url_for("staff.home")
    sign_in_staff(member)  # a fresh session: the pending state and `next` go
    return redirect(target)


def _pending_account() -> int | None:
    pending = session.get(PENDING)
    if not pending:
        return None
    if dt.datetime.fromisoformat(pending["expires"]) < _now():
        session.pop(PENDING, None)
        flash(_("Signing in took more than 5 minutes. Please start again."), "warning")
        return None
    return pending["account"]


@blueprint.route("/login", methods=["GET", "POST"])
@limiter.limit(LOGIN_LIMIT, methods=["POST"])
@shows_form_again
def login():
    if current_staff() and request.method == "GET":
        return redirect(services.safe_next(request.args.get("next")) or url_for("staff.home"))
    if request.method == "GET":
        session.pop(PENDING, None)
        _remember_next()
    form = LoginForm()
    if form.validate_on_submit():
        try:
            with db.session() as s:
                account_id = services.check_password(
                    s, form.username.data, form.password.data, _now(), client_address()
                )
        except services.SignInLocked as locked:
            form.password.errors.append(_locked_message(locked))
        else:
            if account_id is not None:
                expires = _now() + services.PENDING_LIFETIME
                session[PENDING] = {"account": account_id, "expires": expires.isoformat()}
                return redirect(url_for("staff.login_code"))
            form.password.errors.append(str(FAILED_SIGN_IN))
    return render_template("staff/login.html", form=form, ministry_enabled=oidc.enabled())


@blueprint.route("/login/code", methods=["GET", "POST"])
@limiter.limit(CODE_LIMIT, methods=["POST"])
@shows_form_again
def login_code():
    account_id = _pending_account()
    if account_id is None:
        return redirect(url_for("staff.login"))
    form = CodeForm()
    if form.validate_on_submit():
        try:
            with db.session() as s:
                member = services.check_code(
                    s, account_id, form.code.data, _now(), client_address()
                )
        except services.SignInLocked as locked:
            form.code.errors.append(_locked_message(locked))
        else:
            if member is not None:
                return _finish_sign_in(member)
            form.code.errors.append(str(FAILED_CODE))
    return render_template("staff/code.html", form=form)


@blueprint.get("/login/ministry")
def ministry():
    if not oidc.enabled():
        abort(404)
    _remember_next()
    try:
        return oidc.client().authorize_redirect(url_for("staff.ministry_callback", _external=True))
    except PROVIDER_ERRORS as error:
        logger.warning("staff identity provider unreachable: %s", type(error).__name__)
        flash(_("The ministry sign-in is not answering. Try again in a few minutes."), "warning")
        return redirect(url_for("staff.login"))


@blueprint.get("/login/ministry/callback")
def ministry_callback():
    if not oidc.enabled():
        abort(404)
    try:
        token = oidc.client().authorize_access_token()
        claims = oidc.claims_from(token)
    except PROVIDER_ERRORS as error:
        logger.warning("staff OIDC sign-in failed: %s", type(error).__name__)
        flash(_("The ministry sign-in did not finish. Please try again."), "warning")
        return redirect(url_for("staff.login"))
    member = oidc.member_from_claims(claims)
    if member is None:
        logger.info("staff OIDC sign-in refused: no portal role")
        return render_template("staff/no_role.html"), 403
    logger.info("staff signed in method=oidc role=%s", member.role)
    return _finish_sign_in(member)


@blueprint.get("/")
@roles_required(*STAFF_ROLES)
def home():
    member = current_staff()
    return render_template(
        "staff/home.html",
        member=member,
        role_name=ROLE_NAMES[member.role],
        communes=[_commune_name(code) for code in member.commune_codes],
        programmes=[programme_name(programme) for programme in member.programme_ids],
        areas=_areas_for(member.role),
        sign_out_form=SignOutForm(),
    )


@blueprint.route("/password", methods=["GET", "POST"])
@roles_required(*STAFF_ROLES)
@limiter.limit(LOGIN_LIMIT, methods=["POST"])
@shows_form_again
def password():
    member = current_staff()
    if member.method != "password_totp":
        return render_template("staff/password_ministry.html")
    form = PasswordChangeForm(member.username)
    if form.validate_on_submit():
        try:
            with db.session() as s:
                services.change_password(
                    s,
                    member.username,
                    form.current_password.data,
                    form.new_password.data,
                    _now(),
                    client_address(),
                )
        except services.SignInLocked as locked:
            form.current_password.errors.append(_locked_message(locked))
        except services.StaffAccountError as refused:
            form.current_password.errors.extend(str(message) for message in refused.messages)
        else:
            sign_in_staff(member)  # a new session for this browser
            end_sessions_of(staff_owner(member.username), keep_current=True)
            flash(_("Your password is changed. Use the new one next time you sign in."), "success")
            return redirect(url_for("staff.home"))
    return render_template("staff/password.html", form=form)


@blueprint.post("/logout")
@roles_required(*STAFF_ROLES)
@csrf.exempt  # as accounts.views.logout: an expired token never keeps anyone signed in
def logout():
    sign_out()
    flash(_("You are signed out."), "success")
    return redirect(url_for("staff.login"))


def _commune_name(code: str) -> str:
    """A commune (or, for an analyst's area, a district or province) by name and code."""
    find = {2: gazetteer.province, 4: gazetteer.district}.get(len(code), gazetteer.commune)
    place = find(code)
    if place is None:
        return format_digits(code)
    name = place.name_km if current_language() == "km" else place.name_en
    return f"{name} ({format_digits(code)})"


def _areas_for(role: str) -> list[tuple[str, str]]:
    """Links to the staff areas this portal has and this role may open."""
    links = []
    for prefix, label in AREAS:
        for rule in current_app.url_map.iter_rules():
            view = current_app.view_functions.get(rule.endpoint)
            allowed = getattr(view, "required_roles", frozenset())
            if (
                rule.rule in (prefix, prefix + "/")
                and not rule.arguments
                and "GET" in (rule.methods or ())
                and role in allowed
            ):
                links.append((rule.rule, str(label)))
                break
    return links
