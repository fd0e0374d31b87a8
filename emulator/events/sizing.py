"""Grow an event to an exact body size in bytes, for the 256 KB drop scenario.

Size is measured as Stream sends it (compact UTF-8 JSON, Go escapes: delivery/encoding.py).
Multi-locale text makes characters and bytes differ (a Japanese character is 3 bytes), so we
count bytes, and finish with a few ASCII characters to land exactly on the target.
"""

from __future__ import annotations

from typing import Any

from ..delivery.encoding import event_json
from ..errors import InputError
from .content import Content
from .render import to_html

PAD_KEY = "padding"
_UNSAFE = set('<>&"\\\u2028\u2029')  # escaped by JSON or Go: would break the byte count


def size_of(event: dict[str, Any]) -> int:
    return len(event_json(event).encode("utf-8"))


def _holder(event: dict[str, Any], dialect: str) -> dict[str, Any]:
    """Where custom padding goes: the message (or event) custom data of that dialect."""
    target = event["message"] if isinstance(event.get("message"), dict) else event
    if dialect == "v2":
        target["custom"] = dict(target.get("custom") or {})
        return target["custom"]
    return target


def _filler(content: Content, budget: int, per_byte: int) -> str:
    parts, used = [], 0
    safe = [s for s in content.pools.sentences if not _UNSAFE & set(s)] or ["chat"]
    while True:
        sentence = content.rng.choice(safe)
        cost = (len(sentence.encode("utf-8")) + 1) * per_byte
        if used + cost > budget:
            return " ".join(parts)
        parts.append(sentence)
        used += cost


def fill_to_size(event: dict[str, Any], target: int, content: Content,
                 dialect: str) -> dict[str, Any]:
    current = size_of(event)
    if target < current + 64:
        raise InputError(f"kilobytes: expected a size above {current + 64} bytes for "
                         f"{event.get('type')}, received {target}")
    message = event.get("message") if isinstance(event.get("message"), dict) else None
    if message is not None:  # text and html both grow, so each text byte costs two
        extra = _filler(content, target - current - 64, per_byte=2)
        message["text"] = f"{message.get('text', '')} {extra}".strip()
        message["html"] = to_html(message["text"])
    holder = _holder(event, dialect)
    holder[PAD_KEY] = ""
    if message is None:
        holder[PAD_KEY] = _filler(content, target - size_of(event) - 8, per_byte=1)
    holder[PAD_KEY] += "x" * (target - size_of(event))
    if size_of(event) != target:  # would mean an escaped character slipped in
        raise AssertionError(f"sized event is {size_of(event)} bytes, wanted {target}")
    return event
