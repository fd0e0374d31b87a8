"""The catalogue against Stream's own OpenAPI spec (issue 13 §3).

Stream's spec is proprietary, so it is never in the repo and never downloaded: point
STREAM_SPEC_V1 at a copy of GetStream/protocol's `openapi/chat-openapi.json` and STREAM_SPEC_V2
at `openapi/v2/chat-serverside-api.json` (`make spec-check SPEC_V1=… SPEC_V2=…` runs the same
check as a command). The machinery itself is tested below on a small spec-shaped document.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from emulator.catalog.registry import get_registry
from emulator.catalog.spec_check import Spec, SpecError, check, to_json_schema
from emulator.events.samples import samples
from emulator.resources import schemas_dir

SEEDS = range(8)
ENV = {"v1": "STREAM_SPEC_V1", "v2": "STREAM_SPEC_V2"}
SCRIPT = schemas_dir().parent / "scripts" / "spec_check.py"


@pytest.mark.parametrize("dialect", ["v1", "v2"])
def test_every_webhook_type_of_streams_spec_is_covered_and_valid(dialect, capsys):
    path = os.environ.get(ENV[dialect])
    if not path:
        pytest.skip(f"{ENV[dialect]} is not set: it names a copy of Stream's OpenAPI spec "
                    "(proprietary, never in the repo or downloaded by tests)")
    spec = Spec.load(path, dialect)
    ours = get_registry().types(dialect)
    report = check(spec, ours, samples([t for t in ours if t in spec.union], dialect, SEEDS))
    with capsys.disabled():
        print(f"\nspec check {path}\n" + "\n".join(report.lines()))
    assert report.missing == [], report.summary()
    assert report.valid == report.spec_types, "\n".join(
        line for line in report.lines() if not line.startswith("  ok"))
    assert all(r.samples > len(SEEDS) for r in report.results.values())  # seeds + fixture
    # Every property the spec gives a component, our schema of it describes (one level down
    # too: defs/ documents name their spec component).
    assert report.undescribed == {}


# -- the machinery, on a tiny spec-shaped document of our own --------------------------------

def _mini_spec(tmp_path, **message_new):
    doc = {"info": {"version": "v0.0.1"}, "components": {"schemas": {
        "WHEvent": {"discriminator": {"mapping": {
            "message.new": "#/components/schemas/MessageNewEvent",
            "made.up": "#/components/schemas/MadeUpEvent"}}},
        "MessageNewEvent": {"type": "object", "required": ["type", "created_at", "message"],
                            "properties": {"type": {"type": "string"},
                                           "created_at": {"type": "string"},
                                           "message": {"$ref": "#/components/schemas/Msg"},
                                           **message_new}},
        "MadeUpEvent": {"type": "object"},
        "Msg": {"type": "object", "nullable": True, "required": ["id", "reaction_counts"],
                "properties": {"id": {"type": "string"},
                               "reaction_counts": {"type": "object", "nullable": True}}},
    }}}
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(doc))
    return path


def test_nullable_becomes_null_allowed_and_refs_resolve(tmp_path):
    assert to_json_schema({"type": "string", "nullable": True, "enum": ["a"]}) == {
        "type": ["string", "null"], "enum": ["a", None]}
    spec = Spec.load(_mini_spec(tmp_path), "v1")
    event = {"type": "message.new", "created_at": "2025-03-30T07:54:46Z",
             "message": {"id": "m1", "reaction_counts": None}}
    assert spec.violations("message.new", event) == []
    event["message"] = None  # the referenced component is nullable too
    assert spec.violations("message.new", event) == []
    found = spec.violations("message.new", {**event, "message": {"reaction_counts": 3}})
    assert [v.path for v in found] == ["$.message.id", "$.message.reaction_counts"]


def test_report_counts_coverage_required_fields_and_failures(tmp_path):
    spec = Spec.load(_mini_spec(tmp_path, watcher_count={"type": "integer"}), "v1")
    good = samples(["message.new"], "v1", [0])
    bad = {"message.new": [("broken", {"type": "message.new"})]}
    report = check(spec, ["message.new", "user.updated"], good)
    assert report.covered == ["message.new"] and report.missing == ["made.up"]
    assert report.extra == ["user.updated"] and not report.ok
    assert report.valid == ["message.new"]
    assert "members" in report.results["message.new"].unnamed  # v1 docs field, not in the spec
    failed = check(spec, ["message.new"], bad)
    assert failed.valid == [] and "broken: $.created_at" in failed.results["message.new"].failures[0]
    assert failed.lines()[-1] == "v1 (spec v0.0.1): 1/2 covered, 0/2 valid"


def test_properties_our_schemas_do_not_describe_are_reported(tmp_path):
    spec = Spec.load(_mini_spec(tmp_path, made_up_field={"type": "string"}), "v1")
    spec.union["message.new"] = "MessageNewEvent"
    # our message.new schema names MessageNewEvent; the mini spec gives it one field we lack
    report = check(spec, ["message.new"], {})
    assert report.undescribed == {"events/message.new.json": ["made_up_field"]}
    assert "  UNDESCRIBED in events/message.new.json: made_up_field" in report.lines()
    assert not report.ok and "1 undescribed" in report.summary()


def test_a_file_that_is_not_streams_spec_is_refused(tmp_path):
    path = tmp_path / "other.json"
    path.write_text('{"openapi": "3.0.3", "components": {"schemas": {}}}')
    with pytest.raises(SpecError, match="no components/schemas/WHEvent"):
        Spec.load(path, "v2")
    with pytest.raises(SpecError, match="cannot read"):
        Spec.load(tmp_path / "absent.json", "v2")


def test_the_command_needs_a_spec_path_and_says_so(tmp_path):
    if not SCRIPT.is_file():
        pytest.skip("scripts/ is not installed with the wheel; this runs from a checkout")
    done = subprocess.run([sys.executable, str(SCRIPT)], capture_output=True, text=True)
    assert done.returncode == 2 and "give --v1 PATH" in done.stderr
    done = subprocess.run([sys.executable, str(SCRIPT), "--v1", str(_mini_spec(tmp_path)),
                           "--seeds", "1"], capture_output=True, text=True)
    assert done.returncode == 1 and "1/2 covered, 1/2 valid" in done.stdout
    assert "MISSING made.up" in done.stdout
