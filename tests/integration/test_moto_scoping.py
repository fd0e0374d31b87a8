"""The speed-ups are scoped: moto after the emulator stopped is moto's own again, and
/moto-api/data.json of the embedded SQS lists its queues and messages."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import urllib.request

from emulator.config import Settings
from emulator.server import EmulatorServer
from emulator.sqs_engine import DEFAULT_QUEUE

AFTER_STOP = textwrap.dedent('''
    import json
    import boto3
    from moto import mock_aws
    from moto.core.model_instances import model_data
    from moto.sqs import models as m

    from emulator.config import Settings
    from emulator.server import EmulatorServer

    moto_add = vars(m.Queue)["add_message"]
    with EmulatorServer(Settings(port=0, sqs_port=0)):
        during = vars(m.Queue)["add_message"] is moto_add
    after = vars(m.Queue)["add_message"] is moto_add
    with mock_aws():
        sqs = boto3.client("sqs", region_name="us-west-1")
        url = sqs.create_queue(QueueName="plain")["QueueUrl"]
        sqs.send_message(QueueUrl=url, MessageBody="hello")
        sqs.receive_message(QueueUrl=url)
        # unpatched moto tracks the sent message and the receive's copy; one queue
        tracked = [msg.body for msg in model_data["sqs"]["Message"].instances_tracked]
        queues = len(model_data["sqs"]["Queue"].instances_tracked)
        store = type(m.sqs_backends["123456789012"]["us-west-1"].queues["plain"]._messages)
    print(json.dumps({"during": during, "after": after, "tracked": tracked, "queues": queues,
                      "store": store.__name__, "patched": "_messages" in vars(m.Queue)}))
''')


def test_moto_is_its_own_again_after_the_emulator_stops() -> None:
    done = subprocess.run([sys.executable, "-c", AFTER_STOP], capture_output=True, text=True,
                          timeout=120, check=True)
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["during"] is False  # patched while the embedded engine ran
    assert seen["after"] is True and seen["patched"] is False
    assert seen == {**seen, "tracked": ["hello", "hello"], "queues": 1, "store": "list"}


def test_data_json_lists_the_default_queues_and_their_messages() -> None:
    # A server of its own: create_default_queue() changes what reset() returns to, and the
    # shared `server` fixture must keep starting from an app without hooks.
    with EmulatorServer(Settings(port=0, sqs_port=0)) as server:
        server.backend.create_default_queue()
        server.backend.trigger("message.new", count=2)
        with urllib.request.urlopen(f"{server.engine.endpoint_url}/moto-api/data.json") as answer:
            data = json.load(answer)
    names = {queue["name"] for queue in data["sqs"]["Queue"]}
    assert {DEFAULT_QUEUE, f"{DEFAULT_QUEUE}-dlq"} <= names
    types = [_event_type(message["body"]) for message in data["sqs"]["Message"]]
    assert types.count("message.new") >= 2  # other tests' messages may be listed too


def _event_type(body: str) -> str | None:
    try:
        event = json.loads(body)
    except ValueError:
        return None
    return event.get("type") if isinstance(event, dict) else None
