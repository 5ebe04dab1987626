"""Every table of the portal's own database, so Alembic sees them all."""

from portal.accounts.models import OtpChallenge, StaffAccount

__all__ = ["OtpChallenge", "StaffAccount"]
