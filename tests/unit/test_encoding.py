"""The SQS body as Stream's Go servers write it, and the 256 KB rule in UTF-8 bytes."""

from __future__ import annotations

import base64
import gzip
import json
from dataclasses import dataclass
from datetime import datetime, timezone

import pytest

from emulator.delivery.encoding import (
    body_size,
    encode_body,
    encoded_body,
    event_json,
    oversize_reason,
)


def test_compact_utf8_with_go_html_escapes():
    event = {"type": "message.new", "html": "<p>Tom & Jerry</p>", "text": "日本\u2028é"}
    text = event_json(event)
    assert text == ('{"type":"message.new","html":"\\u003cp\\u003eTom \\u0026 Jerry'
                    '\\u003c/p\\u003e","text":"日本\\u2028é"}')
    assert json.loads(text) == event


def test_compressed_body_is_base64_of_gzip_and_reproducible():
    event = {"type": "user.banned", "reason": "spam"}
    body = encode_body(event, compress=True)
    assert json.loads(gzip.decompress(base64.b64decode(body))) == event
    assert body == encode_body(event, compress=True)
    assert encode_body(event, compress=False) == event_json(event)


def test_size_counts_utf8_bytes_and_the_limit_is_inclusive():
    assert body_size("日") == 3 and body_size("é") == 2
    assert oversize_reason(262_144) is None
    assert oversize_reason(262_145) == (
        "message body is 262,145 bytes > 262,144: Stream drops SQS messages over 256 KB")


def test_always_base64_switch_wraps_plain_json_too():
    event = {"type": "user.banned", "reason": "spam"}
    body = encode_body(event, compress=False, always_base64=True)
    assert json.loads(base64.b64decode(body)) == event
    compressed = encode_body(event, compress=True, always_base64=True)
    assert compressed == encode_body(event, compress=True)  # base64 once, not twice


@dataclass
class _Point:
    x: int
    y: int


def _json_dumps_text(value: object) -> str:
    """What the encoding was before orjson: json.dumps, compact, UTF-8, Go's HTML escapes."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for char in "<>&\u2028\u2029":
        text = text.replace(char, f"\\u{ord(char):04x}")
    return text


def test_every_character_is_written_as_json_dumps_wrote_it():
    text = "".join(chr(cp) for cp in range(0x3000)) + "\U0001f600 \ufeff \U0010ffff"
    event = {"type": "message.new", "k\u2028<": text, "list": [text[:200], text[-50:]]}
    assert event_json(event) == _json_dumps_text(event)


def test_ints_and_floats_from_1e_minus_4_up_as_json_dumps():
    values = [0, -1, 2**63 - 1, -(2**63), 2**64 - 1, 0.0, -0.0, 1.0, 0.1, 1 / 3, 1e-4, 2.5e15,
              1e16, 1.5e300, -123456.789, 5e-324 * 2**1000, True, False, None]
    event = {"type": "custom", "values": values, "nested": {"x": values}}
    assert event_json(event) == _json_dumps_text(event)


def test_small_floats_come_out_as_go_writes_them_and_nan_as_null():
    assert event_json({"a": [1e-7, 1.5e-5, -2e-9]}) == '{"a":[1e-7,0.000015,-2e-9]}'
    assert event_json({"a": float("nan"), "b": float("inf")}) == '{"a":null,"b":null}'
    assert json.loads(event_json({"a": 1e-7}))["a"] == 1e-7


def test_what_orjson_refuses_json_dumps_writes_or_refuses():
    event = {"type": "custom", "big": 2**70, 7: "int key", "deep": [[[[[]]]]] * 2}
    assert event_json(event) == _json_dumps_text(event)
    deep: list = []
    for _ in range(400):  # past orjson's nesting limit, within json's recursion limit
        deep = [deep]
    assert json.loads(event_json({"deep": deep})) == {"deep": deep}
    with pytest.raises(TypeError, match="not JSON serializable"):
        event_json({"when": datetime.now(timezone.utc)})  # json.dumps' own error, as before
    with pytest.raises(TypeError):
        event_json({"rec": _Point(1, 2)})  # a dataclass: refused too


def test_encoded_body_size_is_the_utf8_size_of_the_body():
    event = {"type": "message.new", "text": "日本 <b> é" * 10}
    for compress, always in ((False, False), (False, True), (True, False)):
        body, size = encoded_body(event, compress, always)
        assert body == encode_body(event, compress, always)
        assert size == body_size(body)
