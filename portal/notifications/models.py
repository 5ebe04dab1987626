"""The console gateway's outbox (development only): kept in the portal's database
so that every worker process shows the same messages on /dev/sms."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.database import Base


class DevTextMessage(Base):
    """A text message the console gateway would have sent."""

    __tablename__ = "dev_text_messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    to: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text)
    sent_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
