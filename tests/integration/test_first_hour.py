"""What a new user's first hour ran into (session 5's trial), each as the user met it: through
the official SDK, the CLI as a real process, or the printed lines."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from emulator.cli import main
from emulator.config import Settings, UsageError


def sqs_hook(url: str, region: str) -> dict:
    return {"hook_type": "sqs", "enabled": True, "sqs_queue_url": url, "sqs_region": region,
            "sqs_auth_type": "keys", "sqs_key": "testing", "sqs_secret": "testing"}


# -- a region moto does not have (a typo: "mars", "us-east-9") -------------------------------
# Every one of these was a 500 (`internal error (KeyError)`) or a traceback.

def test_check_sqs_on_a_queue_url_of_an_unknown_region_is_a_failed_check(chat):
    url = "https://sqs.mars.amazonaws.com/123456789012/stream-events"
    answer = chat.check_sqs("testing", "testing", url)
    assert answer["status"] == "error", answer
    assert answer["error"].startswith("region 'mars' is not an AWS region"), answer
    assert answer["data"] == {"sqs_url": url, "reason": "QueueUnavailable"}


@pytest.mark.parametrize("auth", ["keys", "resource"])
def test_a_hook_in_an_unknown_region_records_failed_deliveries(fresh, chat, control, auth):
    queue = fresh.engine.create_queue("first-hour", dlq=False)
    hook = sqs_hook(queue["url"], "mars")
    if auth == "resource":
        hook = {k: v for k, v in hook.items() if k not in ("sqs_key", "sqs_secret")}
        hook["sqs_auth_type"] = "resource"
    chat.update_app_settings(event_hooks=[hook])
    [record] = control.trigger("message.new").deliveries
    assert record["status"] == "failed"
    assert record["reason"] == ("region 'mars' is not an AWS region (e.g. us-east-1, "
                                "eu-west-1): no queue can be there")


def test_a_legacy_sqs_url_in_an_unknown_region_records_a_failed_delivery(fresh, chat, control):
    chat.update_app_settings(event_hooks=[], sqs_key="testing", sqs_secret="testing",
                             sqs_url="https://sqs.mars.amazonaws.com/123456789012/q")
    [record] = control.trigger("message.new").deliveries
    assert record["status"] == "failed"
    assert record["reason"].startswith("region 'mars' is not an AWS region"), record


def test_an_sns_topic_in_a_region_moto_lacks_records_a_failed_delivery(fresh, chat, control):
    arn = "arn:aws:sns:us-east-9:123456789012:events"  # the shape of a region, none of AWS's
    chat.update_app_settings(event_hooks=[{
        "hook_type": "sns", "enabled": True, "sns_topic_arn": arn, "sns_region": "us-east-9",
        "sns_auth_type": "keys", "sns_key": "testing", "sns_secret": "testing"}])
    [record] = control.trigger("message.new").deliveries
    assert record["status"] == "failed"
    assert record["reason"] == ("region 'us-east-9' is not an AWS region (e.g. us-east-1, "
                                "eu-west-1): no topic can be there")
    answer = chat.check_sns("testing", "testing", arn)
    assert answer["status"] == "error" and "'us-east-9' is not an AWS region" in answer["error"]


def run_cli(*argv: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("STREAM_EMULATOR")}
    return subprocess.run([sys.executable, "-m", "emulator.cli", *argv], env={**clean, **env},
                          capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("region, line", [
    ("mars", "error: STREAM_EMULATOR_REGION (run --region) must be an AWS region like "
             "us-east-1 or eu-west-1, got 'mars'"),
    ("us-east-9", "error: STREAM_EMULATOR_REGION (run --region): moto knows no region "
                  "'us-east-9' (e.g. us-east-1, eu-west-1)"),
])
def test_run_with_an_unknown_region_is_one_line_before_anything_starts(region, line):
    done = run_cli("run", "--port", "0", "--sqs-port", "0", STREAM_EMULATOR_REGION=region)
    assert (done.returncode, done.stdout, done.stderr) == (2, "", line + "\n")


@pytest.mark.parametrize("env, message", [
    ({"STREAM_EMULATOR_SQS_SEND": "multi"},
     "STREAM_EMULATOR_SQS_SEND must be one of batch, single, got 'multi'"),
    ({"STREAM_EMULATOR_LEDGER_SIZE": "0"}, "STREAM_EMULATOR_LEDGER_SIZE must be >= 1, got 0"),
    ({"STREAM_EMULATOR_SEND_CONCURRENCY": "0"},
     "STREAM_EMULATOR_SEND_CONCURRENCY must be 1..64, got 0"),
    ({"STREAM_EMULATOR_WEBHOOK_TIMEOUT_MS": "0"},
     "STREAM_EMULATOR_WEBHOOK_TIMEOUT_MS (run --webhook-timeout-ms) must be >= 1, got 0"),
    ({"STREAM_EMULATOR_REGION": "us-east1"},
     "STREAM_EMULATOR_REGION (run --region) must be an AWS region like us-east-1 or "
     "eu-west-1, got 'us-east1'"),
])
def test_a_bad_setting_names_the_variable_to_change(env, message):
    """`sqs_send must be ...` named a Settings field no user types."""
    with pytest.raises(UsageError) as caught:
        Settings.from_env(env)
    assert str(caught.value) == message


# -- STREAM_CHAT_URL at a server that is not the emulator (moto's port, another app) --------

class _Page(BaseHTTPRequestHandler):
    """Any other web server: an HTML page whatever the request (status from the path)."""

    def _answer(self) -> None:
        status = 200 if "/_emulator/deliveries" in self.path else 404
        body = b"<!doctype html>\n<html><title>Not it</title>\n<p>some other app</p></html>\n"
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _answer

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def other_server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Page)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.mark.parametrize("argv, status", [(["trigger", "message.new"], 404),
                                          (["deliveries"], 200)])
def test_a_url_where_another_server_answers_is_one_line(other_server, monkeypatch, capsys,
                                                         argv, status):
    """It printed the other server's whole HTML page as the error (moto's 500 page when
    STREAM_CHAT_URL named the SQS port), or JSON's `Expecting value` for a 200 page."""
    monkeypatch.setenv("STREAM_CHAT_URL", other_server)
    assert main(argv) == 1
    assert capsys.readouterr().err == (
        f"error: no emulator answers at {other_server} (another server answered: HTTP "
        f"{status}, text/html, not the emulator's JSON); start one with `stream-sqs-emulator "
        "run` (or `make run`), or set STREAM_CHAT_URL\n")


