"""Traffic drawn in a second process, so generation and delivery each have a core.

In one process an unpaced run spends about half its time drawing events and half delivering
them, one after the other. Here a child process draws them while this one delivers: the
child runs `Traffic` with the same arguments, so it draws the same stream (the stream does
not depend on how it is cut into batches) and a seed replays the same events either way.

The child is this module's `main()` in `python -c`, started with subprocess rather than
multiprocessing, so it never imports the caller's main module (a user's script calling
simulate needs no `if __name__ == "__main__"` guard). It reads its arguments as one pickle on
stdin and writes length-prefixed pickles on a pipe of its own (not stdout, where a print
would break them): ("ready", None), then, once this process writes one byte to say the
run's clock starts (events are stamped as they are drawn, so none may predate the run),
("events", chunk)…
Chunks are pickled, not JSON: the events of a chunk share their users and channels, so a
chunk is ~6x smaller than its JSON and loads ~4x faster. How far ahead the child may draw is
the pipe's buffer: widened to PIPE_BYTES where the system allows (Linux), since a default
pipe (64 KiB) holds less than one chunk and left the child waiting most of the time. The
pipe is read by the run's own thread, between batches: a reader thread would wait for the
GIL (up to 5 ms at a time) while delivery holds it, which kept the child blocked just the
same. The child ignores Ctrl-C (the terminal sends it to the whole process group): this
process stops it when the run ends.
"""

from __future__ import annotations

import os
import pickle
import signal
import struct
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import IO, Any

from .mix import Mix
from .traffic import check_size

CHUNK = 100  # events per message (~70 KB pickled)
PIPE_BYTES = 1 << 20  # how far ahead the child may draw: ~15 chunks (Linux's default maximum)
STOP_WAIT_S = 2.0  # a child that has not exited this long after being asked is killed
_LENGTH = struct.Struct("!I")  # each message: its length, then its pickle
_PACKAGE_ROOT = str(Path(__file__).resolve().parents[2])  # the folder holding `emulator`
# The child's command. Not `-m`: that puts the working directory first on sys.path, where a
# user's own `emulator` package or emulator.py would be imported instead of this one; here
# that entry ('' for -c) gives way to the package root.
_CHILD_CODE = ("import sys; sys.path[:] = [sys.argv[1], *(p for p in sys.path if p)]; "
               "from emulator.simulate.traffic_process import main; main()")


class TrafficError(RuntimeError):
    """The child process failed or went away: the run stops and says so."""


