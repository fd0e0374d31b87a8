"""Stream's per-endpoint rate limits: counted per operation in fixed one-minute windows.

Every Stream API answer carries the count (the `x-ratelimit-*` headers); with
`Settings.rate_limits` on, a call over the limit is refused (429, code 9). Limits are Stream's
self-serve defaults per minute; operations its table does not list get `DEFAULT_LIMIT`.
Stream also counts per platform (server, iOS, …): the emulator only sees server calls.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

WINDOW_SECONDS = 60
DEFAULT_LIMIT = 1_000  # the most common value in Stream's table (Send Message, Query Users…)
LIMITS: dict[str, int] = {
    "GetApp": 10_000, "UpdateApp": 60, "CheckPush": 60,
    # Not in Stream's table; treated like their sibling Check Push.
    "CheckSQS": 60, "CheckSNS": 60,
    # Chat calls: the table's rows under Stream's operationIds (its OpenAPI spec), which are
    # the names the views count (e.g. MuteUser for POST /moderation/mute).
    "QueryChannels": 10_000, "GetOrCreateChannel": 10_000, "MarkRead": 10_000,
    "MarkChannelsRead": 10_000, "SendEvent": 10_000,
    "SendMessage": 1_000, "UpdateMessage": 1_000, "DeleteMessage": 1_000, "GetMessage": 1_000,
    "SendReaction": 1_000, "DeleteReaction": 1_000, "QueryUsers": 1_000,
    "UpdateUsers": 300, "UpdateUsersPartial": 300, "UpdateChannel": 300, "QueryMembers": 300,
    "Ban": 300, "Unban": 300, "Flag": 300, "Unflag": 300,
    "MuteUser": 300, "UnmuteUser": 300, "MuteChannel": 300, "UnmuteChannel": 300,
    "UpdateChannelPartial": 300,
    "HideChannel": 300, "ShowChannel": 300, "Search": 300,
    "DeleteChannel": 60, "TruncateChannel": 60, "DeactivateUser": 60, "ReactivateUser": 60,
    "DeleteUser": 60, "ExportUser": 60, "ExportChannels": 60,
}


@dataclass(frozen=True)
class RateLimitState:
    operation: str
    limit: int
    remaining: int
    reset: int  # Unix time (seconds) the window ends
    allowed: bool  # False only when over the limit and limits are enforced

    def retry_after(self, now: float) -> int:
        return max(1, int(self.reset - now + 0.999))


class RateLimiter:
    def __init__(self, enforce: bool, clock: Callable[[], float] = time.time):
        self.enforce = enforce
        self._clock = clock
        self._window = -1
        self._counts: dict[str, int] = {}
        self._lock = threading.Lock()

    def count(self, operation: str) -> RateLimitState:
        """One more call of `operation` in the current window."""
        limit = LIMITS.get(operation, DEFAULT_LIMIT)
        now = self._clock()
        window = int(now // WINDOW_SECONDS)
        with self._lock:
            if window != self._window:
                self._window, self._counts = window, {}
            used = self._counts.get(operation, 0) + 1
            self._counts[operation] = used
        return RateLimitState(
            operation, limit, max(0, limit - used), (window + 1) * WINDOW_SECONDS,
            allowed=not (self.enforce and used > limit),
        )

    def now(self) -> float:
        return self._clock()

    def reset(self) -> None:
        with self._lock:
            self._window, self._counts = -1, {}
