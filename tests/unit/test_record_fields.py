"""The cheap per-record fields: uuid4 text from one urandom call, RFC 3339 time of now."""

from __future__ import annotations

import re
import uuid
from datetime import datetime, timedelta, timezone

import pytest

from emulator import timestamps
from emulator.delivery.records import DeliveryRecord, Outcome, Status, new_record_ids


def test_record_ids_are_random_version_4_uuids_as_uuid4_writes_them():
    ids = new_record_ids(5_000)
    assert len(set(ids)) == 5_000
    for text in ids:
        parsed = uuid.UUID(text)
        assert parsed.version == 4 and parsed.variant == uuid.RFC_4122
        assert str(parsed) == text
    assert new_record_ids(0) == []
    # every hex digit turns up in the free positions, and all four variant nibbles
    assert {text[19] for text in ids} == set("89ab")
    assert set("".join(text[:8] for text in ids)) == set("0123456789abcdef")


def test_rfc3339_now_reads_the_clock_as_rfc3339_of_utcnow():
    for _ in range(200):
        before = timestamps.rfc3339(timestamps.utcnow())
        now = timestamps.rfc3339_now()
        after = timestamps.rfc3339(timestamps.utcnow())
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z", now)
        assert before <= now <= after  # fixed width: text order is time order


def test_rfc3339_of_microseconds_is_rfc3339_of_the_datetime():
    epoch = datetime(1970, 1, 1, tzinfo=timezone.utc)
    start = 1_764_590_399_999_990  # ten microseconds before a second (and a day) turns
    for micros in [*range(start, start + 30), 0, 951_782_400_000_000, 4_102_444_799_999_999]:
        assert timestamps.rfc3339_micros(micros) == timestamps.rfc3339(
            epoch + timedelta(microseconds=micros)), micros


def test_rfc3339_now_follows_a_replaced_datetime(monkeypatch: pytest.MonkeyPatch):
    """What freezegun does: `datetime` is a subclass whose now() answers the frozen time."""
    frozen = datetime(2031, 5, 6, 7, 8, 9, 123456, tzinfo=timezone.utc)

    class Frozen(datetime):
        @classmethod
        def now(cls, tz=None):  # type: ignore[override]
            return frozen

    monkeypatch.setattr(timestamps, "datetime", Frozen)
    assert timestamps.rfc3339_now() == "2031-05-06T07:08:09.123456Z"


def test_a_record_is_immutable_and_keeps_its_wire_shape():
    record = DeliveryRecord("id", "message.new", "h", "sqs", "t", Status.DELIVERED, "", 10,
                            "m", 1, "2031-05-06T07:08:09.123456Z")
    with pytest.raises(AttributeError):
        record.status = Status.FAILED  # type: ignore[misc]
    assert list(record.to_wire()) == ["id", "event_type", "hook_id", "hook_type", "target",
                                      "status", "reason", "size_bytes", "message_id",
                                      "attempts", "at"]
    assert record.to_wire()["status"] == "delivered"


def test_a_record_holds_the_outcome_fields_in_the_outcome_order():
    """dispatcher._make spreads an Outcome into a record by position."""
    assert DeliveryRecord._fields[5:10] == Outcome._fields
