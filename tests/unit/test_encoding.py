"""The SQS body as Stream's Go servers write it, and the 256 KB rule in UTF-8 bytes."""

from __future__ import annotations

import base64
import gzip
import json

from emulator.delivery.encoding import body_size, encode_body, event_json, oversize_reason


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