# -- webhook-receiver in the shell with run's exports ----------------------------------------

def test_webhook_receiver_checks_signatures_with_the_pasted_stream_secret():
    """A `run` with its own STREAM_EMULATOR_API_SECRET prints it as STREAM_SECRET; the
    receiver read only STREAM_EMULATOR_API_SECRET, so in the pasted shell every signature
    counted as bad."""
    import hashlib
    import hmac
    import json
    import signal
    import urllib.request

    secret = "a-secret-of-this-team-only-32-bytes-long"
    env = {k: v for k, v in os.environ.items() if not k.startswith("STREAM_")}
    proc = subprocess.Popen([sys.executable, "-m", "emulator.cli", "webhook-receiver",
                             "--json"], env={**env, "STREAM_SECRET": secret,
                                             "PYTHONUNBUFFERED": "1"},
                            stdout=subprocess.PIPE, text=True)
    try:
        url = proc.stdout.readline().split()[3]
        body = b'{"type": "message.new"}'
        request = urllib.request.Request(url, data=body, method="POST", headers={
            "Content-Type": "application/json", "X-Webhook-Id": "one",
            "X-Signature": hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()})
        with urllib.request.urlopen(request, timeout=10) as answer:
            assert answer.status == 200
    finally:
        proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=20)
    stats = json.loads(out)
    assert (stats["events"], stats["bad_signatures"]) == (1, 0), stats


def test_rate_limit_of_the_async_stream_chat_client_is_none_as_the_readme_says(fresh):
    """README: rate_limit() answers for the sync clients; the async stream-chat client's is
    None though the headers are sent (the SDK looks them up by lower-case name in a dict of
    aiohttp's headers). When this fails, the SDK or aiohttp changed: update README and
    docs/sdk-suites.md."""
    import asyncio

    from stream_chat import StreamChatAsync

    async def ask() -> tuple:
        s = fresh.settings
        async with StreamChatAsync(s.api_key, s.api_secret, base_url=fresh.base_url) as chat:
            answer = await chat.get_app_settings()
            return answer.rate_limit(), answer.headers()

    limit, headers = asyncio.run(ask())
    assert limit is None
    assert {k.lower() for k in headers} >= {"x-ratelimit-limit", "x-ratelimit-remaining"}


