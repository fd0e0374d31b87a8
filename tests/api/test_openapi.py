"""The emulator's OpenAPI document: valid OpenAPI 3.1, and exactly the routes the app serves."""

from __future__ import annotations

import re
from unittest.mock import MagicMock

import jsonschema
import pytest
import requests
from openapi_spec_validator import validate
from openapi_spec_validator.validation import OpenAPIV31SpecValidator

from emulator.api import create_app
from emulator.api.openapi import build_document

# Flask answers these on every rule by itself (HEAD runs the GET view without a body,
# OPTIONS lists the Allow header); the document says so once in info.description.
AUTOMATIC_METHODS = {"HEAD", "OPTIONS"}
# Not API routes: Flask's static files, and the browser dashboard (HTML pages behind a cookie
# session and CSRF-protected forms; its contract is the pages, tested in tests/browser, and
# its routes change with the UI). The document's description says it is left out.
EXCLUDED_ENDPOINT_PREFIXES = ("static", "dashboard.")
# Rules that only answer 404 for Stream routes the emulator lacks, which its `<user_id>` or
# `<message_id>` routes would otherwise take for ids (api/chat_common.refuse_stream_literals).
NOT_SERVED_MARK = ".not_served_"
HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


def openapi_path(rule: str) -> str:
    """`/schemas/<path:event_type>.json` → `/schemas/{event_type}.json`."""
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule)


def served_operations() -> set[tuple[str, str]]:
    app = create_app(MagicMock())
    return {
        (openapi_path(rule.rule), method.lower())
        for rule in app.url_map.iter_rules()
        if not rule.endpoint.startswith(EXCLUDED_ENDPOINT_PREFIXES)
        and NOT_SERVED_MARK not in rule.endpoint
        for method in rule.methods - AUTOMATIC_METHODS
    }


def documented_operations() -> set[tuple[str, str]]:
    return {
        (path, method)
        for path, item in build_document()["paths"].items()
        for method in item if method in HTTP_METHODS
    }


def test_every_served_route_is_documented_and_vice_versa():
    served, documented = served_operations(), documented_operations()
    assert served - documented == set(), "served but not in the document"
    assert documented - served == set(), "in the document but not served"


def test_document_is_valid_openapi_3_1():
    document = build_document()
    assert document["openapi"].startswith("3.1.")
    validate(document, cls=OpenAPIV31SpecValidator)


def test_every_schema_in_the_document_is_valid_json_schema():
    def walk(node):
        if isinstance(node, dict):
            if "schema" in node and isinstance(node["schema"], dict):
                yield node["schema"]
            for value in node.values():
                yield from walk(value)
        elif isinstance(node, list):
            for value in node:
                yield from walk(value)

    document = build_document()
    schemas = [*walk(document["paths"]), *document["components"]["schemas"].values()]
    for schema in schemas:
        jsonschema.Draft202012Validator.check_schema(schema)


def test_every_authenticated_operation_declares_401_and_every_body_400_and_413():
    for path, item in build_document()["paths"].items():
        for method, op in item.items():
            statuses = set(op["responses"])
            if op.get("security", True) != []:
                assert {"401", "403"} <= statuses, (method, path)
            if "requestBody" in op:
                assert {"400", "413"} <= statuses, (method, path)


def test_served_without_auth_and_equal_to_the_built_document(server):
    answer = requests.get(server.base_url + "/_emulator/openapi.json", timeout=5)
    assert answer.status_code == 200
    assert answer.headers["Content-Type"].startswith("application/json")
    assert answer.json() == build_document()


@pytest.mark.parametrize("dialect, path", [("v1", "/app"), ("v2", "/api/v2/app")])
def test_get_app_answer_matches_the_documented_schema(control, dialect, path):
    control.patch(path, {"event_hooks": [{
        "hook_type": "sqs", "enabled": True, "sqs_queue_url":
        "https://sqs.us-east-1.amazonaws.com/123456789012/q", "sqs_region": "us-east-1",
        "sqs_key": "k", "sqs_secret": "s"}]})
    document = build_document()
    schema = {**document["paths"][path]["get"]["responses"]["200"]["content"]
              ["application/json"]["schema"], "components": document["components"]}
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    validator.validate(control.get(path))
