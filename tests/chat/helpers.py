"""Assertions the chat tests share."""

from __future__ import annotations

import json
from typing import Any

import pytest
from stream_chat.base.exceptions import StreamAPIException


def expect_events(queue, *types: str) -> list[dict[str, Any]]:
    """Exactly these event types, in this order, and nothing else waiting in the queue."""
    events = queue.receive(len(types)) if types else []
    assert [e["type"] for e in events] == list(types)
    assert queue.peek() == [], "more events than the call should cause"
    return events


def api_error(call, status: int, code: int, *words: str) -> dict[str, Any]:
    """The call fails with Stream's APIError body: status, code, and a message naming words."""
    with pytest.raises(StreamAPIException) as caught:
        call()
    error = caught.value
    assert error.status_code == status
    body = json.loads(error.response_text)
    assert set(body) >= {"code", "message", "StatusCode", "duration", "more_info", "details"}
    assert (body["code"], body["StatusCode"]) == (code, status), body
    for word in words:
        assert word in body["message"], body["message"]
    return body


def strict(model: type, raw: dict[str, Any]) -> Any:
    """getstream's model parse without `infer_missing`: every required field must be there."""
    return model.from_dict(raw, infer_missing=False)