# -- validate --type: "checks payloads without a `type` field" (docs/ci-contract-check.md) --

def test_validate_with_type_checks_a_payload_saved_without_its_type(tmp_path, capsys):
    """It failed every such payload on `$.type: required property 'type' is missing`."""
    import json
    from pathlib import Path

    fixture = Path(__file__).resolve().parents[2] / "fixtures" / "events" / "message.new.json"
    event = json.loads(fixture.read_text(encoding="utf-8"))
    del event["type"]
    event_file = tmp_path / "captured.json"
    event_file.write_text(json.dumps(event), encoding="utf-8")
    assert main(["validate", str(event_file), "--type", "message.new"]) == 0
    assert capsys.readouterr().out == "1 payload(s) checked, 0 invalid\n"
    event["message"] = 5  # what is there is still checked against that type's schema
    event_file.write_text(json.dumps(event), encoding="utf-8")
    assert main(["validate", str(event_file), "--type", "message.new"]) == 1
    assert "$.message: expected object, received integer 5" in capsys.readouterr().out
    assert main(["validate", str(event_file)]) == 1  # without --type: no type, no schema
    assert "$.type: expected an event type string, received missing" in capsys.readouterr().out


# -- reset --sqs with an external endpoint that is not a moto server -------------------------

def test_reset_sqs_on_an_endpoint_without_moto_reset_is_one_line_and_changes_nothing(
        other_server, monkeypatch, capsys):
    """LocalStack, ElasticMQ and AWS have no /moto-api/reset: it was a 500 (`internal error
    (HTTPError)`) after the ledger and chat state had already been emptied."""
    from stream_chat import StreamChat

    from emulator.server import EmulatorServer

    settings = Settings(port=0, sqs_endpoint=other_server)
    with EmulatorServer(settings) as server:
        chat = StreamChat(settings.api_key, settings.api_secret, base_url=server.base_url)
        chat.upsert_user({"id": "kept"})
        monkeypatch.setenv("STREAM_CHAT_URL", server.base_url)
        assert main(["reset", "--sqs"]) == 2
        assert capsys.readouterr().err == (
            f"error: sqs: a reset of SQS needs a moto server, and {other_server} did not reset "
            "(HTTP 404 to POST /moto-api/reset); reset its queues yourself, or reset without "
            "sqs (the CLI: without --sqs)\n")
        assert [u["id"] for u in chat.query_users({"id": "kept"})["users"]] == ["kept"]
        assert main(["reset"]) == 0  # without --sqs it works
        assert chat.query_users({"id": "kept"})["users"] == []


# -- trigger --kilobytes ----------------------------------------------------------------------

@pytest.fixture
def signed_env(fresh, monkeypatch):
    """The shell after pasting run's exports, for this test's emulator."""
    monkeypatch.setenv("STREAM_CHAT_URL", fresh.base_url)
    monkeypatch.setenv("STREAM_KEY", fresh.settings.api_key)
    monkeypatch.setenv("STREAM_SECRET", fresh.settings.api_secret)
    return fresh


@pytest.mark.parametrize("kilobytes", ["0", "1024", "2000"])
def test_trigger_kilobytes_out_of_range_is_one_line(signed_env, capsys, kilobytes):
    """0 was ignored (a normal-size event went out); over 1,023 was the API's 413 ("request
    body is bigger than the 1 MiB limit"), which named no flag."""
    assert main(["trigger", "message.new", "--kilobytes", kilobytes]) == 2
    assert capsys.readouterr().err == (
        "error: --kilobytes: from 1 to 1023 (each event goes in one request, and the API takes "
        f"at most 1 MiB per request), got {kilobytes}\n")


def test_trigger_kilobytes_sends_the_largest_and_in_the_emulators_dialect(signed_env, control,
                                                                          capsys):
    """The client sent JSON with \\u escapes (a 1,000 KiB event of Japanese text did not fit
    the 1 MiB request), and --kilobytes built v1 payloads from a v2 emulator."""
    import json

    queue = signed_env.engine.create_queue("first-hour-kb", dlq=False)
    control.update_app(event_hooks=[sqs_hook(queue["url"], "us-east-1")])
    assert main(["trigger", "message.new", "--kilobytes", "1023", "--seed", "1"]) == 0
    assert "dropped_oversize message.new" in capsys.readouterr().out
    control.set_wire_options(dialect="v2")
    assert main(["trigger", "message.new", "--kilobytes", "8"]) == 0
    assert capsys.readouterr().out.startswith("delivered        message.new")
    sqs = signed_env.engine.client("sqs")
    [message] = sqs.receive_message(QueueUrl=queue["url"])["Messages"]
    event = json.loads(message["Body"])
    assert isinstance(event["created_at"], int)  # v2: Unix nanoseconds
    assert len(message["Body"].encode()) == 8 * 1024


