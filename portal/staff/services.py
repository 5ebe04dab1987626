"""Local staff accounts: creation, the password and TOTP steps, lockout and
password change. Plain functions: the database session and the time are
passed in, so tests can move the clock.

Sign-in failures never say which part was wrong (no user enumeration): an
unknown username still costs one argon2 verification. Failures are counted per
username and address (portal.staff.lockout); while a username is locked from
an address, the password is not even checked, and the person is told until
when, the same for an account that exists and one that does not.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import re
import secrets
from dataclasses import dataclass
from urllib.parse import urlsplit

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from portal import gazetteer
from portal.accounts.models import StaffAccount
from portal.applications.offer import programme_ids
from portal.crypto import fernet_for
from portal.staff import lockout
from portal.web.identity import STAFF_ROLES, StaffMember
from portal.web.redirects import local_path

logger = logging.getLogger("portal.staff")

PENDING_LIFETIME = dt.timedelta(minutes=5)
MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 256
TOTP_ISSUER = "Social Protection Portal"
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,63}$")
COMMUNE_CODE = re.compile(r"^[0-9]{6}$")
CODE = re.compile(r"^[0-9]{6}$")
# `next` may only send a signed-in staff member to these areas of this site.
STAFF_AREAS = ("/staff", "/officer", "/backoffice", "/admin")

hasher = PasswordHasher()


class SignInLocked(Exception):
    """Too many failures: no sign-in for this username from here until `until`."""

    def __init__(self, until: dt.datetime) -> None:
        super().__init__(until)
        self.until = until


class StaffAccountError(ValueError):
    """The rules refuse a request; `messages` are translatable sentences."""

    def __init__(self, *messages) -> None:
        self.messages = list(messages)  # lazy: turned into text in a request's language
        super().__init__(*messages)


@dataclass(frozen=True)
class NewAccount:
    username: str
    provisioning_uri: str  # shown once, for the authenticator app


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    """SQLite gives back naive datetimes; they were stored in UTC."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value


def normalise_username(username: str) -> str:
    return (username or "").strip().lower()


# Rules for new accounts and passwords


