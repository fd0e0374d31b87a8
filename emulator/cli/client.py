"""A small HTTP client for a running emulator, signed like a Stream server SDK.

Used by `stream-sqs-emulator trigger` and the pytest plugin, whether the emulator runs in
this process or elsewhere.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from ..auth import server_token
from ..config import Settings


class EmulatorError(RuntimeError):
    """The emulator answered with Stream's APIError body."""

    def __init__(self, status: int, body: dict[str, Any]):
        super().__init__(f"HTTP {status}: {body.get('message', body)}")
        self.status = status
        self.body = body


class ControlClient:
    def __init__(self, base_url: str, api_key: str, api_secret: str, timeout: float = 60.0):
        self.base_url = base_url.rstrip("/")
        self.api_key = api_key
        self._token = server_token(api_secret)
        self.timeout = timeout

    @classmethod
    def for_settings(cls, base_url: str, settings: Settings) -> ControlClient:
        return cls(base_url, settings.api_key, settings.api_secret)

    @staticmethod
    def default_url(settings: Settings) -> str:
        import os

        host = "127.0.0.1" if settings.host in ("0.0.0.0", "::") else settings.host
        return os.environ.get("STREAM_CHAT_URL") or f"http://{host}:{settings.port}"

    def request(self, method: str, path: str, body: Any = None, **query: Any) -> dict[str, Any]:
        params = {"api_key": self.api_key, **{k: v for k, v in query.items() if v is not None}}
        url = f"{self.base_url}{path}?{urllib.parse.urlencode(params)}"
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(url, data=data, method=method, headers={
            "Authorization": self._token,
            "Stream-Auth-Type": "jwt",
            "Content-Type": "application/json",
        })
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                return json.loads(resp.read() or b"{}")
        except urllib.error.HTTPError as exc:
            payload = exc.read()
            try:
                parsed = json.loads(payload)
            except ValueError:
                parsed = {"message": payload.decode("utf-8", "replace")}
            raise EmulatorError(exc.code, parsed) from None

    def get(self, path: str, **query: Any) -> dict[str, Any]:
        return self.request("GET", path, **query)

    def post(self, path: str, body: Any = None) -> dict[str, Any]:
        return self.request("POST", path, {} if body is None else body)

    def patch(self, path: str, body: Any) -> dict[str, Any]:
        return self.request("PATCH", path, body)

    # -- wire switches (stream_wire_variant) ----------------------------------------------
    def wire_options(self) -> dict[str, Any]:
        """`{"sqs_body_base64": bool, "dialect": "v1"|"v2"}` in force until the next reset."""
        return self.get("/_emulator/wire")

    def set_wire_options(self, sqs_body_base64: bool | None = None,
                         dialect: str | None = None) -> dict[str, Any]:
        body = {k: v for k, v in (("sqs_body_base64", sqs_body_base64), ("dialect", dialect))
                if v is not None}
        return self.post("/_emulator/wire", body)
