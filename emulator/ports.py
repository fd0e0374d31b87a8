"""Is a configured port free? Asked before binding, so a taken default port (8000, 9324) is
one clear error naming the setting, never werkzeug's generic message (which, for the
embedded moto server's thread, used to leave `run` hanging)."""

from __future__ import annotations

import errno
import socket


class PortInUse(OSError):
    """`port` on `host` is taken; `setting` names the flag and env var that move it."""

    def __init__(self, host: str, port: int, what: str, flag: str, env: str):
        self.host, self.port, self.flag, self.env = host, port, flag, env
        super().__init__(
            f"port {port} ({what}) is in use by another program: stop it, or pick another "
            f"port with {flag} N or {env}=N (0 = a free one; the export lines name it)")


def is_port_free(host: str, port: int) -> bool:
    """True when `port` can be bound on `host` now (port 0 always can). The probe sets
    SO_REUSEADDR as werkzeug's server does, so a port in TIME_WAIT counts as free."""
    if port == 0:
        return True
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except OSError:
        return True  # an unresolvable host fails at bind time with its own error
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                return False
    return True
