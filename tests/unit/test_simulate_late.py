"""simulate's LateRecords: webhook records that end after their batch, counted once."""

from __future__ import annotations

from dataclasses import dataclass

from emulator.simulate.sinks import LateRecords


@dataclass
class Record:
    id: str

    def to_wire(self) -> dict:
        return {"id": self.id}


def test_records_are_collected_once_and_what_is_missing_is_pending():
    late = LateRecords()
    late([Record("a")])  # a record may come before its batch said it would
    late.expect(3)
    late([Record("b")])
    records, pending = late.collect(0)
    assert [r["id"] for r in records] == ["a", "b"] and pending == 1
    late([Record("c")])
    assert late.collect(0) == ([{"id": "c"}], 0)
    assert late.collect(0) == ([], 0)
