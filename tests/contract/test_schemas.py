"""The schema files themselves: one per event type, valid, every $ref resolving, and the
required-field decisions written down and consistent with the spec and the getstream SDK."""

from __future__ import annotations

import dataclasses
import json

import getstream.models as sdk_models
import pytest
from getstream import webhook
from jsonschema import Draft202012Validator

from emulator.catalog.registry import UnknownEventType, get_registry
from emulator.catalog.store import _refs, load_store
from emulator.catalog.types import (
    EVENT_TYPES,
    V1_EVENT_TYPES,
    V2_ONLY_EVENT_TYPES,
    schema_file_name,
)
from emulator.resources import schemas_dir
from tests.contract.examples_lib import EXAMPLES, load

ROOT = schemas_dir()


def dialect_required(dialect: str, kind: str) -> dict[str, list[str]]:
    doc = load(ROOT / "dialects" / dialect / f"{kind}.json")
    return {name: body.get("required", []) for name, body in doc["$defs"].items()}


def sdk_required(cls: type) -> set[str]:
    return {f.metadata.get("dataclasses_json", {}).get("field_name", f.name)
            for f in dataclasses.fields(cls)
            if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING}


def test_all_77_event_types_have_a_schema_file_and_v1_has_64():
    files = sorted(p.name for p in (ROOT / "events").glob("*.json"))
    assert len(EVENT_TYPES) == 77 and list(EVENT_TYPES) == sorted(EVENT_TYPES)
    assert len(V1_EVENT_TYPES) == 64 and set(V1_EVENT_TYPES) | set(V2_ONLY_EVENT_TYPES) == set(
        EVENT_TYPES)
    assert files == sorted(schema_file_name(t) for t in EVENT_TYPES)
    assert schema_file_name("*") == "custom.json"
    registry = get_registry()
    assert registry.types() == registry.types("v2") == list(EVENT_TYPES)
    assert registry.types("v1") == list(V1_EVENT_TYPES)


@pytest.mark.parametrize("event_type", V2_ONLY_EVENT_TYPES)
def test_v2_only_types_are_refused_in_v1_naming_the_dialect(event_type):
    schema = get_registry().schema(event_type)
    assert schema["x-stream-dialects"] == ["v2"] and "v2 only:" in schema["description"]
    with pytest.raises(UnknownEventType, match=r"v2 webhook union only.*dialect v2"):
        get_registry().validate({"type": event_type}, "v1")
    with pytest.raises(UnknownEventType, match="v2 webhook union only"):
        get_registry().bundle(event_type, "v1")
    assert get_registry().bundle(event_type, "v2")["title"] == event_type


@pytest.mark.parametrize("path", sorted(ROOT.glob("**/*.json")),
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_every_schema_file_is_valid_draft_2020_12(path):
    schema = load(path)
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


@pytest.mark.parametrize("dialect", ["v1", "v2"])
def test_every_ref_resolves_in_each_dialect(dialect):
    store = load_store(ROOT)
    docs = store.resources(dialect)
    refs = 0
    for uri, doc in docs.items():
        resolver = store.registries[dialect].resolver(base_uri=uri)
        for ref in _refs(doc):
            assert resolver.lookup(ref).contents is not None, (uri, ref)
            refs += 1
    assert refs > 200  # the walk really found the refs


@pytest.mark.parametrize("event_type", EVENT_TYPES)
def test_event_schema_shape(event_type):
    schema = get_registry().schema(event_type)
    assert schema["title"] == event_type
    assert schema["$id"].endswith("/events/" + schema_file_name(event_type))
    assert "additionalProperties" not in schema  # Stream adds fields and inlines custom data
    type_schema = schema["properties"]["type"]
    if event_type == "*":
        assert "*" not in type_schema["not"]["enum"] and len(type_schema["not"]["enum"]) == 76
    else:
        assert type_schema == {"const": event_type}


def test_reference_sqs_example_validates_as_v1_message_new():
    event = load(EXAMPLES / "v1" / "message.new.sqs-docs.json")
    assert event["message"]["reaction_counts"] is None and "cid" not in event["message"]
    assert get_registry().violations(event, "v1") == []
    get_registry().validate(event, dialect="v1", event_type="message.new")


@pytest.mark.parametrize("event_type", EVENT_TYPES)
def test_required_fields_are_documented_and_consistent(event_type):
    schema = get_registry().schema(event_type)
    v2 = dialect_required("v2", "events")[event_type]
    spec = schema["x-stream-spec-required"]
    if event_type in V2_ONLY_EVENT_TYPES:
        assert event_type not in dialect_required("v1", "events")
        assert set(spec) <= set(v2) and "type" in v2 and "created_at" in v2
        assert f"v2 requires: {', '.join(v2)} " in schema["description"]
        return
    v1 = dialect_required("v1", "events")[event_type]
    assert "type" in v1 and "created_at" in v1
    assert set(spec) <= set(v2) and set(v1) <= set(v2)
    assert f"v1 requires: {', '.join(v1)}." in schema["description"]
    assert f"v2 requires: {', '.join(v2)} " in schema["description"]
    for dropped in set(v2) - set(v1):
        assert f"v1 drops {dropped}:" in schema["description"], dropped


@pytest.mark.parametrize("event_type", EVENT_TYPES)
def test_v2_requires_everything_the_sdk_model_requires(event_type):
    cls = webhook._get_event_class(event_type)
    schema = get_registry().schema(event_type)
    assert cls is not None and cls.__name__ == schema["x-stream-spec-schema"]
    assert sdk_required(cls) <= set(dialect_required("v2", "events")[event_type])


@pytest.mark.parametrize("path", sorted((ROOT / "defs").glob("*.json")), ids=lambda p: p.stem)
def test_shared_defs_match_the_sdk_and_document_both_dialects(path):
    schema = load(path)
    v1 = dialect_required("v1", "defs")[path.stem]
    v2 = dialect_required("v2", "defs")[path.stem]
    assert set(v1) <= set(v2)
    assert f"v1 requires: {', '.join(v1) or 'nothing'}." in schema["description"]
    assert f"v2 requires: {', '.join(v2) or 'nothing'} " in schema["description"]
    if "x-stream-spec-schema" in schema:
        assert sdk_required(getattr(sdk_models, schema["x-stream-spec-schema"])) == set(v2)


def test_dialect_files_share_ids_and_keys():
    for kind in ("types", "events", "defs"):
        v1, v2 = (load(ROOT / "dialects" / d / f"{kind}.json") for d in ("v1", "v2"))
        assert v1["$id"] == v2["$id"]
        if kind != "events":
            assert v1["$defs"].keys() == v2["$defs"].keys()
    assert set(dialect_required("v1", "events")) == set(V1_EVENT_TYPES)
    assert set(dialect_required("v2", "events")) == set(EVENT_TYPES)


def test_schemas_readme_documents_the_layout():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for term in ("custom.json", "dialects/v1", "dialects/v2", "referencing", "nanosecond"):
        assert term in readme
    assert json.loads((ROOT / "events" / "custom.json").read_text())["title"] == "*"
