"""Data-driven positive and negative examples; v2 payloads decode with the getstream SDK."""

from __future__ import annotations

import dataclasses
import json

import pytest
from getstream.webhook import UnknownEvent, _get_event_class, parse_event

from emulator.catalog.registry import EventValidationError, get_registry
from emulator.errors import InputError
from tests.contract.examples_lib import event_type_of, negative_examples, positive_examples

POSITIVES = positive_examples()
NEGATIVES = negative_examples()
OTHER = {"v1": "v2", "v2": "v1"}


def assert_decodes_with_sdk(event: dict) -> None:
    """A v2 payload becomes its typed SDK class with every required field set."""
    decoded = parse_event(json.dumps(event).encode())
    cls = _get_event_class(event["type"])
    assert not isinstance(decoded, UnknownEvent) and isinstance(decoded, cls)
    for f in dataclasses.fields(cls):
        if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
            assert getattr(decoded, f.name) is not None, f.name


def test_there_are_examples_in_both_dialects():
    assert {d for _, d, _ in POSITIVES} == {"v1", "v2"} and len(NEGATIVES) >= 30


@pytest.mark.parametrize("dialect,event", [(d, e) for _, d, e in POSITIVES],
                         ids=[i for i, _, _ in POSITIVES])
def test_positive_example_is_valid_in_its_dialect(dialect, event):
    assert get_registry().violations(event, dialect, event_type_of(event)) == []


@pytest.mark.parametrize("dialect,event", [(d, e) for _, d, e in POSITIVES],
                         ids=[i for i, _, _ in POSITIVES])
def test_positive_example_fails_in_the_other_dialect_at_a_timestamp(dialect, event):
    found = get_registry().violations(event, OTHER[dialect], event_type_of(event))
    assert any(v.path == "$.created_at" for v in found), found


@pytest.mark.parametrize("event", [e for _, d, e in POSITIVES if d == "v2"],
                         ids=[i for i, d, _ in POSITIVES if d == "v2"])
def test_v2_example_decodes_into_its_sdk_class(event):
    assert_decodes_with_sdk(event)


@pytest.mark.parametrize("case", NEGATIVES, ids=[c["name"] for c in NEGATIVES])
def test_negative_example_fails_at_exactly_its_path(case):
    found = get_registry().violations(case["event"], case["dialect"], case.get("event_type"))
    assert [v.path for v in found] == [case["path"]], [str(v) for v in found]
    violation = found[0]
    assert violation.expected and violation.received
    assert violation.expected in violation.message and violation.received in violation.message


@pytest.mark.parametrize("case", NEGATIVES, ids=[c["name"] for c in NEGATIVES])
def test_negative_example_raises_an_input_error_naming_the_path(case):
    with pytest.raises(EventValidationError) as caught:
        get_registry().validate(case["event"], case["dialect"], case.get("event_type"))
    assert isinstance(caught.value, InputError) and caught.value.code == 4
    assert case["path"] in caught.value.detail
    assert caught.value.violations[0].received in caught.value.detail
