"""Single sign-on with OpenID Connect (README, "Connect your directory").

mozilla-django-oidc runs the protocol: the authorization code flow with PKCE, the state and
the nonce kept in the session and checked once (a replayed callback finds no state), the
token request, the provider's keys (JWKS) and the ID token's signature. This module adds what
an intranet needs around it:

- the provider's endpoints come from the issuer's discovery document (operators give the
  issuer URL only), cached, and its `issuer` must be the one configured;
- the ID token's issuer, audience (this client) and expiry are checked too: the library
  verifies the signature but not the audience;
- the claims of the ID token and of the userinfo endpoint (same `sub`, or refused) go to
  `people.services.user_sign_in_with_provider`, which links the account by verified e-mail
  or creates it, and keeps department and job title up to date;
- every refusal ends on a page that says why, in the person's language, never a bare 400;
- logout also ends the session at the provider when it offers an end-session endpoint.

With no RUCHE_OIDC_ISSUER nothing here is used: the views answer 404 and the backend is not in
AUTHENTICATION_BACKENDS.
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any
from urllib.parse import urlencode

import jwt
import requests
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from core.refusals import Refusal
from people import services
from people.models import User

logger = logging.getLogger(__name__)

DISCOVERY_TTL_SECONDS = 3600
# Clocks of the provider and of Ruche differ a little: a token is still valid this long after
# its `exp`, and may be dated this far in the future.
CLOCK_LEEWAY_SECONDS = 60


def oidc_enabled() -> bool:
    return bool(settings.RUCHE_OIDC_ISSUER)


def provider_name() -> str:
    return str(settings.RUCHE_OIDC_PROVIDER_NAME)


class ProviderRefusal(Refusal):
    """A sign-in through the provider that may not go on; the page says why."""

    status = 403


def _unreachable() -> ProviderRefusal:
    return ProviderRefusal(
        _("%(provider)s could not be reached. Try again in a moment.")
        % {"provider": provider_name()},
        status=502,
    )


def _unverifiable() -> ProviderRefusal:
    return ProviderRefusal(
        _(
            "The answer of %(provider)s could not be verified, so you are not signed in. "
            "Start again from the login page; if it happens again, tell an administrator."
        )
        % {"provider": provider_name()}
    )


def provider_metadata() -> dict[str, Any]:
    """The provider's discovery document (endpoints, keys' address), fetched once an hour.
    Its `issuer` must be the configured issuer: a document for another issuer is refused."""
    issuer = settings.RUCHE_OIDC_ISSUER
    key = "oidc-discovery:" + hashlib.sha256(issuer.encode()).hexdigest()
    metadata: dict[str, Any] | None = cache.get(key)
    if metadata is not None:
        return metadata
    try:
        response = requests.get(
            f"{issuer}/.well-known/openid-configuration", timeout=settings.OIDC_TIMEOUT
        )
        response.raise_for_status()
        metadata = response.json()
    except (requests.RequestException, ValueError) as error:
        logger.warning("OIDC discovery of %s failed: %s", issuer, error)
        raise _unreachable() from error
    if (
        not isinstance(metadata, dict)
        or str(metadata.get("issuer", "")).rstrip("/") != issuer
        or not all(metadata.get(name) for name in ("authorization_endpoint", "token_endpoint"))
        or not metadata.get("jwks_uri")
    ):
        logger.error("OIDC discovery document of %s is not this issuer's", issuer)
        raise _unverifiable()
    cache.set(key, metadata, DISCOVERY_TTL_SECONDS)
    return metadata


def identity_from_claims(claims: dict[str, Any]) -> services.ProviderIdentity:
    """The claims read under the names the operators configured (RUCHE_OIDC_CLAIM_*)."""
    names = settings.RUCHE_OIDC_CLAIMS

    def text(field: str) -> str:
        value = claims.get(names[field]) if names[field] else None
        return value.strip() if isinstance(value, str) else ""

    verified_claim = names["email_verified"]
    verified = claims.get(verified_claim) if verified_claim else True
    return services.ProviderIdentity(
        provider=provider_name(),
        subject=str(claims.get("sub", "")),
        email=text("email"),
        # Some providers send "true" as a string.
        email_verified=verified is True or str(verified).lower() == "true",
        username=text("username"),
        first_name=text("first_name"),
        last_name=text("last_name"),
        department=text("department") if names["department"] in claims else None,
        job_title=text("job_title") if names["job_title"] in claims else None,
    )


class OidcBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's backend, with the endpoints from discovery and the checks of the
    ID token it leaves out. Django builds a backend for every sign-in and for every request of
    a session it opened: nothing here reaches the network before a callback is handled."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.OIDC_RP_CLIENT_SECRET
        self.OIDC_RP_SIGN_ALGO = settings.OIDC_RP_SIGN_ALGO
        self.OIDC_RP_IDP_SIGN_KEY = None
        self.UserModel = User

    def get_user(self, user_id: int) -> User | None:
        # Django's ModelBackend's, not the library's: a deactivated account's session ends.
        user = ModelBackend.get_user(self, user_id)
        return user if isinstance(user, User) else None

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> User | None:
        # Only the callback view passes a nonce: a password sign-in never reaches the provider.
        if request is None or not oidc_enabled() or not kwargs.get("nonce"):
            return None
        metadata = provider_metadata()
        self.issuer = str(metadata["issuer"])
        self.OIDC_OP_TOKEN_ENDPOINT = metadata["token_endpoint"]
        self.OIDC_OP_JWKS_ENDPOINT = metadata["jwks_uri"]
        self.OIDC_OP_USER_ENDPOINT = metadata.get("userinfo_endpoint")
        return super().authenticate(request, **kwargs)

    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        try:
            payload: dict[str, Any] = super().verify_token(token, **kwargs)
        except SuspiciousOperation as error:  # wrong nonce, unknown key, bad signature
            logger.warning("OIDC ID token refused: %s", error)
            raise _unverifiable() from error
        return payload

    def _verify_jws(self, payload: str, key: Any) -> dict[str, Any]:
        """Signature, algorithm, issuer, audience and expiry, all at once (PyJWT)."""
        try:
            claims: dict[str, Any] = jwt.decode(
                payload,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=self.issuer,
                leeway=CLOCK_LEEWAY_SECONDS,
                options={"require": ["exp", "iat", "iss", "aud", "sub"]},
            )
        except jwt.ExpiredSignatureError as error:
            logger.warning("OIDC ID token refused: expired")
            raise ProviderRefusal(
                _(
                    "Your sign-in with %(provider)s has expired. Start again from the login "
                    "page; if it happens again, the clocks of %(provider)s and Ruche may differ."
                )
                % {"provider": provider_name()}
            ) from error
        except jwt.InvalidTokenError as error:  # audience, issuer, signature, missing claim
            logger.warning("OIDC ID token refused: %s", error)
            raise _unverifiable() from error
        audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
        if len(audiences) > 1 and claims.get("azp") != self.OIDC_RP_CLIENT_ID:
            logger.warning("OIDC ID token refused: several audiences, azp is not this client")
            raise _unverifiable()
        return claims

    def get_userinfo(
        self, access_token: str, id_token: str, payload: dict[str, Any]
    ) -> dict[str, Any]:
        """The ID token's claims, completed by the userinfo endpoint when there is one (some
        providers put department and job title in one, some in the other). Userinfo about
        another subject than the ID token's is refused (OpenID Connect Core, 5.3.2)."""
        claims = dict(payload)
        if self.OIDC_OP_USER_ENDPOINT:
            info = super().get_userinfo(access_token, id_token, payload)
            if str(info.get("sub")) != str(payload.get("sub")):
                logger.warning("OIDC userinfo refused: its subject is not the ID token's")
                raise _unverifiable()
            claims.update(info)
        return claims

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict[str, Any]) -> User:
        claims = self.get_userinfo(access_token, id_token, payload)
        return services.user_sign_in_with_provider(
            identity=identity_from_claims(claims),
            create=settings.RUCHE_OIDC_CREATE_ACCOUNTS,
        )