class TrafficProcess:
    """`Traffic`'s interface (`seed`, `wait_ready()`, `batch(size)`) over a child process;
    `limit`: how many events the run takes at most (None: until closed)."""

    def __init__(self, mix: Mix, seed: int, users: int, channels: int, dialect: str,
                 limit: int | None = None) -> None:
        check_size(users, channels)  # usage errors here, before a process starts
        mix.for_dialect(dialect)
        self.seed = seed
        self._stderr = tempfile.TemporaryFile()  # read only to explain a failed child
        # The pipe is a descriptor of its own, not the child's stdout: anything printed there
        # (a sitecustomize, a library) while it starts would break the messages.
        read_fd, write_fd = os.pipe()
        try:
            self._process = subprocess.Popen(
                [sys.executable, "-c", _CHILD_CODE, _PACKAGE_ROOT, str(write_fd)],
                stdin=subprocess.PIPE, stdout=self._stderr, stderr=self._stderr,
                pass_fds=(write_fd,))
        except OSError as exc:  # no usable interpreter at sys.executable
            os.close(read_fd)
            self._stderr.close()
            raise TrafficError(f"cannot start the traffic generator process with "
                               f"{sys.executable!r}: {exc}") from None
        finally:
            os.close(write_fd)  # the child's now: its exit is the pipe's end
        assert self._process.stdin is not None
        self._gate = self._process.stdin  # one byte when the run starts, then closed
        try:
            pickle.dump((mix, seed, users, channels, dialect, limit), self._gate)
            self._gate.flush()
        except OSError:  # it failed at start: _receive says why
            pass
        self._pipe = os.fdopen(read_fd, "rb")
        widen_pipe(read_fd, PIPE_BYTES)
        self._ahead: list[dict[str, Any]] = []
        self._ready = False

    def wait_ready(self) -> None:
        """Block until the child has built its world and compiled the schemas (~0.3 s, while
        the emulator starts), so the run's clock does not count it; then let it draw."""
        if not self._ready:
            self._receive()
            self._ready = True
            try:
                self._gate.write(b"g")
                self._gate.close()
            except OSError:  # it has ended since: the next _receive says why
                pass

    def batch(self, size: int) -> list[dict[str, Any]]:
        self.wait_ready()
        while len(self._ahead) < size:
            self._ahead += self._receive()
        events, self._ahead = self._ahead[:size], self._ahead[size:]
        return events

    def close(self) -> None:
        """Stop the child (it ignores SIGINT, not SIGTERM) and close the pipe."""
        if self._process.poll() is None:
            self._process.terminate()
        try:
            self._process.wait(STOP_WAIT_S)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        for stream in (self._gate, self._pipe, self._stderr):
            try:
                stream.close()
            except OSError:  # the gate's last flush, to a child that has gone
                pass

    def __enter__(self) -> TrafficProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _receive(self) -> Any:
        head = self._pipe.read(_LENGTH.size)
        length = _LENGTH.unpack(head)[0] if len(head) == _LENGTH.size else 0
        message = self._pipe.read(length) if length else b""
        if not length or len(message) < length:  # the child ended, maybe mid-message
            raise TrafficError(self._exit_reason())
        kind, value = pickle.loads(message)
        if kind == "error":
            raise TrafficError(f"the traffic generator process failed: {value}")
        return value

    def _exit_reason(self) -> str:
        try:
            code = self._process.wait(STOP_WAIT_S)
        except subprocess.TimeoutExpired:
            code = None
        self._stderr.seek(0)
        lines = self._stderr.read().decode("utf-8", "replace").strip().splitlines()
        last = f": {lines[-1]}" if lines else ""
        return f"the traffic generator process exited unexpectedly (exit code {code}){last}"


def widen_pipe(fd: int, size: int) -> None:
    """Ask for a pipe buffer of `size` bytes; where that is not possible, keep the default."""
    try:
        import fcntl

        fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, size)  # Linux only; capped by fs.pipe-max-size
    except (ImportError, AttributeError, OSError):
        pass


def produce(source: IO[bytes], sink: IO[bytes]) -> None:
    """The child's loop: arguments from `source`, events to `sink`."""
    from ..gcpause import steady_gc
    from .traffic import Traffic

    mix, seed, users, channels, dialect, limit = pickle.load(source)
    try:
        traffic = Traffic(mix, seed, users, channels, dialect)
    except Exception as exc:  # noqa: BLE001 - reported to the parent, which stops the run
        _write(sink, ("error", f"{type(exc).__name__}: {exc}"))
        return
    if not _write(sink, ("ready", None)) or not source.read(1):  # no byte: the run is off
        return
    left = limit
    with steady_gc():
        while left is None or left > 0:
            size = CHUNK if left is None else min(CHUNK, left)
            try:
                chunk = traffic.batch(size)
            except Exception as exc:  # noqa: BLE001 - as above
                _write(sink, ("error", f"{type(exc).__name__}: {exc}"))
                return
            if not _write(sink, ("events", chunk)):
                return
            if left is not None:
                left -= size


def _write(sink: IO[bytes], message: tuple[str, Any]) -> bool:
    """False once the parent closed its end (its run is over)."""
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    try:
        sink.write(_LENGTH.pack(len(data)) + data)
        sink.flush()
        return True
    except (BrokenPipeError, ConnectionResetError):
        return False


def main() -> None:
    """The child's entry (_CHILD_CODE): argv is [-c, package root, the pipe's descriptor]."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    sink = os.fdopen(int(sys.argv[2]), "wb")
    produce(sys.stdin.buffer, sink)
    try:
        sink.close()
    except BrokenPipeError:  # the parent had gone: what was left unsent does not matter
        pass
