"""A signed-in citizen's language choice, kept with their registry record
(`preferred_language`), so that the text messages they get follow it.

Recorded when they pick a language on any page (`?lang=`), once per choice,
through the outbox: a registry outage delays it and loses nothing.
"""

from __future__ import annotations

import logging

from flask import Flask, Response, request, session

from portal import outbox
from portal.i18n import LANGUAGES
from portal.registry.client import Actor, RegistryError
from portal.web.identity import current_citizen

logger = logging.getLogger("portal.accounts")
RECORDED = "language_on_record"


def setup_language_memory(app: Flask) -> None:
    @app.after_request
    def remember_language_choice(response: Response) -> Response:
        chosen = request.args.get("lang")
        if chosen not in LANGUAGES or response.status_code >= 400:
            return response
        citizen = current_citizen()
        if citizen is None or citizen.person_id is None or session.get(RECORDED) == chosen:
            return response
        actor = Actor(
            actor=f"citizen:{citizen.spid}", purpose="language choice", on_behalf_of=citizen.spid
        )
        try:
            outbox.submit(
                "persons",
                {"preferred_language": chosen},
                actor=actor,
                operation="update",
                record_id=citizen.person_id,
            )
        except RegistryError as refused:  # e.g. the record was deactivated meanwhile
            logger.warning("language choice not recorded: registry answered %s", refused.status)
            return response
        session[RECORDED] = chosen
        return response
