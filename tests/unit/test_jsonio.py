"""JSON of the HTTP layer (emulator/api/jsonio.py): strict parsing, and orjson answers that read
as Flask's own (dates, dataclasses, ints past 64 bits included)."""

from __future__ import annotations

import dataclasses
import datetime
import json

import pytest
from flask import Flask
from flask.json.provider import DefaultJSONProvider

from emulator.api.jsonio import FastJSONProvider, parse
from emulator.errors import InputError


@pytest.mark.parametrize("raw, words", [
    (b'{"a": NaN}', "invalid JSON body"),
    (b'{"a": 1e400}', "infinity"),
    (b'{"a": "\\ud800"}', "surrogate"),
    (b'{"a": "\xff"}', "UTF-8"),
    (b"[" * 2000 + b"]" * 2000, "invalid JSON body"),
    (b'{"a": 1,}', "invalid JSON body"),
])
def test_what_is_not_strict_json_is_an_input_error(raw, words):
    with pytest.raises(InputError) as caught:
        parse(raw)
    assert words in str(caught.value) and "invalid JSON body" in str(caught.value)


def test_utf8_and_big_integers_parse_as_go_reads_them():
    assert parse('{"t": "héllo ✓"}'.encode()) == {"t": "héllo ✓"}
    assert parse(b'{"n": 9223372036854775807}') == {"n": 2**63 - 1}  # int64 stays exact
    assert parse(b'{"n": 123456789012345678901234567890}') == {"n": 1.2345678901234568e29}


@dataclasses.dataclass
class Point:
    x: int
    when: datetime.datetime


@pytest.mark.parametrize("value", [
    {"a": [1, 2.5, None, True, "é"], "b": {}},
    {"big": 2**70, "neg": -(2**65)},  # past 64 bits: the standard library writes it
    {"when": datetime.datetime(2026, 12, 1, 12, 0, tzinfo=datetime.timezone.utc)},
    {"date": datetime.date(2026, 12, 1)},
    {"point": Point(3, datetime.datetime(2026, 1, 2, 3, 4, 5))},
    {1: "int key", "s": "<script>&"},
])
def test_answers_read_the_same_as_flasks_own(value):
    app = Flask("t")
    fast, plain = FastJSONProvider(app), DefaultJSONProvider(app)
    plain.sort_keys = fast.sort_keys = False
    assert json.loads(fast.dumps(value)) == json.loads(plain.dumps(value))
    with app.app_context():
        answer = fast.response(value)
    assert answer.mimetype == "application/json"
    assert json.loads(answer.get_data()) == json.loads(plain.dumps(value))


def test_options_of_the_standard_library_are_kept():
    fast = FastJSONProvider(Flask("t"))
    assert fast.dumps({"b": 1, "a": 2}, indent=2, sort_keys=True) == '{\n  "a": 2,\n  "b": 1\n}'