def _failure(request: HttpRequest, message: str, status: int) -> HttpResponse:
    return render(
        request,
        "registration/oidc_failed.html",
        {"message": message, "provider_name": provider_name()},
        status=status,
    )


@method_decorator(login_not_required, name="dispatch")
class AuthenticationRequestView(OIDCAuthenticationRequestView):
    """Sends the browser to the provider, with state, nonce and PKCE code challenge."""

    def __init__(self, **kwargs: Any) -> None:
        super(OIDCAuthenticationRequestView, self).__init__(**kwargs)
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID

    def get(self, request: HttpRequest) -> HttpResponse:
        if not oidc_enabled():
            raise Http404
        try:
            self.OIDC_OP_AUTH_ENDPOINT = provider_metadata()["authorization_endpoint"]
        except Refusal as refusal:
            return _failure(request, str(refusal.message), refusal.status)
        response: HttpResponse = super().get(request)
        return response


@method_decorator(login_not_required, name="dispatch")
class CallbackView(OIDCAuthenticationCallbackView):
    """Where the provider sends the browser back. The library checks the state (once: it is
    removed from the session before the code is exchanged) and signs in; this view turns each
    way it can fail into a page that says what to do."""

    def get(self, request: HttpRequest) -> HttpResponse:
        if not oidc_enabled():
            raise Http404
        try:
            response: HttpResponse = super().get(request)
        except Refusal as refusal:
            return _failure(request, str(refusal.message), refusal.status)
        except SuspiciousOperation as error:  # a state this session never sent, or used
            logger.warning("OIDC callback refused: %s", error)
            return self.login_failure()
        except requests.RequestException as error:  # the token or keys request failed
            logger.warning("OIDC sign-in failed at the provider: %s", error)
            return _failure(
                request,
                _("%(provider)s refused to complete the sign-in. Start again from the login page.")
                % {"provider": provider_name()},
                403,
            )
        return response

    def login_failure(self) -> HttpResponse:
        """No state in the session, an unknown or replayed state, or the provider's own
        error (the person cancelled): start again."""
        return _failure(
            self.request,
            _(
                "This sign-in with %(provider)s was cancelled, has expired or was already "
                "used. Start again from the login page."
            )
            % {"provider": provider_name()},
            400,
        )


def provider_logout_url(*, id_token: str, return_to: str) -> str | None:
    """Where to send the browser after a local logout so that the provider ends its session
    too (RP-initiated logout), or None when the provider offers no end-session endpoint or
    cannot be reached (the local logout is done either way)."""
    try:
        endpoint = provider_metadata().get("end_session_endpoint")
    except Refusal:
        return None
    if not endpoint:
        return None
    query = urlencode(
        {
            "id_token_hint": id_token,
            "post_logout_redirect_uri": return_to,
            "client_id": settings.OIDC_RP_CLIENT_ID,
        }
    )
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"
