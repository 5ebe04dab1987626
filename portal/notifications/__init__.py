"""Text messages (SMS): the gateway backends and the messages we send.

`PORTAL_SMS_GATEWAY` chooses the backend: `console` (development: nothing is
sent; messages are logged without the number and listed on /dev/sms) or
`http` (production: an SMS provider's HTTP API at `PORTAL_SMS_URL`). Every
message is sent within the provider's rate (`PORTAL_SMS_RATE`); messages that
must not be lost (receipts, status changes) go through the outbox
(`portal.outbox`), which retries them.
"""

from portal.notifications.gateways import (
    SmsGateway,
    SmsOverRate,
    SmsSendError,
    gateway,
    send_now,
    setup_notifications,
)

__all__ = [
    "SmsGateway",
    "SmsOverRate",
    "SmsSendError",
    "gateway",
    "send_now",
    "setup_notifications",
]
