"""`stream_wire_variant` through the plugin's own fixtures, and the official parsers on every
body form: stream-chat-python's and stream-chat-js's `parseSqs` read base64 bodies only
(plain JSON is not base64), getstream's `parse_sqs` reads all three but types only v2
payloads (its models want integer timestamps)."""

from __future__ import annotations

import base64
import gzip
import json
import subprocess

import pytest
from getstream import webhook as getstream_webhook
from stream_chat import webhook as chat_webhook
from stream_chat.base.exceptions import InvalidWebhookError

from tests.helpers import npm_stream_chat

# Read each body from stdin's JSON list with the npm SDK's parseSqs; print the results.
PARSE_JS = """
const { parseSqs } = require("stream-chat");  // by name: package.json's "node" export
const bodies = JSON.parse(require("fs").readFileSync(0, "utf8"));
process.stdout.write(JSON.stringify(bodies.map((body) => {
  try { return { event: parseSqs(body) }; } catch (e) { return { error: String(e.message) }; }
})));
"""


@pytest.fixture(scope="session")
def parse_sqs_js(tmp_path_factory: pytest.TempPathFactory):
    """stream-chat-js's parseSqs, run by node on a list of bodies (npm install in a temp dir;
    npm's cache makes repeat runs offline)."""
    folder = npm_stream_chat(tmp_path_factory)

    def parse(bodies: list[str]) -> list[dict]:
        # cwd: node resolves "stream-chat" from the temp dir's node_modules
        run = subprocess.run(["node", "-e", PARSE_JS], input=json.dumps(bodies), cwd=folder,
                             capture_output=True, text=True, timeout=60, check=True)
        return json.loads(run.stdout)

    return parse


def test_ids_and_attributes(request, stream_wire_variant):
    assert request.node.callspec.id == str(stream_wire_variant) == stream_wire_variant.id
    assert str(stream_wire_variant) == f"{stream_wire_variant.body}-{stream_wire_variant.dialect}"
    assert stream_wire_variant.body in ("plain", "base64", "gzip")
    assert stream_wire_variant.dialect in ("v1", "v2")


def test_variants_are_exactly_the_six():
    from emulator.testing.wire import WIRE_VARIANTS

    assert [str(v) for v in WIRE_VARIANTS] == [
        "plain-v1", "plain-v2", "base64-v1", "base64-v2", "gzip-v1", "gzip-v2"]


def unwrap(raw: str, body: str) -> bytes:
    if body == "plain":
        return raw.encode()
    data = base64.b64decode(raw, validate=True)
    return gzip.decompress(data) if body == "gzip" else data


def test_body_and_dialect_on_the_wire(stream_emulator, stream_sqs_queue, stream_wire_variant,
                                      stream_events, stream_schemas):
    variant = stream_wire_variant
    [event], _ = stream_emulator.trigger("message.new")
    [raw] = stream_sqs_queue.receive_raw()
    assert raw.startswith("{") == (variant.body == "plain")
    assert (unwrap(raw, variant.body)[:2] == b"\x1f\x8b") is False  # one layer of gzip only
    assert json.loads(unwrap(raw, variant.body)) == event
    assert isinstance(event["created_at"], int if variant.dialect == "v2" else str)
    # the other helpers follow the variant's dialect for this test
    made = stream_events.make("reaction.new")
    assert isinstance(made["created_at"], int if variant.dialect == "v2" else str)
    stream_schemas.validate(made)
    stream_emulator.deliver(made)
    assert stream_sqs_queue.receive() == [made]


def test_official_parsers_where_they_apply(stream_emulator, stream_sqs_queue, stream_wire_variant,
                                           parse_sqs_js):
    variant = stream_wire_variant
    events, _ = stream_emulator.trigger("message.new", count=2)
    raws = stream_sqs_queue.receive_raw(2)
    [js_first, _] = parse_sqs_js(raws)
    if variant.base64:
        assert [chat_webhook.parse_sqs(raw) for raw in raws] == events
        assert js_first == {"event": events[0]}
    else:  # both stream-chat parsers expect base64 always: the reason for the base64 switch
        with pytest.raises(InvalidWebhookError):
            chat_webhook.parse_sqs(raws[0])
        assert js_first == {"error": "invalid base64 encoding"}
    if variant.dialect == "v2":
        typed = getstream_webhook.parse_sqs(raws[0])
        assert type(typed).__name__ == "MessageNewEvent"
        assert typed.message.text == events[0]["message"]["text"]
        assert typed.message.id == events[0]["message"]["id"]
    else:  # v1 (RFC 3339 strings) does not fit getstream's integer-timestamp models
        with pytest.raises(getstream_webhook.InvalidWebhookError):
            getstream_webhook.parse_sqs(raws[0])


EXTERNAL = '''
def test_consumer(stream_emulator, stream_sqs_queue, stream_wire_variant):
    assert stream_emulator.external
    [event], _ = stream_emulator.trigger("message.new")
    [raw] = stream_sqs_queue.receive_raw()
    assert raw.startswith("{") == (stream_wire_variant.body == "plain")
    assert isinstance(event["created_at"], int) == (stream_wire_variant.dialect == "v2")
    assert stream_emulator.wire_options()["dialect"] == stream_wire_variant.dialect
    stream_emulator.trigger("reaction.new")
    assert stream_sqs_queue.receive()[0]["type"] == "reaction.new"
'''


def test_variants_switch_an_external_emulator_over_http(pytester: pytest.Pytester,
                                                        outer_emulator) -> None:
    pytester.makepyfile(test_inner=EXTERNAL)
    result = pytester.runpytest("-p", "no:cacheprovider", "-v",
                                "--stream-emulator-url", outer_emulator.base_url)
    result.assert_outcomes(passed=6)
    result.stdout.fnmatch_lines([f"*test_consumer?{variant}? PASSED*" for variant in (
        "plain-v1", "plain-v2", "base64-v1", "base64-v2", "gzip-v1", "gzip-v2")])
    # put back for whatever uses that emulator next
    assert outer_emulator.backend.wire_options().to_wire() == {
        "sqs_body_base64": False, "dialect": "v1"}
    assert not outer_emulator.backend.app.compress_payloads


def test_schema_types_per_dialect(stream_schemas):
    v1, v2 = stream_schemas.types("v1"), stream_schemas.types("v2")
    assert len(v1) == 64 and set(v1) < set(v2) and "appeal.accepted" in set(v2) - set(v1)
    # No dialect: the session's, so each listed type can be triggered in it
    assert stream_schemas.types() == stream_schemas.types(stream_schemas.dialect)


def test_schema_types_follow_the_variant(stream_emulator, stream_schemas, stream_wire_variant):
    types = stream_schemas.types()
    assert len(types) == {"v1": 64, "v2": 77}[stream_wire_variant.dialect]
    assert "appeal.accepted" in types if stream_wire_variant.dialect == "v2" else \
        "appeal.accepted" not in types
    # every listed type triggers and validates in the variant's dialect
    for event_type in ("message.new", types[-1]):
        event = stream_emulator.trigger(event_type).events[0]
        stream_schemas.validate(event)
