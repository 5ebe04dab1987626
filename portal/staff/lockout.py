"""Failed staff sign-ins, counted so that brute force stops without letting a
stranger who knows a username lock that officer out.

- 5 failures (wrong password or code) for one username from one address
  within 15 minutes lock that username *from that address* for 15 minutes.
- 30 failures for one username from any addresses within an hour lock it from
  everywhere for 15 minutes: the slower defence, which takes many addresses.
- Failures count for any username typed, whether or not the account exists,
  so a lock tells nothing about which usernames exist.
- Kept in the portal's database, so every portal process shares them; the
  username and the address only as keyed hashes. `unlock` (the
  `flask --app portal staff unlock` command) forgets one account's.

Plain functions: the database session and the time are passed in.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac

from flask import current_app
from sqlalchemy import DateTime, Integer, String, delete, func, or_, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from portal.database import Base

MAX_ADDRESS_FAILURES = 5
ADDRESS_WINDOW = dt.timedelta(minutes=15)
ADDRESS_LOCK = dt.timedelta(minutes=15)
MAX_ACCOUNT_FAILURES = 30
ACCOUNT_WINDOW = dt.timedelta(hours=1)
ACCOUNT_LOCK = dt.timedelta(minutes=15)
EVERY_ADDRESS = None  # a lock's address_key when it holds from everywhere


class SignInFailure(Base):
    """One wrong password or code, for a username typed, from an address."""

    __tablename__ = "staff_sign_in_failures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_key: Mapped[str] = mapped_column(String(64), index=True)
    address_key: Mapped[str] = mapped_column(String(64))
    failed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)


class SignInLock(Base):
    """A username locked from one address, or from every address (address_key NULL)."""

    __tablename__ = "staff_sign_in_locks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_key: Mapped[str] = mapped_column(String(64), index=True)
    address_key: Mapped[str | None] = mapped_column(String(64))
    locked_until: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)


def _keyed_hash(kind: str, value: str) -> str:
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, f"staff-sign-in:{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def account_key(username: str) -> str:
    return _keyed_hash("username", (username or "").strip().lower())


def address_key(address: str) -> str:
    return _keyed_hash("address", address)


def _aware(moment: dt.datetime) -> dt.datetime:
    """SQLite gives back naive datetimes; they were stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _address_clause(column, address: str | None):
    return column.is_(None) if address is None else column == address


def locked_until(
    session: Session, username: str, address: str, now: dt.datetime
) -> dt.datetime | None:
    """Until when this username may not sign in from this address, or None."""
    until = session.scalar(
        select(func.max(SignInLock.locked_until)).where(
            SignInLock.account_key == account_key(username),
            or_(SignInLock.address_key == address_key(address), SignInLock.address_key.is_(None)),
            SignInLock.locked_until > now,
        )
    )
    return _aware(until) if until is not None else None


def _lock_if_too_many(
    session: Session,
    account: str,
    address: str | None,
    now: dt.datetime,
    *,
    window: dt.timedelta,
    most: int,
    lock: dt.timedelta,
) -> bool:
    """Lock when `most` failures came within `window` (since the last lock ended)."""
    last_lock_end = session.scalar(
        select(func.max(SignInLock.locked_until)).where(
            SignInLock.account_key == account, _address_clause(SignInLock.address_key, address)
        )
    )
    since = now - window
    if last_lock_end is not None:
        since = max(since, _aware(last_lock_end))
    failures = session.scalar(
        select(func.count())
        .select_from(SignInFailure)
        .where(
            SignInFailure.account_key == account,
            SignInFailure.failed_at > since,
            *([] if address is None else [SignInFailure.address_key == address]),
        )
    )
    if failures < most:
        return False
    session.add(SignInLock(account_key=account, address_key=address, locked_until=now + lock))
    return True


def record_failure(session: Session, username: str, address: str, now: dt.datetime) -> bool:
    """Count one failure; True when it locked the username (from here or everywhere)."""
    account, place = account_key(username), address_key(address)
    session.rollback()  # nothing half-done of the caller's goes in with it
    _forget_old(session, now)
    session.add(SignInFailure(account_key=account, address_key=place, failed_at=now))
    session.flush()
    here = _lock_if_too_many(
        session,
        account,
        place,
        now,
        window=ADDRESS_WINDOW,
        most=MAX_ADDRESS_FAILURES,
        lock=ADDRESS_LOCK,
    )
    everywhere = _lock_if_too_many(
        session,
        account,
        EVERY_ADDRESS,
        now,
        window=ACCOUNT_WINDOW,
        most=MAX_ACCOUNT_FAILURES,
        lock=ACCOUNT_LOCK,
    )
    session.commit()
    return here or everywhere


def forget_address(session: Session, username: str, address: str) -> None:
    """After a right sign-in: this address's failures for the username no longer count."""
    session.execute(
        delete(SignInFailure).where(
            SignInFailure.account_key == account_key(username),
            SignInFailure.address_key == address_key(address),
        )
    )


def unlock(session: Session, username: str) -> None:
    """Forget every failure and lock of the username (the caller commits)."""
    key = account_key(username)
    session.execute(delete(SignInFailure).where(SignInFailure.account_key == key))
    session.execute(delete(SignInLock).where(SignInLock.account_key == key))


def _forget_old(session: Session, now: dt.datetime) -> None:
    """Failures and locks that can no longer count for anything."""
    horizon = now - max(ACCOUNT_WINDOW, ADDRESS_WINDOW)
    session.execute(delete(SignInFailure).where(SignInFailure.failed_at < horizon))
    session.execute(delete(SignInLock).where(SignInLock.locked_until < horizon))
