"""The SDK flow against an SQS endpoint the emulator does not own: `moto_server` as its own
process, reached through STREAM_EMULATOR_SQS_ENDPOINT semantics (Settings.sqs_endpoint)."""

from __future__ import annotations

import json

import pytest
from stream_chat import StreamChat

from emulator.cli.client import ControlClient
from emulator.config import Settings
from emulator.server import EmulatorServer
from tests.helpers import free_port, make_iam_user, send_policy, start_moto, stop_moto


@pytest.fixture(scope="module")
def moto_process():
    port = free_port()
    proc = start_moto(port)
    yield f"http://127.0.0.1:{port}"
    stop_moto(proc)


@pytest.fixture(scope="module")
def external(moto_process):
    settings = Settings.from_env({"STREAM_EMULATOR_SQS_ENDPOINT": moto_process}, port=0)
    with EmulatorServer(settings) as server:
        yield server


def test_no_embedded_moto_is_started(external, moto_process):
    assert not external.engine.embedded
    assert external.engine.endpoint_url == moto_process


def test_sdk_configures_hook_and_check_sqs_against_external_moto(external):
    server = external
    chat = StreamChat(api_key="emulator-key", api_secret="emulator-secret-for-local-use-only",
                      base_url=server.base_url)
    sqs, iam = server.engine.client("sqs"), server.engine.client("iam")
    queue = server.engine.create_queue("external-q")
    key, secret = make_iam_user(iam, "ext-sender", send_policy(queue["arn"]))
    chat.update_app_settings(event_hooks=[{
        "hook_type": "sqs", "enabled": True, "sqs_queue_url": queue["url"],
        "sqs_region": "us-east-1", "sqs_auth_type": "keys", "sqs_key": key, "sqs_secret": secret}])
    [hook] = chat.get_app_settings()["app"]["event_hooks"]
    assert hook["sqs_queue_url"] == queue["url"]
    assert chat.check_sqs(sqs_key=key, sqs_secret=secret, sqs_url=queue["url"])["status"] == "ok"
    body = sqs.receive_message(QueueUrl=queue["url"])["Messages"][0]["Body"]
    assert json.loads(body)["type"] == "check_sqs"
    missing = queue["url"].replace("external-q", "nope")
    result = chat.check_sqs(sqs_key=key, sqs_secret=secret, sqs_url=missing)
    assert result["status"] == "error" and "does not exist" in result["error"]


def test_external_endpoint_that_goes_away_and_comes_back(tmp_path):
    port = free_port()
    proc = start_moto(port)
    settings = Settings.from_env({"STREAM_EMULATOR_SQS_ENDPOINT": f"http://127.0.0.1:{port}"},
                                 port=0, retry_backoff_ms=1)
    try:
        with EmulatorServer(settings) as server:
            control = ControlClient.for_settings(server.base_url, settings)
            chat = StreamChat("emulator-key", "emulator-secret-for-local-use-only", base_url=server.base_url)
            queue = server.engine.create_queue("flaky", dlq=False)
            chat.update_app_settings(event_hooks=[{
                "hook_type": "sqs", "enabled": True, "sqs_queue_url": queue["url"],
                "sqs_region": "us-east-1", "sqs_key": "k", "sqs_secret": "s"}])

            def statuses(count=1):
                answer = control.post("/_emulator/events", {"type": "message.new", "count": count})
                return [(r["status"], r["reason"]) for r in answer["deliveries"]]

            assert statuses() == [("delivered", "")]
            stop_moto(proc)
            down = statuses(3)
            assert [s for s, _ in down] == ["failed"] * 3
            assert all("unreachable" in reason for _, reason in down)
            check = chat.check_sqs(sqs_key="k", sqs_secret="s", sqs_url=queue["url"])
            assert check["status"] == "error" and "unreachable" in check["error"]
            proc = start_moto(port)  # a new moto: its queues are gone until re-created
            server.engine.create_queue("flaky", dlq=False)
            assert statuses() == [("delivered", "")]  # no emulator restart needed
            assert server.backend.totals() == {
                "delivered": 2, "dropped_oversize": 0, "denied": 0, "failed": 3}
    finally:
        stop_moto(proc)


def test_sns_hooks_and_check_sns_go_to_the_external_endpoint(external):
    server = external
    chat = StreamChat(api_key="emulator-key", api_secret="emulator-secret-for-local-use-only",
                      base_url=server.base_url)
    control = ControlClient.for_settings(server.base_url, server.settings)
    sns, sqs = server.engine.client("sns"), server.engine.client("sqs")
    topic = sns.create_topic(Name="external-topic")["TopicArn"]
    queue = server.engine.create_queue("external-topic-sub", dlq=False)
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue["arn"],
                  Attributes={"RawMessageDelivery": "true"})
    key, secret = make_iam_user(server.engine.client("iam"), "ext-publisher", {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "sns:Publish", "Resource": topic}]})
    assert chat.check_sns(key, secret, topic)["status"] == "ok"
    chat.update_app_settings(event_hooks=[{
        "hook_type": "sns", "enabled": True, "sns_topic_arn": topic, "sns_region": "us-east-1",
        "sns_auth_type": "keys", "sns_key": key, "sns_secret": secret}])
    answer = control.post("/_emulator/events", {"type": "message.new"})
    assert [r["status"] for r in answer["deliveries"]] == ["delivered"]
    bodies = [json.loads(m["Body"]) for m in
              sqs.receive_message(QueueUrl=queue["url"], MaxNumberOfMessages=10)["Messages"]]
    assert [b["type"] for b in bodies] == ["check_sns", "message.new"]
    assert bodies[1] == answer["events"][0]