# -- the dashboard's hooks page and the legacy top-level targets ------------------------------

def test_the_hooks_page_lists_the_legacy_targets_deliveries_go_to(fresh, chat):
    """Set through the SDK (sqs_url, webhook_url), they got deliveries ("2 delivered, 1
    failed" for one event) while the page listed no hook at all ("events go nowhere")."""
    from emulator.api import create_app
    from tests.api.test_dashboard import Dashboard

    queue = fresh.engine.create_queue("first-hour-legacy", dlq=False)
    chat.update_app_settings(event_hooks=[], sqs_url=queue["url"], sqs_key="AKIALEGACY",
                             sqs_secret="legacy-secret-0123456789",
                             webhook_url="http://127.0.0.1:9/legacy",
                             webhook_events=["message.new"])
    board = Dashboard(create_app(fresh.backend).test_client(), fresh.settings)
    assert board.sign_in().status_code == 302
    page = board.get("/dashboard/hooks").text
    assert "events go only to the legacy settings below" in page
    legacy = page[page.index('id="legacy-targets"'):]
    assert f"<code>{queue['url']}</code>" in legacy and "AKIALEGACY" in legacy
    assert "<code>http://127.0.0.1:9/legacy</code>" in legacy
    assert legacy.count("message.new") == 2  # webhook_events filters both
    assert "legacy-secret" not in page  # like every secret: never shown


# -- a queue (or topic) policy that denies: keys hooks and check_sqs --------------------------

def _deny_all(action: str, arn: str, principal: object = "*") -> str:
    import json

    return json.dumps({"Version": "2012-10-17", "Statement": [{
        "Sid": "DenyAll", "Effect": "Deny", "Principal": principal, "Action": action,
        "Resource": arn}]})


