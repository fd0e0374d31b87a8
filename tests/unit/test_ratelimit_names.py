"""The rate-limit table's names are the operation names the views count (checked on the source,
as test_architecture does): a name no view uses is a limit that never applies."""

from __future__ import annotations

import ast
from pathlib import Path

import emulator
from emulator.ratelimit import DEFAULT_LIMIT, LIMITS

API = Path(emulator.__file__).parent / "api"
# Stream operationIds in its table the emulator does not serve (yet): limits kept for them.
NOT_SERVED = {"CheckPush", "MarkChannelsRead", "SendEvent", "QueryMembers", "Unflag", "Search",
              "ExportUser", "ExportChannels"}


def served_operations() -> set[str]:
    """Names given to `operation(...)` / `chat_operation(...)` on the API's views."""
    found = set()
    for path in API.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id in ("operation", "chat_operation") and node.args
                    and isinstance(node.args[0], ast.Constant) and node.args[0].value):
                found.add(node.args[0].value)
    return found


def test_every_limit_names_an_operation_a_view_counts():
    served = served_operations()
    assert {"MuteUser", "UnmuteUser", "Ban", "GetApp"} <= served  # the scan sees the views
    assert set(LIMITS) - served == NOT_SERVED
    assert not NOT_SERVED & served  # served now: drop it from NOT_SERVED


def test_moderation_calls_get_their_table_limit_not_the_default():
    for name in ("MuteUser", "UnmuteUser", "MuteChannel", "UnmuteChannel", "Ban", "Unban"):
        assert LIMITS[name] == 300 != DEFAULT_LIMIT
