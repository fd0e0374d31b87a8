"""v2 payloads decode with the getstream SDK into their typed classes, with every field those
classes require present, recursively (the SDK's decoder would silently fill gaps with None)."""

from __future__ import annotations

import dataclasses
import json
import typing
from datetime import datetime, timezone

import pytest
from getstream import models
from getstream.webhook import UnknownEvent, parse_event

from emulator.catalog.types import EVENT_TYPES
from emulator.events.generator import Generator

START = datetime(2025, 3, 30, tzinfo=timezone.utc)
_HINTS: dict[type, dict[str, typing.Any]] = {}


def _hints(cls: type) -> dict[str, typing.Any]:
    if cls not in _HINTS:
        _HINTS[cls] = typing.get_type_hints(cls, vars(models))
    return _HINTS[cls]


def _nested(hint: typing.Any) -> tuple[type | None, str | None]:
    """The model class inside a field's type, and how it is held: None, "list" or "dict"."""
    if dataclasses.is_dataclass(hint):
        return hint, None
    args = typing.get_args(hint)
    origin = typing.get_origin(hint)
    if origin is list and args:
        return _nested(args[0])[0], "list"
    if origin is dict and len(args) == 2:
        return _nested(args[1])[0], "dict"
    for arg in args:  # Optional[...] / unions
        cls, kind = _nested(arg)
        if cls is not None:
            return cls, kind
    return None, None


def _required(field: dataclasses.Field) -> bool:
    return (field.default is dataclasses.MISSING
            and field.default_factory is dataclasses.MISSING)


def missing_fields(cls: type, data: typing.Any, path: str = "$") -> list[str]:
    if not isinstance(data, dict):
        return [f"{path} is not an object"]
    gaps: list[str] = []
    for field in dataclasses.fields(cls):
        if field.name not in data:
            gaps += [f"{path}.{field.name}"] if _required(field) else []
            continue
        value = data[field.name]
        inner, kind = _nested(_hints(cls)[field.name])
        if inner is None or value is None:
            continue
        items = ({None: value} if kind is None else dict(enumerate(value)) if kind == "list"
                 else value)
        for key, item in items.items():
            sub = path + f".{field.name}" + ("" if key is None else f"[{key!r}]")
            gaps += missing_fields(inner, item, sub) if item is not None else []
    return gaps


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_every_v2_payload_decodes_into_its_typed_class_with_required_fields(seed):
    gen = Generator(seed=seed, start_time=START, dialect="v2")
    problems = {}
    for event_type in EVENT_TYPES:
        event = gen.make(event_type)
        decoded = parse_event(json.dumps(event).encode())
        if isinstance(decoded, UnknownEvent) or decoded.type != event_type:
            problems[event_type] = f"decoded as {type(decoded).__name__}"
            continue
        if decoded.created_at.year != START.year:
            problems[event_type] = f"created_at decoded as {decoded.created_at}"
        gaps = missing_fields(type(decoded), event)
        if gaps:
            problems[event_type] = gaps[:5]
    assert problems == {}


def test_the_required_fields_check_catches_a_gap():
    event = Generator(seed=0, start_time=START, dialect="v2").make("message.new")
    del event["message"]["user"]["language"]
    with pytest.warns(RuntimeWarning, match="language"):  # the SDK only warns, then fills None
        decoded = parse_event(json.dumps(event).encode())
    assert missing_fields(type(decoded), event) == ["$.message.user.language"]


@pytest.mark.parametrize("dialect", ["v1", "v2"])
def test_flag_updated_is_spelt_as_the_spec_and_the_sdk_wire_names_have_it(dialect):
    event = Generator(seed=0, start_time=START, dialect=dialect).make("flag.updated")
    assert {"Message", "User", "CreatedBy"} <= set(event)
    assert not {"message", "user", "created_by"} & set(event)
    if dialect == "v2":
        decoded = parse_event(json.dumps(event).encode())
        assert decoded.message.id == event["Message"]["id"]
        assert decoded.created_by.id == event["CreatedBy"]["id"]
        assert decoded.user.id == event["Message"]["user"]["id"]