def password_problems(password: str, username: str) -> list:
    problems = []
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.append(
            _l("The password must have at least %(count)s characters.", count=MIN_PASSWORD_LENGTH)
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        problems.append(
            _l("The password must have at most %(count)s characters.", count=MAX_PASSWORD_LENGTH)
        )
    name = normalise_username(username)
    if name and name in password.lower():
        problems.append(_l("The password must not contain the username."))
    if password and len(set(password)) == 1:
        problems.append(_l("The password must not be one character repeated."))
    return problems


ANALYST = "analyst"


def area_problems(codes: list[str]) -> list:
    """An analyst's area: province, district or commune codes, at least one."""
    if not codes:
        return [_l("An analyst needs an area: at least one province, district or commune code.")]
    finders = {2: gazetteer.province, 4: gazetteer.district, 6: gazetteer.commune}
    unknown = [code for code in codes if finders.get(len(code), lambda _c: None)(code) is None]
    if unknown:
        return [
            _l(
                "These are not province, district or commune codes: %(codes)s.",
                codes=", ".join(unknown),
            )
        ]
    return []


def commune_problems(role: str, codes: list[str]) -> list:
    if role == ANALYST:
        return area_problems(codes)
    problems = []
    wrong = [code for code in codes if not COMMUNE_CODE.match(code)]
    if wrong:
        problems.append(
            _l("A commune code has 6 digits. Not valid: %(codes)s.", codes=", ".join(wrong))
        )
    unknown = [
        code for code in codes if COMMUNE_CODE.match(code) and not gazetteer.is_commune(code)
    ]
    if unknown:
        problems.append(_l("These are not commune codes: %(codes)s.", codes=", ".join(unknown)))
    if role == "officer" and not codes:
        problems.append(_l("A commune officer needs at least one commune code."))
    return problems


PROGRAMME_OFFICER = "programme_officer"


def programme_problems(role: str, ids: list[str]) -> list:
    """Programme officers decide for one or more programmes of this portal;
    no other role has programmes."""
    problems = []
    unknown = [programme for programme in ids if programme not in programme_ids()]
    if unknown:
        problems.append(
            _l("These are not programmes of this portal: %(ids)s.", ids=", ".join(unknown))
        )
    if role == PROGRAMME_OFFICER and not ids:
        problems.append(_l("A programme officer needs at least one programme."))
    if role != PROGRAMME_OFFICER and ids:
        problems.append(_l("Only a programme officer has programmes."))
    return problems


def _vault():
    return fernet_for(current_app.config["SECRET_KEY"], "staff authenticator secret")


def sealed_totp_secret(secret: str) -> str:
    """The authenticator secret as stored: encrypted, so a copy of the table is useless."""
    return _vault().encrypt(secret.encode()).decode()


def opened_totp_secret(stored: str) -> str:
    return _vault().decrypt(stored.encode()).decode()


def _provisioning_uri(username: str, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=TOTP_ISSUER)


def create_account(
    session: Session,
    *,
    username: str,
    name: str,
    role: str,
    communes: list[str] | tuple[str, ...],
    password: str,
    now: dt.datetime,
    programmes: list[str] | tuple[str, ...] = (),
) -> NewAccount:
    username = normalise_username(username)
    codes = sorted({code.strip() for code in communes if code.strip()})
    programme_list = sorted({item.strip() for item in programmes if item.strip()})
    problems = []
    if not USERNAME.match(username):
        problems.append(
            _l("A username has 3 to 64 small letters, digits, dots, dashes or underscores.")
        )
    if role not in STAFF_ROLES:
        problems.append(_l("The role must be one of: %(roles)s.", roles=", ".join(STAFF_ROLES)))
    if not name.strip():
        problems.append(_l("Give the person's name."))
    problems += commune_problems(role, codes) + programme_problems(role, programme_list)
    problems += password_problems(password, username)
    if session.scalar(select(StaffAccount.id).where(StaffAccount.username == username)):
        problems.append(_l("This username is already taken."))
    if problems:
        raise StaffAccountError(*problems)
    secret = pyotp.random_base32()
    session.add(
        StaffAccount(
            username=username,
            name=name.strip(),
            role=role,
            commune_codes=codes,
            programme_ids=programme_list,
            password_hash=hasher.hash(password),
            password_changed_at=now,
            totp_secret=sealed_totp_secret(secret),
            active=True,
            created_at=now,
        )
    )
    session.commit()
    logger.info("staff account created role=%s", role)
    return NewAccount(username, _provisioning_uri(username, secret))


def _account(session: Session, username: str) -> StaffAccount:
    account = session.scalar(
        select(StaffAccount).where(StaffAccount.username == normalise_username(username))
    )
    if account is None:
        raise StaffAccountError(_l("There is no staff account with this username."))
    return account


def reset_totp(session: Session, username: str) -> NewAccount:
    """A new authenticator secret (lost phone); the old codes stop working."""
    account = _account(session, username)
    secret = pyotp.random_base32()
    account.totp_secret = sealed_totp_secret(secret)
    account.totp_last_step = None
    session.commit()
    logger.info("staff authenticator reset")
    return NewAccount(account.username, _provisioning_uri(account.username, secret))


def deactivate(session: Session, username: str) -> None:
    _account(session, username).active = False
    session.commit()
    logger.info("staff account deactivated")


def unlock(session: Session, username: str) -> None:
    """Lift every lock of the account, from every address."""
    account = _account(session, username)
    lockout.unlock(session, account.username)
    session.commit()
    logger.info("staff account unlocked")


# Signing in


@functools.cache
def _dummy_hash() -> str:
    return hasher.hash(secrets.token_hex(16))


def _verify(password_hash: str, password: str) -> bool:
    try:
        return hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _refuse_while_locked(session: Session, username: str, address: str, now: dt.datetime):
    until = lockout.locked_until(session, username, address, now)
    if until is not None:
        logger.info("staff sign-in refused: locked")
        raise SignInLocked(until)


def _failed(session: Session, username: str, address: str, now: dt.datetime, reason: str) -> None:
    locked = lockout.record_failure(session, username, address, now)
    logger.info("staff sign-in failed: %s%s", reason, "; now locked" if locked else "")


def check_password(
    session: Session, username: str, password: str, now: dt.datetime, address: str
) -> int | None:
    """First factor. The account's id when the password is right and the
    account is active; None otherwise, whatever the reason. Raises
    SignInLocked, before looking at the password, while the username is
    locked from this address."""
    _refuse_while_locked(session, username, address, now)
    account = session.scalar(
        select(StaffAccount).where(
            StaffAccount.username == normalise_username(username), StaffAccount.active.is_(True)
        )
    )
    if account is None:
        _verify(_dummy_hash(), password)  # the same work as for a real account
        _failed(session, username, address, now, "wrong password")
        return None
    if not _verify(account.password_hash, password):
        _failed(session, username, address, now, "wrong password")
        return None
    if hasher.check_needs_rehash(account.password_hash):
        account.password_hash = hasher.hash(password)
        session.commit()
    return account.id


def _matching_step(secret: str, code: str, now: dt.datetime, last_step: int | None) -> int | None:
    """The time step whose code this is (one step of clock drift either way),
    if it comes after the last step already used: a code works only once."""
    if not CODE.match(code or ""):
        return None
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now)
    for step in (current - 1, current, current + 1):
        if last_step is not None and step <= last_step:
            continue
        if totp.verify(code, for_time=step * totp.interval, valid_window=0):
            return step
    return None


