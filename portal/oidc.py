"""What can go wrong when talking to an OpenID provider (national digital ID,
the ministry's staff identity provider), named once for every sign-in view.

Authlib's Flask client speaks HTTP through `requests`; a provider that is down
raises its errors, a refused or forged answer raises OAuthError, and broken
metadata or tokens raise ValueError.
"""

from authlib.integrations.base_client import OAuthError
from requests import RequestException

PROVIDER_ERRORS = (RequestException, OAuthError, ValueError)
