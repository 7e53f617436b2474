"""The OpenID provider the single sign-on tests talk to, as a process of its own.

oidc-provider-mock (an Authlib authorization server on Flask) with three test switches that
its command line lacks, each the behaviour of a real provider:

- PKCE is required and checked (Authlib's CodeChallenge): a token request without the right
  code_verifier is refused, as Keycloak, Okta and Entra ID do for clients set up that way;
- `--audience` signs ID tokens for another client (the token meant for another application);
- `--token-max-age` dates the tokens' expiry, negative for tokens already expired.

Run as `python tests/people/oidc_provider.py --port N`; tests start it (tests/people/conftest.py)
and set users' claims with `PUT /users/<sub>`.
"""

from __future__ import annotations

import argparse
import os
from datetime import timedelta
from typing import Any

import authlib.integrations.flask_oauth2 as flask_oauth2
import werkzeug.serving
from authlib.oauth2.rfc6749 import InvalidRequestError
from authlib.oauth2.rfc7636 import CodeChallenge
from oidc_provider_mock import _app

# The code challenge sent with each authorization code (the mock's codes do not keep it).
CHALLENGES: dict[str, tuple[str | None, str | None]] = {}


class RequiredCodeChallenge(CodeChallenge):
    def validate_code_challenge(self, grant: Any, redirect_uri: str) -> None:
        if not grant.request.payload.data.get("code_challenge"):
            raise InvalidRequestError("PKCE is required: missing 'code_challenge'")
        super().validate_code_challenge(grant, redirect_uri)

    def validate_code_verifier(self, grant: Any, result: Any) -> None:
        if not grant.request.form.get("code_verifier"):
            raise InvalidRequestError("PKCE is required: missing 'code_verifier'")
        super().validate_code_verifier(grant, result)

    def get_authorization_code_challenge(self, authorization_code: Any) -> str | None:
        return CHALLENGES.get(authorization_code.code, (None, None))[0]

    def get_authorization_code_challenge_method(self, authorization_code: Any) -> str | None:
        return CHALLENGES.get(authorization_code.code, (None, None))[1]


def install(*, audience: str | None) -> None:
    save_code = _app.AuthorizationCodeGrant.save_authorization_code

    def save_authorization_code(self: Any, code: str, request: Any) -> None:
        data = request.payload.data
        CHALLENGES[code] = (data.get("code_challenge"), data.get("code_challenge_method"))
        save_code(self, code, request)

    _app.AuthorizationCodeGrant.save_authorization_code = save_authorization_code

    register_grant = flask_oauth2.AuthorizationServer.register_grant

    def register_with_pkce(self: Any, grant_cls: Any, extensions: Any = None) -> None:
        if grant_cls is _app.AuthorizationCodeGrant:
            extensions = [*(extensions or []), RequiredCodeChallenge()]
        register_grant(self, grant_cls, extensions)

    flask_oauth2.AuthorizationServer.register_grant = register_with_pkce

    jwt_config = _app.OpenIDCode.get_jwt_config

    def get_jwt_config(self: Any, grant: Any, client: Any = None) -> dict[str, Any]:
        config = dict(jwt_config(self, grant, client))
        # Every real provider names its signing key (kid), and Ruche picks the key by it.
        config["kid"] = _app.storage.jwk.as_dict()["kid"]
        if audience:
            config["aud"] = [audience]
        return config

    _app.OpenIDCode.get_jwt_config = get_jwt_config


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--audience", default=None)
    parser.add_argument("--token-max-age", type=int, default=3600)
    args = parser.parse_args()
    os.environ["AUTHLIB_INSECURE_TRANSPORT"] = "1"  # http on the loopback, tests only
    install(audience=args.audience)
    app = _app.app(
        require_nonce=True,
        access_token_max_age=timedelta(seconds=args.token_max_age),
    )
    werkzeug.serving.run_simple("127.0.0.1", args.port, app, threaded=True)


if __name__ == "__main__":
    main()