def check_code(
    session: Session, account_id: int, code: str, now: dt.datetime, address: str
) -> StaffMember | None:
    """Second factor. The staff member when the code is right and unused.
    Raises SignInLocked while the account is locked from this address."""
    account = session.get(StaffAccount, account_id)
    if account is None or not account.active:
        logger.info("staff code refused: account inactive")
        return None
    _refuse_while_locked(session, account.username, address, now)
    step = _matching_step(
        opened_totp_secret(account.totp_secret), code, now, account.totp_last_step
    )
    if step is None:
        _failed(session, account.username, address, now, "wrong or used code")
        return None
    # Conditional update: of two requests racing with one code, one wins.
    won = session.execute(
        update(StaffAccount)
        .where(
            StaffAccount.id == account.id,
            or_(StaffAccount.totp_last_step.is_(None), StaffAccount.totp_last_step < step),
        )
        .values(totp_last_step=step)
    ).rowcount
    if won == 1:
        lockout.forget_address(session, account.username, address)
    session.commit()
    if won != 1:
        logger.info("staff code used before")
        return None
    logger.info("staff signed in method=password_totp role=%s", account.role)
    return StaffMember(
        username=account.username,
        name=account.name,
        role=account.role,
        method="password_totp",
        commune_codes=tuple(account.commune_codes or ()),
        programme_ids=tuple(account.programme_ids or ()),
    )


def change_password(
    session: Session, username: str, current: str, new: str, now: dt.datetime, address: str
) -> None:
    """Raises StaffAccountError, or SignInLocked while the account is locked
    from this address; a wrong current password counts as a failure."""
    _refuse_while_locked(session, username, address, now)
    account = session.scalar(
        select(StaffAccount).where(
            StaffAccount.username == normalise_username(username), StaffAccount.active.is_(True)
        )
    )
    if account is None or not _verify(account.password_hash, current):
        _failed(session, username, address, now, "wrong current password")
        raise StaffAccountError(_l("Your current password is not right."))
    problems = password_problems(new, account.username)
    if _verify(account.password_hash, new):
        problems.append(_l("The new password must be different from the current one."))
    if problems:
        raise StaffAccountError(*problems)
    account.password_hash = hasher.hash(new)
    account.password_changed_at = now
    session.commit()
    logger.info("staff password changed")


def session_still_valid(session: Session, username: str, signed_in_at: dt.datetime) -> bool:
    """A local account's session ends when the account is deactivated or its
    password changed after the session began (so a stolen session dies too)."""
    account = session.scalar(
        select(StaffAccount).where(StaffAccount.username == normalise_username(username))
    )
    if account is None or not account.active:
        return False
    changed = account.password_changed_at
    changed = changed if changed.tzinfo else changed.replace(tzinfo=dt.UTC)
    return changed <= signed_in_at


def safe_next(target: str | None) -> str | None:
    """A local path in a staff area, or None (never another site)."""
    path = local_path(target)
    if path is None:
        return None
    area_path = urlsplit(path).path
    if any(area_path == area or area_path.startswith(area + "/") for area in STAFF_AREAS):
        return path
    return None
