"""The SMS provider's sending rate (PORTAL_SMS_RATE), kept by every process
that sends: a moving window from `limits` (the library under Flask-Limiter),
in Redis when PORTAL_REDIS_URL is set, so several workers share one count.

Without Redis each process counts for itself: run one outbox worker then, or
set the rate to the provider's divided by the number of workers."""

from __future__ import annotations

import logging
import time

from limits import parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

logger = logging.getLogger("portal.sms")
KEY = "sms-provider"


class SendingRate:
    def __init__(self, rate: str, storage_uri: str) -> None:
        self._limit = parse(rate)
        self._limiter = MovingWindowRateLimiter(storage_from_string(storage_uri))

    def take(self, wait: float = 0.0) -> bool:
        """A slot for one message: now, or within `wait` seconds; else False
        (the outbox sends it a little later; a sign-in code asks again)."""
        ends = time.monotonic() + wait
        while True:
            try:
                if self._limiter.hit(self._limit, KEY):
                    return True
                frees_at = self._limiter.get_window_stats(self._limit, KEY).reset_time
            except Exception as error:  # the count is unreachable: do not risk the limit
                logger.warning("sms rate count unavailable: %s", type(error).__name__)
                return False
            pause = min(max(frees_at - time.time(), 0.01), 1.0)
            if time.monotonic() + pause > ends:
                return False
            time.sleep(pause)
