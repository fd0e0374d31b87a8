"""Server-side authentication exactly as Stream's server SDKs send it.

`api_key` query parameter + `Authorization: <JWT>` (bare, or with a `Bearer ` prefix) +
`Stream-Auth-Type: jwt`. The JWT is HS256 with the app's secret and carries `server: true`.
"""

from __future__ import annotations

from collections.abc import Mapping

import jwt

from .errors import (
    AccessKeyError,
    AuthenticationError,
    NotAllowedError,
    TokenExpiredError,
    TokenNotValidYetError,
    TokenSignatureError,
)

ALGORITHM = "HS256"


def authenticate_server(
    api_key: str | None, headers: Mapping[str, str], app_key: str, app_secret: str
) -> None:
    """Raise the Stream error a real server would give, or return for a valid server call."""
    if not api_key:
        raise AccessKeyError("api_key not provided")
    if api_key != app_key:
        raise AccessKeyError("api_key is invalid")
    auth_type = headers.get("Stream-Auth-Type", "")
    if auth_type.lower() != "jwt":
        raise AuthenticationError("stream-auth-type missing or invalid")
    claims = decode_token(headers.get("Authorization", ""), app_key, app_secret)
    # stream-chat SDKs sign {"server": true}; the getstream SDK signs {} (maybe with iat).
    # Both are server tokens; a user token (user_id, no server claim) is not.
    if "user_id" in claims and claims.get("server") is not True:
        raise NotAllowedError(
            f'user "{claims["user_id"]}" is not allowed to perform this action: a server-side '
            "token is required"
        )


def decode_token(header: str, app_key: str, app_secret: str) -> dict:
    token = header.strip()
    if token[:7].lower() == "bearer ":
        token = token[7:].strip()
    if not token:
        raise AuthenticationError("JWTAuth error: token is missing (Authorization header)")
    try:
        alg = jwt.get_unverified_header(token).get("alg")
    except jwt.DecodeError as exc:
        raise AuthenticationError(f"JWTAuth error: token is malformed: {exc}") from None
    if alg != ALGORITHM:
        # Covers `alg: none` too: only HS256 with the app's secret is accepted.
        raise AuthenticationError(
            f"JWTAuth error: signing method {alg!r} is not allowed, expected {ALGORITHM!r}"
        )
    try:
        claims = jwt.decode(
            token, app_secret, algorithms=[ALGORITHM], options={"verify_iat": False}
        )
    except jwt.ExpiredSignatureError:
        raise TokenExpiredError("JWTAuth error: token is expired (exp)") from None
    except jwt.ImmatureSignatureError:
        raise TokenNotValidYetError("JWTAuth error: token is not valid yet (nbf)") from None
    except jwt.InvalidSignatureError:
        raise TokenSignatureError(
            "JWTAuth error: signature is not valid. Make sure the token is created "
            f'using the secret for API key "{app_key}"'
        ) from None
    except jwt.InvalidTokenError as exc:
        raise AuthenticationError(f"JWTAuth error: token is invalid: {exc}") from None
    if not isinstance(claims, dict):
        raise AuthenticationError("JWTAuth error: token claims must be a JSON object")
    return claims


def server_token(app_secret: str) -> str:
    """The token every server SDK sends: HS256, payload exactly {"server": true}."""
    return jwt.encode({"server": True}, app_secret, algorithm=ALGORITHM)
