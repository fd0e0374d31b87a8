"""Server auth for the fuzzer: valid most of the time, otherwise one of the ways it goes wrong.

The schemathesis auth provider sets valid auth (so schemathesis treats it as explicit and
probes the operation without it); a case hook then draws a variant with Hypothesis (so
failures shrink and replay) and swaps it in.
"""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Callable

import jwt
from hypothesis import strategies as st

Headers = dict[str, str]
Query = dict[str, str]


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _raw_token(header: object, payload: object, signature: str = "c2ln") -> str:
    return ".".join([_b64(json.dumps(header).encode()), _b64(json.dumps(payload).encode()),
                     signature])


def _signed(claims: dict, secret: str, alg: str = "HS256") -> str:
    return jwt.encode(claims, secret, algorithm=alg)


def variants(key: str, secret: str) -> dict[str, Callable[[], tuple[Query, Headers]]]:
    """name → (query, headers) maker; makers so `exp`/`nbf` are computed at send time."""
    def server(token: str, auth_type: str = "jwt", api_key: str | None = key):
        query = {} if api_key is None else {"api_key": api_key}
        headers = {"Stream-Auth-Type": auth_type} if auth_type else {}
        if token:
            headers["Authorization"] = token
        return query, headers

    good = _signed({"server": True}, secret)
    return {
        "valid": lambda: server(good),
        "bearer": lambda: server("Bearer " + good),
        "upper-auth-type": lambda: server(good, auth_type="JWT"),
        "getstream-empty-claims": lambda: server(_signed({}, secret)),
        "no-api-key": lambda: server(good, api_key=None),
        "wrong-api-key": lambda: server(good, api_key=key + "x"),
        "empty-api-key": lambda: server(good, api_key=""),
        "no-auth-type": lambda: server(good, auth_type=""),
        "anonymous": lambda: server(good, auth_type="anonymous"),
        "no-token": lambda: server(""),
        "bearer-only": lambda: server("Bearer "),
        "malformed": lambda: server("not.a.jwt"),
        "wrong-secret": lambda: server(_signed({"server": True}, secret + "x")),
        "expired": lambda: server(_signed({"server": True, "exp": int(time.time()) - 60},
                                          secret)),
        "not-yet-valid": lambda: server(_signed({"server": True,
                                                 "nbf": int(time.time()) + 3600}, secret)),
        "user-token": lambda: server(_signed({"user_id": "fuzzer"}, secret)),
        "hs512": lambda: server(_signed({"server": True}, secret, "HS512")),
        "alg-none": lambda: server(_raw_token({"alg": "none", "typ": "JWT"},
                                              {"server": True}, "")),
        "array-claims": lambda: server(_raw_token({"alg": "HS256", "typ": "JWT"}, [1, 2])),
        "bad-header-json": lambda: server("e30x." + _b64(b'{"server":true}') + ".c2ln"),
    }


def marker_strategy(names: list[str]) -> st.SearchStrategy[str]:
    """Most requests carry valid auth; the rest one mutation, or random junk as the token."""
    mutated = st.one_of(
        st.sampled_from([n for n in names if n != "valid"]),
        st.text(alphabet=st.characters(min_codepoint=33, max_codepoint=126), max_size=40)
        .map(lambda junk: "junk:" + junk),
    )
    # Hypothesis draws the first branch most often when shrinking, about evenly otherwise.
    return st.integers(0, 9).flatmap(lambda n: mutated if n == 9 else st.just("valid"))


def client_header() -> st.SearchStrategy[str]:
    """A varying X-Stream-Client (real SDKs send one): parameterless operations then get
    many distinct valid-auth requests instead of one."""
    return st.text(alphabet=st.characters(min_codepoint=33, max_codepoint=126), max_size=30)


def apply(marker: str, key: str, secret: str, table: dict) -> tuple[Query, Headers]:
    if marker.startswith("junk:"):
        return {"api_key": key}, {"Stream-Auth-Type": "jwt", "Authorization": marker[5:]}
    return table.get(marker, table["valid"])()


def mutate(case, drawn: tuple[str, str], s, table: dict):
    """Replace the valid auth the provider set with the drawn variant (kept for "valid")."""
    marker, client = drawn
    case.headers = {**(case.headers or {}), "X-Stream-Client": client}
    if marker == "valid":
        return case
    query, headers = apply(marker, s.api_key, s.api_secret, table)
    kept_query = {k: v for k, v in (case.query or {}).items() if k != "api_key"}
    kept_headers = {k: v for k, v in (case.headers or {}).items()
                    if k.lower() not in ("authorization", "stream-auth-type")}
    case.query = {**kept_query, **query}
    case.headers = {**kept_headers, **headers}
    return case
