"""The figures' tables in the portal's own database: the editions the periodic
job computed (aggregates only, never a record), and the log of staff views of
the unsuppressed edition."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, DateTime, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.database import Base


class FiguresEdition(Base):
    """One computation of the figures: the public edition (suppressed) and the
    staff edition (unsuppressed), as of a day."""

    __tablename__ = "figures_editions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    as_of: Mapped[str] = mapped_column(String(10))
    computed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    public: Mapped[dict] = mapped_column(JSON)
    staff: Mapped[dict] = mapped_column(JSON)


class FiguresStaffView(Base):
    """One view of unsuppressed figures by a staff member: who, when, which place."""

    __tablename__ = "figures_staff_views"
    __table_args__ = (Index("ix_figures_staff_views_at", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    username: Mapped[str] = mapped_column(String(64), index=True)
    role: Mapped[str] = mapped_column(String(32))
    place_code: Mapped[str] = mapped_column(String(8))
    format: Mapped[str] = mapped_column(String(8))  # page, csv, json
