"""Text messages (SMS): the gateway backends and the messages we send.

`PORTAL_SMS_GATEWAY` chooses the backend: `console` (development: nothing is
sent; messages are logged without the number and listed on /dev/sms) or
`http` (production: an SMS provider's HTTP API at `PORTAL_SMS_URL`).
"""

from portal.notifications.gateways import SmsGateway, SmsSendError, gateway, setup_notifications

__all__ = ["SmsGateway", "SmsSendError", "gateway", "setup_notifications"]
