"""The SQS message body exactly as Stream builds it, and the 256 KB rule.

Stream's servers are written in Go, whose encoding/json writes compact JSON, keeps
non-ASCII characters as UTF-8 and escapes <, >, & and U+2028/U+2029; we do the same so byte
sizes match. With `enable_hook_payload_compression` the body is base64(gzip(JSON)),
as Stream documents for SQS/SNS, which both official SDK parsers decode.
"""

from __future__ import annotations

import base64
import gzip
import json
from typing import Any

from ..config import MAX_MESSAGE_BYTES

_GO_ESCAPES = (
    ("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
    ("\u2028", "\\u2028"), ("\u2029", "\\u2029"),
)


def event_json(event: dict[str, Any]) -> str:
    text = json.dumps(event, ensure_ascii=False, separators=(",", ":"))
    for char, escaped in _GO_ESCAPES:  # str.replace beats str.translate ~20× here
        if char in text:
            text = text.replace(char, escaped)
    return text


def encode_body(event: dict[str, Any], compress: bool, always_base64: bool = False) -> str:
    """`always_base64`: the reading of stream-chat-js/stream-chat-python's parsers, which
    expect base64 even without compression (a switch; plain JSON is the default)."""
    data = event_json(event).encode("utf-8")
    if compress:
        data = gzip.compress(data, mtime=0)  # mtime=0: the same event, the same bytes
    elif not always_base64:
        return data.decode("utf-8")
    return base64.b64encode(data).decode("ascii")


def body_size(body: str) -> int:
    """Stream's limit counts UTF-8 bytes of what is sent (moto would count characters)."""
    return len(body.encode("utf-8"))


def oversize_reason(size: int, service: str = "SQS") -> str | None:
    """`service`: "SQS" or "SNS" (an SNS Message has the same 256 KB limit)."""
    if size <= MAX_MESSAGE_BYTES:
        return None
    return (
        f"message body is {size:,} bytes > {MAX_MESSAGE_BYTES:,}: Stream drops {service} "
        "messages over 256 KB"
    )
