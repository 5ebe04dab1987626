"""Every table of the portal's own database, so Alembic sees them all."""

from portal.accounts.models import OtpChallenge, StaffAccount
from portal.figures.models import FiguresEdition, FiguresStaffView
from portal.notifications.models import DevTextMessage
from portal.outbox.models import OutboxItem, ScheduledJob
from portal.staff.lockout import SignInFailure, SignInLock
from portal.web.session_store import WebSession

__all__ = [
    "DevTextMessage",
    "FiguresEdition",
    "FiguresStaffView",
    "OtpChallenge",
    "OutboxItem",
    "ScheduledJob",
    "SignInFailure",
    "SignInLock",
    "StaffAccount",
    "WebSession",
]
