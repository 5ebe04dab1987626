"""An encrypted session cookie.

Flask's cookie is signed but readable by anyone holding it. Ours carries a
phone number and screener answers (some sensitive), so its content is
encrypted (portal.crypto), then signed and time-stamped as usual.
"""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken
from flask import Flask
from flask.json.tag import TaggedJSONSerializer
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import BadPayload, URLSafeTimedSerializer

from portal.crypto import fernet_for


class EncryptedJSON:
    """Flask's tagged JSON, encrypted: the serializer itsdangerous signs."""

    def __init__(self, fernet: Fernet) -> None:
        self._fernet = fernet
        self._json = TaggedJSONSerializer()

    def dumps(self, value) -> str:
        return self._fernet.encrypt(self._json.dumps(value).encode()).decode()

    def loads(self, data: str | bytes):
        try:
            return self._json.loads(self._fernet.decrypt(data).decode())
        except InvalidToken as error:
            raise BadPayload("session cannot be decrypted") from error


class EncryptedCookieSessionInterface(SecureCookieSessionInterface):
    def open_session(self, app: Flask, request):
        try:
            return super().open_session(app, request)
        except BadPayload:  # signed but not ours to decrypt: start empty
            return self.session_class()

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        if not app.secret_key:
            return None
        return URLSafeTimedSerializer(
            app.secret_key,
            salt=self.salt,
            serializer=EncryptedJSON(fernet_for(str(app.secret_key), "portal session cookie")),
            signer_kwargs={
                "key_derivation": self.key_derivation,
                "digest_method": self.digest_method,
            },
        )


def setup_session_cookie(app: Flask) -> None:
    app.session_interface = EncryptedCookieSessionInterface()
