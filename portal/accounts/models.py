"""Sign-in state kept in the portal's own database (never citizen records)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Boolean, DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.database import Base


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class OtpChallenge(Base):
    """One text-message code sent to one phone number.

    The number is kept only as a keyed hash (`phone_key`), the code only as a
    keyed hash (`code_hash`): a copy of this table reveals neither.
    """

    __tablename__ = "otp_challenges"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    phone_key: Mapped[str] = mapped_column(String(64), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    used_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class StaffAccount(Base):
    """A local staff account (the embedded default; ministries use their own identity provider)."""

    __tablename__ = "staff_accounts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(32))
    commune_codes: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Programme officers: the programmes whose applications they decide.
    programme_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    password_hash: Mapped[str] = mapped_column(String(255))
    password_changed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    totp_secret: Mapped[str] = mapped_column(String(255))  # encrypted (portal.crypto)
    totp_last_step: Mapped[int | None] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
