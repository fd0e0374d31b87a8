"""Which webhook URLs the emulator will POST to: http(s) only, loopback unless allowed.

Checked when PATCH /app stores the URL (code 4, like Stream's URL validation), so a refused
URL never gets a request. Host names are not resolved (the emulator works offline): only
`localhost` and loopback IP literals count as loopback.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlparse

from ..errors import InputError


def is_loopback_host(host: str) -> bool:
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_webhook_url(path: str, url: str, allow_remote: bool) -> None:
    """Raise InputError naming `path` when the emulator would refuse to send to `url`."""
    try:
        parsed = urlparse(url)
        host = parsed.hostname or ""
        parsed.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError as exc:
        raise InputError(f"{path} must be a valid http or https URL, got {url!r} ({exc})") from None
    if parsed.scheme not in ("http", "https") or not host:
        raise InputError(f"{path} must be an http or https URL, got {url!r}")
    if not allow_remote and not is_loopback_host(host):
        raise InputError(
            f"{path} must point at a loopback host (localhost, 127.0.0.1, ::1), got {url!r}: "
            "the emulator sends webhooks only to this machine unless it runs with "
            "--allow-remote"
        )
