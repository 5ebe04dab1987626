"""One-time sign-in codes sent by text message.

- A code is 6 random digits, valid 5 minutes, stored only as a keyed hash.
- At most 5 tries per code; then a new code is needed.
- At most 3 codes per phone number per 15 minutes: this, not the limits per
  address on the routes, is the main defence, since a whole commune office or
  a mobile network may share one address.
- The answer is the same whether or not the number is registered: nothing
  here looks at the registry.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass

from sqlalchemy import delete, select, update

from portal.accounts.models import OtpChallenge
from portal.database import Database

CODE_LIFETIME = dt.timedelta(minutes=5)
MAX_ATTEMPTS = 5
MAX_CODES_PER_WINDOW = 3
CODE_WINDOW = dt.timedelta(minutes=15)


class TooManyCodes(Exception):
    """The number already had its codes for now; `retry_at` says until when."""

    def __init__(self, retry_at: dt.datetime) -> None:
        super().__init__(retry_at)
        self.retry_at = retry_at


class CodeRejected(Exception):
    """Wrong, expired, used up or unknown: `reason` says which, for the page."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason  # "wrong", "expired", "used_up"


@dataclass(frozen=True)
class IssuedCode:
    challenge_id: str
    code: str


def _keyed_hash(secret_key: str, message: str) -> str:
    return hmac.new(secret_key.encode(), message.encode(), hashlib.sha256).hexdigest()


def phone_key(secret_key: str, phone_e164: str) -> str:
    return _keyed_hash(secret_key, f"phone:{phone_e164}")


def issue_code(db: Database, secret_key: str, phone_e164: str, now: dt.datetime) -> IssuedCode:
    """Store a new challenge for the number and return its code (to be sent)."""
    key = phone_key(secret_key, phone_e164)
    with db.session() as session:
        recent = session.scalars(
            select(OtpChallenge.created_at)
            .where(OtpChallenge.phone_key == key, OtpChallenge.created_at > now - CODE_WINDOW)
            .order_by(OtpChallenge.created_at.desc())
            .limit(MAX_CODES_PER_WINDOW)
        ).all()
        if len(recent) >= MAX_CODES_PER_WINDOW:
            # A new code is allowed once the oldest of these leaves the window.
            raise TooManyCodes(retry_at=_aware(recent[-1]) + CODE_WINDOW)
        code = f"{secrets.randbelow(1_000_000):06d}"
        challenge_id = uuid.uuid4().hex
        session.add(
            OtpChallenge(
                id=challenge_id,
                phone_key=key,
                code_hash=_keyed_hash(secret_key, f"{challenge_id}:{code}"),
                created_at=now,
                expires_at=now + CODE_LIFETIME,
                attempts=0,
            )
        )
        session.commit()
    return IssuedCode(challenge_id, code)


def withdraw_code(db: Database, challenge_id: str) -> None:
    """Forget a code that could not be sent, so it does not count against the number."""
    with db.session() as session:
        challenge = session.get(OtpChallenge, challenge_id)
        if challenge is not None:
            session.delete(challenge)
            session.commit()


def remove_expired(db: Database, before: dt.datetime) -> int:
    """Delete challenges that expired before `before` (a day back is past every
    window that counts them); how many went."""
    with db.session() as session:
        removed = session.execute(delete(OtpChallenge).where(OtpChallenge.expires_at < before))
        session.commit()
        return removed.rowcount


def check_code(
    db: Database,
    secret_key: str,
    challenge_id: str,
    phone_e164: str,
    code: str,
    now: dt.datetime,
) -> None:
    """Return if the code is right and still valid, else raise CodeRejected.

    Every wrong try counts. A right code is not used up here: `use_code` does
    that once the sign-in has really happened, so a registry outage in between
    does not cost the person their code."""
    with db.session() as session:
        challenge = session.get(OtpChallenge, challenge_id, with_for_update=True)
        if challenge is None or challenge.used_at is not None:
            raise CodeRejected("expired")
        if not hmac.compare_digest(challenge.phone_key, phone_key(secret_key, phone_e164)):
            raise CodeRejected("expired")
        if challenge.attempts >= MAX_ATTEMPTS:
            raise CodeRejected("used_up")
        if _aware(challenge.expires_at) <= now:
            raise CodeRejected("expired")
        given = _keyed_hash(secret_key, f"{challenge_id}:{code}")
        if hmac.compare_digest(challenge.code_hash, given):
            return
        challenge.attempts += 1
        session.commit()
        raise CodeRejected("used_up" if challenge.attempts >= MAX_ATTEMPTS else "wrong")


def use_code(db: Database, challenge_id: str, now: dt.datetime) -> None:
    """Mark a right code as used, once: a second use (a parallel request) is refused."""
    with db.session() as session:
        used = session.execute(
            update(OtpChallenge)
            .where(OtpChallenge.id == challenge_id, OtpChallenge.used_at.is_(None))
            .values(used_at=now)
        ).rowcount
        session.commit()
    if not used:
        raise CodeRejected("expired")


def _aware(moment: dt.datetime) -> dt.datetime:
    """SQLite hands back naive datetimes; they were stored as UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
