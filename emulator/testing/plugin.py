"""pytest plugin (entry point `pytest11`): hooks and fixtures only; helpers live beside it.

Fixtures: stream_emulator, stream_sqs_queue, stream_events, stream_schemas,
stream_wire_variant (what each gives: its docstring; the README lists them with their methods).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ..config import DIALECTS
from .emulator import (
    EventFactory,
    QueueHandle,
    SchemaChecker,
    StreamEmulator,
    StreamFailure,
    hooked_queue,
    open_emulator,
)
from .options import SEED_KEY, PluginOptions, resolve
from .wire import WIRE_VARIANTS, WireVariant

_OPTIONS = pytest.StashKey[PluginOptions]()
_EVENTS = pytest.StashKey[EventFactory]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("stream-sqs-emulator", "Stream Chat SQS emulator")
    group.addoption(
        "--stream-emulator-url", dest="stream_emulator_url", metavar="URL",
        help="use the emulator running at URL (env STREAM_EMULATOR_URL) instead of starting "
             "one in-process per xdist worker",
    )
    group.addoption(
        "--stream-seed", dest="stream_seed", metavar="N",
        help="event generator seed (env STREAM_EMULATOR_SEED); default: random, shown in the "
             "report header",
    )
    group.addoption(
        "--stream-dialect", dest="stream_dialect", choices=DIALECTS,
        help="payload dialect v1 (Stream docs) or v2 (getstream SDK models); default v1",
    )
    parser.addini("stream_emulator_url", "URL of an external emulator", default="")
    parser.addini("stream_seed", "event generator seed", default="")
    parser.addini("stream_dialect", "payload dialect: v1 or v2", default="")


def pytest_configure(config: pytest.Config) -> None:
    try:
        config.stash[_OPTIONS] = resolve(
            config.getoption, config.getini, workerinput=getattr(config, "workerinput", None)
        )
    except ValueError as exc:
        raise pytest.UsageError(str(exc)) from None


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node) -> None:
    """xdist controller → worker: every worker uses the seed shown in the header."""
    node.workerinput[SEED_KEY] = node.config.stash[_OPTIONS].seed


def pytest_report_header(config: pytest.Config) -> str:
    return config.stash[_OPTIONS].header()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    # Each test starts from the seed: its payloads do not depend on the tests before it.
    events = item.config.stash.get(_EVENTS, None)
    if events is not None:
        events.restart()


@pytest.fixture(scope="session")
def stream_emulator(pytestconfig: pytest.Config) -> Iterator[StreamEmulator]:
    """A running emulator: in threads of this worker on free ports, or --stream-emulator-url."""
    options = pytestconfig.stash[_OPTIONS]
    try:
        emulator = open_emulator(options.url, options.seed, options.dialect)
    except StreamFailure as exc:
        pytest.fail(str(exc), pytrace=False)
    yield emulator
    emulator.close()


@pytest.fixture
def stream_sqs_queue(stream_emulator: StreamEmulator) -> Iterator[QueueHandle]:
    """A fresh queue + DLQ that the app's only hook (SQS, keys auth, all events) points at."""
    with hooked_queue(stream_emulator) as queue:
        yield queue


@pytest.fixture(scope="session")
def stream_events(pytestconfig: pytest.Config) -> EventFactory:
    """`make(type, seed=None, overrides=None, dialect=None)` → a schema-valid payload."""
    options = pytestconfig.stash[_OPTIONS]
    factory = EventFactory(options.seed, options.dialect)
    pytestconfig.stash[_EVENTS] = factory
    return factory


@pytest.fixture(scope="session")
def stream_schemas(pytestconfig: pytest.Config) -> SchemaChecker:
    """`validate(event)` fails naming the JSON path, expected and received; `types()`: the
    session dialect's event types (`types("v2")` for another's)."""
    return SchemaChecker(pytestconfig.stash[_OPTIONS].dialect)


@pytest.fixture(params=WIRE_VARIANTS, ids=str)
def stream_wire_variant(request: pytest.FixtureRequest, stream_emulator: StreamEmulator,
                        stream_sqs_queue: QueueHandle) -> Iterator[WireVariant]:
    """Runs the test once per body form × dialect (plain-v1 … gzip-v2), with the app, the
    emulator and stream_sqs_queue in that form; `.body`, `.dialect`; str() is the id."""
    helpers = [request.getfixturevalue(name) for name in ("stream_events", "stream_schemas")
               if name in request.fixturenames]
    with request.param.applied(stream_emulator, *helpers) as variant:
        yield variant
