"""/dev/sms: the messages the console gateway would have sent (development only)."""

from __future__ import annotations

from flask import Blueprint, render_template

from portal.notifications.gateways import gateway

blueprint = Blueprint("dev_sms", __name__)


@blueprint.get("/dev/sms")
def sent_messages():
    return render_template("notifications/dev_sms.html", messages=gateway().messages())
