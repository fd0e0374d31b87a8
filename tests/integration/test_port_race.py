"""A port taken after the up-front check said it was free (another program binds it in that
window) is the same one-line PortInUse, never a hang. The embedded moto server used to bind
inside its own thread, and moto's ThreadedMotoServer.start() then waited forever."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import textwrap
import threading

import pytest

from emulator.config import Settings
from emulator.ports import PortInUse
from emulator.server import EmulatorServer
from tests.helpers import free_port

# The child's `run`: the real up-front check passes, then a real socket takes the port.
_TAKE_AFTER_CHECK = textwrap.dedent("""
    import socket, sys
    from emulator import server
    from emulator.cli import main

    checked = server.EmulatorServer._check_ports
    held = []

    def check_then_take(self):
        checked(self)
        sock = socket.socket()
        sock.bind(("127.0.0.1", int(sys.argv[1])))
        sock.listen()
        held.append(sock)

    server.EmulatorServer._check_ports = check_then_take
    sys.exit(main(["run", *sys.argv[2:]]))
""")


class TakenAfterCheck(EmulatorServer):
    """`run`'s server, with a real socket binding `port` right after the first check passed."""

    def __init__(self, settings: Settings, port: int):
        super().__init__(settings)
        self.port_to_take = port
        self.held: socket.socket | None = None

    def _check_ports(self) -> None:
        super()._check_ports()
        if self.held is not None:  # taken once already
            return
        self.held = socket.socket()
        self.held.bind(("127.0.0.1", self.port_to_take))
        self.held.listen()


def start_or_fail(server: EmulatorServer) -> BaseException | None:
    """server.start() in a thread, so a regression fails this test instead of hanging it."""
    raised: list[BaseException] = []

    def start() -> None:
        try:
            server.start()
        except BaseException as exc:  # noqa: BLE001 - handed to the test
            raised.append(exc)

    thread = threading.Thread(target=start, daemon=True)
    thread.start()
    thread.join(timeout=60)
    assert not thread.is_alive(), "start() hung on a port taken after the check"
    return raised[0] if raised else None


@pytest.mark.parametrize("taken, flag", [("sqs", "--sqs-port"), ("api", "--port")])
def test_a_port_taken_after_the_check_is_port_in_use(taken, flag):
    port = free_port()
    settings = Settings(port=port if taken == "api" else 0,
                        sqs_port=port if taken == "sqs" else 0)
    server = TakenAfterCheck(settings, port)
    try:
        error = start_or_fail(server)
        assert isinstance(error, PortInUse), repr(error)
        [named] = error.taken
        assert (named.port, named.flag) == (port, flag)
        assert str(error).startswith(f"port {port} (")
        assert not server.engine.embedded  # nothing left running: moto is stopped too
        assert server.backend is None
    finally:
        server.held.close()
        server.stop()


def test_the_engine_binds_again_once_the_port_is_free():
    """After the failed start the same server object starts on the freed port and serves
    moto's API there (/moto-api answers, on 127.0.0.1 only)."""
    port = free_port()
    server = TakenAfterCheck(Settings(port=0, sqs_port=port), port)
    assert isinstance(start_or_fail(server), PortInUse)
    server.held.close()  # free again; the next check passes and takes nothing
    try:
        assert start_or_fail(server) is None
        assert server.engine.endpoint_url == f"http://127.0.0.1:{port}"
        queue = server.engine.create_queue("after-race", dlq=False)
        assert queue["url"].endswith("/after-race")
    finally:
        server.stop()


def test_run_exits_1_with_one_line_when_the_sqs_port_goes_in_the_window():
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("STREAM_EMULATOR")}
    done = subprocess.run(
        [sys.executable, "-c", _TAKE_AFTER_CHECK, str(port), "--sqs-port", str(port),
         "--port", "0"], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1, done.stderr
    assert done.stdout == ""
    [line] = done.stderr.splitlines()
    assert line.startswith(f"error: port {port} (the embedded SQS server) is in use"), line
    assert "--sqs-port N or STREAM_EMULATOR_SQS_PORT=N (0 = a free one" in line, line
