"""The emulator's own OpenAPI 3.1 document, written from this code's behaviour.

Served at GET /_emulator/openapi.json. Not Stream's spec: only what the emulator serves, with
the shapes it really answers (tests/api/test_openapi.py keeps routes and document in step;
tests/fuzz/ checks the answers against it).
"""

from __future__ import annotations

import copy
from functools import lru_cache
from typing import Any

from ... import __version__
from .chat_paths import chat_paths
from .components import API_ERROR, ERROR_RESPONSES, SECURITY_SCHEMES, SERVER_AUTH
from .control_paths import DELIVERY_RECORD, control_paths
from .settings_schemas import app_schema, hook_input_schema, hook_schema, update_app_schema
from .stream_paths import stream_paths

OPENAPI_VERSION = "3.1.0"
DESCRIPTION = """\
Offline emulator of Stream Chat's app settings API, `check_sqs`, and delivery of chat events
into Amazon SQS, the server-side chat calls that cause events (tag "Chat API": users,
channels, members, messages, reactions, moderation; state kept in memory), plus a control
API under `/_emulator`.

- v1 paths (`/app`, `/check_sqs`) answer RFC 3339 timestamps; `/api/v2/...` answers integer
  Unix nanoseconds.
- Every error is Stream's APIError body. Besides the statuses each operation lists, any path
  can answer 404 (`NotFound`: no such route) and 405 (`MethodNotAllowed`, with an `Allow`
  header) with that body.
- HEAD and OPTIONS are answered automatically by the framework on every path.
- The browser dashboard under `/dashboard` (HTML pages, cookie session, CSRF-protected forms)
  is a UI, not part of this API, and is not described here.
"""


@lru_cache(maxsize=1)
def _document() -> dict[str, Any]:
    return {
        "openapi": OPENAPI_VERSION,
        "info": {"title": "stream-sqs-emulator", "version": __version__,
                 "description": DESCRIPTION, "license": {"name": "MIT", "identifier": "MIT"}},
        "tags": [{"name": "Stream API", "description": "What Stream's server SDKs call"},
                 {"name": "Chat API", "description": "Server-side chat calls that cause events"},
                 {"name": "Control API", "description": "Emulator only"}],
        "security": SERVER_AUTH,
        "paths": {**stream_paths(), **chat_paths(), **control_paths()},
        "components": {
            "securitySchemes": SECURITY_SCHEMES,
            "responses": ERROR_RESPONSES,
            "schemas": {
                "APIError": API_ERROR,
                "AppV1": app_schema("v1"), "AppV2": app_schema("v2"),
                "EventHookV1": hook_schema("v1"), "EventHookV2": hook_schema("v2"),
                "UpdateAppRequest": update_app_schema(),
                "EventHookInput": hook_input_schema(),
                "DeliveryRecord": DELIVERY_RECORD,
            },
        },
    }


def build_document() -> dict[str, Any]:
    """A fresh copy: callers (tests, hooks) may change theirs."""
    return copy.deepcopy(_document())