def _allowed_user(iam, name: str) -> dict:
    import json

    iam.create_user(UserName=name)
    iam.put_user_policy(UserName=name, PolicyName="send", PolicyDocument=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": ["sqs:*", "sns:*"], "Resource": "*"}]}))
    return iam.create_access_key(UserName=name)["AccessKey"]


@pytest.mark.parametrize("principal", ["*", {"AWS": "123456789012"},
                                       {"AWS": "arn:aws:iam::123456789012:user/sender"}])
def test_an_explicit_deny_in_the_queue_policy_stops_a_keys_hook_and_check_sqs(
        fresh, chat, control, sqs, iam, principal):
    """check_sqs answered ok and the hook delivered although the queue's policy denied the
    key's user (AWS applies a resource policy's Deny to the account's own users too)."""
    key = _allowed_user(iam, "sender")
    queue = fresh.engine.create_queue("first-hour-denied", dlq=False)
    sqs.set_queue_attributes(QueueUrl=queue["url"], Attributes={
        "Policy": _deny_all("sqs:SendMessage", queue["arn"], principal)})
    answer = chat.check_sqs(key["AccessKeyId"], key["SecretAccessKey"], queue["url"])
    assert answer["status"] == "error", answer
    assert answer["error"] == (
        f'AccessDenied: explicitly denied by statement "DenyAll" of the queue policy: IAM user '
        f'"sender" (key {key["AccessKeyId"]}) may not sqs:SendMessage on {queue["arn"]}')
    hook = sqs_hook(queue["url"], "us-east-1")
    hook.update(sqs_key=key["AccessKeyId"], sqs_secret=key["SecretAccessKey"])
    chat.update_app_settings(event_hooks=[hook])
    [record] = control.trigger("message.new").deliveries
    assert record["status"] == "denied"
    assert record["reason"].startswith('explicitly denied by statement "DenyAll" of the queue')
    assert "Messages" not in sqs.receive_message(QueueUrl=queue["url"])


def test_a_deny_of_another_principal_or_an_unknown_key_under_star(fresh, chat, control, sqs,
                                                                  iam):
    key = _allowed_user(iam, "sender")
    queue = fresh.engine.create_queue("first-hour-other", dlq=False)
    other = _deny_all("sqs:SendMessage", queue["arn"], {"AWS": "arn:aws:iam::111122223333:root"})
    sqs.set_queue_attributes(QueueUrl=queue["url"], Attributes={"Policy": other})
    ok = chat.check_sqs(key["AccessKeyId"], key["SecretAccessKey"], queue["url"])
    assert ok["status"] == "ok", ok  # that Deny names someone else
    sqs.set_queue_attributes(QueueUrl=queue["url"], Attributes={
        "Policy": _deny_all("sqs:*", queue["arn"])})
    unknown = chat.check_sqs("AKIAUNKNOWNTOIAM", "whatever", queue["url"])
    assert unknown["error"] == (
        'AccessDenied: explicitly denied by statement "DenyAll" of the queue policy: access key '
        f'AKIAUNKNOWNTOIAM may not sqs:SendMessage on {queue["arn"]}')


def test_an_explicit_deny_in_the_topic_policy_stops_a_keys_sns_hook(fresh, chat, control, iam):
    key = _allowed_user(iam, "publisher")
    sns = fresh.engine.client("sns")
    arn = sns.create_topic(Name="first-hour-denied")["TopicArn"]
    sns.set_topic_attributes(TopicArn=arn, AttributeName="Policy",
                             AttributeValue=_deny_all("SNS:Publish", arn))
    chat.update_app_settings(event_hooks=[{
        "hook_type": "sns", "enabled": True, "sns_topic_arn": arn, "sns_region": "us-east-1",
        "sns_auth_type": "keys", "sns_key": key["AccessKeyId"],
        "sns_secret": key["SecretAccessKey"]}])
    [record] = control.trigger("message.new").deliveries
    assert record["status"] == "denied"
    assert record["reason"] == (
        'explicitly denied by statement "DenyAll" of the topic policy: IAM user "publisher" '
        f'(key {key["AccessKeyId"]}) may not SNS:Publish on {arn}')


@pytest.mark.parametrize("argv, line", [
    (["deliveries", "--limit", "0"], "error: --limit: the newest N records, N at least 1, got 0"),
    (["faults", "set", "throttle", "--seconds", "-5"],
     "error: --seconds: how long the fault lasts, above 0, got -5 (leave it out for a fault "
     "until `faults clear`)"),
    (["faults", "set", "unavailable", "--probability", "2"],
     "error: --probability: a share of send attempts from 0 to 1, got 2"),
])
def test_bad_flags_of_client_commands_are_named_as_typed(signed_env, capsys, argv, line):
    """The API's answers named `limit`, `sqs.seconds`, `sqs.probability`: no flag of that name."""
    assert main(argv) == 2
    assert capsys.readouterr().err == line + "\n"


def test_receive_of_only_other_messages_says_so(signed_env, monkeypatch, capsys):
    """A body that is not Stream's was skipped, and then `no message arrived` contradicted
    the line above it."""
    queue = signed_env.engine.create_queue("first-hour-other-bodies", dlq=False)
    sqs = signed_env.engine.client("sqs")
    sqs.send_message(QueueUrl=queue["url"], MessageBody="hello world")
    monkeypatch.setenv("AWS_ENDPOINT_URL_SQS", signed_env.engine.endpoint_url)
    assert main(["receive", "--queue-url", queue["url"], "--count", "1", "--wait", "0"]) == 1
    skipped, line = capsys.readouterr().err.splitlines()
    assert skipped.startswith("skipped message ") and "'hello world'" in skipped
    assert line == (f"error: no Stream event arrived (1 other message(s) skipped and left in "
                    f"the queue) on {queue['url']} within 0 s")


# -- check_sqs with nothing given: the app's SQS hook, as check_sns uses its SNS hook --------

def test_check_sqs_without_arguments_checks_the_apps_sqs_hook(fresh, chat, sqs):
    """`run`'s app has one SQS hook and no legacy sqs_url: `check_sqs()` answered
    `invalid SQS url ` (empty) instead of checking that hook's queue."""
    answer = chat.check_sqs()
    assert answer["error"] == "no sqs_url given and none stored (no SQS hook, no sqs_url)"
    assert chat.check_sns()["error"] == ("publishing the message failed. no sns_topic_arn "
                                         "given and none stored (no SNS hook, no sns_topic_arn)")
    queue = fresh.engine.create_queue("first-hour-stored", dlq=False)
    chat.update_app_settings(event_hooks=[sqs_hook(queue["url"], "us-east-1")])
    assert chat.check_sqs()["status"] == "ok"
    [message] = sqs.receive_message(QueueUrl=queue["url"])["Messages"]
    assert '"type": "check_sqs"' in message["Body"]
    chat.update_app_settings(sqs_url="https://sqs.us-east-1.amazonaws.com/123456789012/gone",
                             sqs_key="testing", sqs_secret="testing")
    assert chat.check_sqs()["status"] == "ok"  # the hook comes first, as for check_sns


def test_an_unknown_type_names_a_command_that_lists_the_types(signed_env, capsys):
    """It pointed at GET /_emulator/event-types only, which a shell user cannot call unsigned."""
    assert main(["trigger", "mesage.new"]) == 2
    err = capsys.readouterr().err
    assert "`stream-sqs-emulator schemas` lists them" in err and "did you mean message.new" in err
    assert main(["schemas"]) == 0
    assert "message.new\t" in capsys.readouterr().out


def test_output_into_a_closed_pipe_ends_quietly():
    """`stream-sqs-emulator schemas | head -2` (any command, into a reader that left) ended
    in a BrokenPipeError traceback."""
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the first write: deterministic EPIPE
    try:
        done = subprocess.run([sys.executable, "-m", "emulator.cli", "schemas"],
                              stdout=write_end, stderr=subprocess.PIPE, text=True, timeout=60)
    finally:
        os.close(write_end)
    assert (done.returncode, done.stderr) == (141, "")


def test_a_client_in_a_shell_with_port_0_is_told_to_use_the_printed_url(monkeypatch, capsys):
    """`export STREAM_EMULATOR_PORT=0` (as the README suggests for run) in the client's shell:
    `no emulator answers at http://127.0.0.1:0` named a URL no one could serve."""
    for name in ("STREAM_CHAT_URL", "STREAM_EMULATOR_HOST"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("STREAM_EMULATOR_PORT", "0")
    assert main(["deliveries"]) == 2
    assert capsys.readouterr().err == (
        "error: STREAM_EMULATOR_PORT=0 has `run` take a free port, which a client cannot "
        "know: set STREAM_CHAT_URL to the URL `run` printed (or pass --url)\n")


def test_a_v2_only_type_in_v1_says_which_flag_asks_for_v2(signed_env, capsys):
    assert main(["trigger", "appeal.accepted"]) == 2
    assert capsys.readouterr().err == (
        "error: type: 'appeal.accepted' is in Stream's v2 webhook union only, not in dialect "
        "v1's; ask for dialect v2 (\"dialect\": \"v2\"; the CLI's --dialect v2)\n")
    assert main(["trigger", "appeal.accepted", "--dialect", "v2"]) == 0


# -- run --strict-iam: the printed next steps work ---------------------------------------------

def test_run_with_strict_iam_makes_a_default_hook_that_delivers():
    """--strict-iam denies keys IAM does not know, the default hook's (the printed
    `testing`) among them: every printed step after `trigger` found nothing ("denied ...
    access key testing is not known to IAM")."""
    from emulator.cli.run import startup_text
    from emulator.server import EmulatorServer

    with EmulatorServer(Settings(port=0, sqs_port=0, strict_iam=True)) as server:
        queue = server.backend.create_default_queue()
        assert ("one SQS hook for all events (resource auth: --strict-iam denies the printed "
                "key; the queue's policy allows Stream's account)") in startup_text(server, queue)
        [hook] = server.backend.app.event_hooks
        assert hook.get("sqs_auth_type") == "resource"
        for _ in range(2):  # as started, then after a reset that made the queue again
            [record] = server.backend.trigger("message.new").records
            assert record.status.value == "delivered", record.reason
            server.backend.reset(sqs=True)
        unknown = server.backend.check_sqs(queue["url"], "AKIAUNKNOWN", "secret")
        assert unknown["status"] == "error"  # strict IAM itself is unchanged


def test_run_warns_of_a_short_secret_the_sdks_will_warn_about(capsys):
    """README: the secret is ≥ 32 bytes 'so PyJWT does not warn'; a shorter one of the user's
    made every pasted SDK line print PyJWT's InsecureKeyLengthWarning, unannounced."""
    from emulator.cli.run import refusal

    assert refusal(Settings(api_secret="short-secret")) is None  # a warning, not a refusal
    assert capsys.readouterr().err == (
        "WARNING: STREAM_EMULATOR_API_SECRET is 12 bytes: PyJWT (the SDKs' signer) warns on "
        "every call signed with a key under 32\n")
    refusal(Settings())
    assert capsys.readouterr().err == ""
