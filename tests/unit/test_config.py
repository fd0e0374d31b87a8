"""Settings: env vars read once, flags override, bad values are usage errors."""

from __future__ import annotations

import pytest

from emulator.config import ClientSettings, Settings, UsageError, check_url


def test_defaults_match_the_design_contract():
    s = Settings.from_env({})
    assert (s.host, s.port, s.sqs_port, s.sqs_endpoint) == ("127.0.0.1", 8000, 9324, None)
    assert (s.api_key, s.api_secret, s.region, s.dialect) == (
        "emulator-key", "emulator-secret-for-local-use-only", "us-east-1", "v1")
    assert s.embedded_sqs and s.seed is None
    assert len(s.api_secret.encode()) >= 32  # PyJWT's minimum for HS256 keys: no warning


def test_client_settings_read_the_variables_run_prints():
    env = {"STREAM_CHAT_URL": "http://127.0.0.1:8123/", "STREAM_KEY": "k", "STREAM_SECRET": "s",
           "AWS_ENDPOINT_URL_SQS": "http://127.0.0.1:9999", "AWS_REGION": "eu-west-1",
           "AWS_DEFAULT_REGION": "us-east-2", "AWS_ACCESS_KEY_ID": "",
           "STREAM_SQS_QUEUE_URL": "http://127.0.0.1:9999/123456789012/q",
           "STREAM_EMULATOR_API_KEY": "ignored-when-stream-key-is-set"}
    c = ClientSettings.from_env(env)
    assert (c.url, c.url_from_env, c.api_key, c.api_secret) == (
        "http://127.0.0.1:8123", True, "k", "s")
    assert (c.sqs_endpoint, c.region, c.queue_url) == (
        "http://127.0.0.1:9999", "eu-west-1", "http://127.0.0.1:9999/123456789012/q")
    assert c.aws_access_key_id == "testing"  # empty means unset, as in Settings


def test_client_settings_fall_back_to_the_emulators_own_variables():
    env = {"STREAM_EMULATOR_HOST": "0.0.0.0", "STREAM_EMULATOR_PORT": "8001",
           "STREAM_EMULATOR_API_SECRET": "x" * 40, "AWS_DEFAULT_REGION": "us-east-2"}
    c = ClientSettings.from_env(env)
    assert (c.url, c.url_from_env, c.api_secret, c.region) == (
        "http://127.0.0.1:8001", False, "x" * 40, "us-east-2")
    assert c.api_key == Settings().api_key and c.sqs_endpoint is None


@pytest.mark.parametrize("env, message", [
    ({"STREAM_EMULATOR_HOST": "http://127.0.0.1"}, "STREAM_EMULATOR_HOST must be a host name or "
     "IP address like 127.0.0.1, got 'http://127.0.0.1' (the host only: no scheme, port or path)"),
    ({"STREAM_EMULATOR_HOST": "my host"}, "STREAM_EMULATOR_HOST must be a host name"),
    ({"STREAM_EMULATOR_PORT": "80a"}, "STREAM_EMULATOR_PORT must be a port number 0..65535, "
     "got '80a'"),
    ({"STREAM_EMULATOR_PORT": "70000"}, "STREAM_EMULATOR_PORT must be a port number"),
])
def test_client_settings_check_the_emulators_host_and_port(env, message):
    with pytest.raises(UsageError) as err:
        ClientSettings.from_env(env)
    assert message in str(err.value)


def test_client_settings_accept_host_names_and_bracket_ipv6():
    assert ClientSettings.from_env({"STREAM_EMULATOR_HOST": "emulator.local"}).url == \
        "http://emulator.local:8000"
    assert ClientSettings.from_env({"STREAM_EMULATOR_HOST": "::1",
                                    "STREAM_EMULATOR_PORT": "8001"}).url == "http://[::1]:8001"


def test_a_bind_address_that_is_no_host_is_a_usage_error():
    with pytest.raises(UsageError, match=r"STREAM_EMULATOR_HOST \(or run --host\) must be a "
                                         r"host name or IP address like 127.0.0.1, got '127.0.0.1:80'"):
        Settings.from_env({"STREAM_EMULATOR_HOST": "127.0.0.1:80"})
    assert Settings.from_env({}, host="::").host == "::"


def test_env_values_are_coerced_and_flags_override_them():
    env = {"STREAM_EMULATOR_PORT": "0", "STREAM_EMULATOR_SEED": "42",
           "STREAM_EMULATOR_STRICT_IAM": "yes", "STREAM_EMULATOR_DIALECT": "v2",
           "STREAM_EMULATOR_SQS_ENDPOINT": "http://127.0.0.1:4566"}
    s = Settings.from_env(env, port=9000, dialect=None)
    assert (s.port, s.seed, s.strict_iam, s.dialect) == (9000, 42, True, "v2")
    assert not s.embedded_sqs and s.sqs_endpoint == "http://127.0.0.1:4566"


@pytest.mark.parametrize("env, words", [
    ({"STREAM_EMULATOR_PORT": "eighty"}, "STREAM_EMULATOR_PORT must be an integer"),
    ({"STREAM_EMULATOR_VERBOSE": "maybe"}, "must be true or false"),
    ({"STREAM_EMULATOR_DIALECT": "v3"}, "STREAM_EMULATOR_DIALECT .*dialect must be one of"),
    ({"STREAM_EMULATOR_SQS_PORT": "70000"},
     r"STREAM_EMULATOR_SQS_PORT \(run --sqs-port\) must be 0..65535"),
])
def test_bad_values_name_the_variable(env, words):
    with pytest.raises(ValueError, match=words):
        Settings.from_env(env)


def test_webhook_answer_wait_follows_the_timeout_unless_set():
    assert Settings.from_env({}).webhook_answer_wait_s == 16.0  # Stream's 15 s budget + 1 s
    scaled = Settings.from_env({"STREAM_EMULATOR_WEBHOOK_TIMEOUT_MS": "200"})
    assert scaled.webhook_answer_wait_s == 1.5
    env = {"STREAM_EMULATOR_WEBHOOK_ANSWER_WAIT_MS": "250"}
    assert Settings.from_env(env).webhook_answer_wait_s == 0.25
    assert Settings.from_env(env, webhook_answer_wait_ms=0).webhook_answer_wait_s == 0.0
    with pytest.raises(UsageError, match="STREAM_EMULATOR_WEBHOOK_ANSWER_WAIT_MS .* must be >= 0, got -1"):
        Settings.from_env({"STREAM_EMULATOR_WEBHOOK_ANSWER_WAIT_MS": "-1"})


def test_settings_are_frozen():
    with pytest.raises(AttributeError):
        Settings().port = 1  # type: ignore[misc]


def test_rate_limits_are_off_by_default_and_switched_on_by_env_or_flag():
    from emulator.cli import build_parser

    assert Settings.from_env({}).rate_limits is False
    assert Settings.from_env({"STREAM_EMULATOR_RATE_LIMITS": "true"}).rate_limits is True
    args = build_parser().parse_args(["run", "--rate-limits"])
    assert Settings.from_env({}, rate_limits=args.rate_limits).rate_limits is True
    unset = build_parser().parse_args(["run"])
    on_by_env = Settings.from_env({"STREAM_EMULATOR_RATE_LIMITS": "1"},
                                  rate_limits=unset.rate_limits)
    assert on_by_env.rate_limits is True  # an absent flag does not override the env


def test_aws_credentials_come_from_config_and_empty_means_unset_everywhere():
    from emulator.config import DEFAULT_AWS_CREDENTIALS, ClientSettings
    from emulator.sqs_engine import SqsEngine

    empty = {"AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": ""}
    external = Settings.from_env(empty, sqs_endpoint="http://127.0.0.1:1")
    client = ClientSettings.from_env(empty)
    assert SqsEngine(external).credentials() == DEFAULT_AWS_CREDENTIALS
    assert (client.aws_access_key_id, client.aws_secret_access_key) == DEFAULT_AWS_CREDENTIALS
    given = {"AWS_ACCESS_KEY_ID": "AKIAEXAMPLE", "AWS_SECRET_ACCESS_KEY": "s3cret"}
    named = Settings.from_env(given, sqs_endpoint="http://127.0.0.1:1")
    assert SqsEngine(named).credentials() == ("AKIAEXAMPLE", "s3cret")
    assert SqsEngine(Settings.from_env(given)).credentials() == DEFAULT_AWS_CREDENTIALS  # moto


def test_bad_settings_are_usage_errors_and_the_cli_says_so_in_one_line(capsys, monkeypatch):
    from emulator.cli import main
    from emulator.config import UsageError

    with pytest.raises(UsageError):
        Settings.from_env({"STREAM_EMULATOR_LEDGER_SIZE": "0"})
    monkeypatch.setenv("STREAM_EMULATOR_DIALECT", "v9")
    assert main(["run", "--port", "0"]) == 2
    assert capsys.readouterr().err == ("error: STREAM_EMULATOR_DIALECT (run --dialect): dialect must be "
                                        "one of v1, v2, got 'v9'\n")


def test_xdist_worker_name():
    from emulator.config import xdist_worker

    assert xdist_worker({}) == "main" == xdist_worker({"PYTEST_XDIST_WORKER": ""})
    assert xdist_worker({"PYTEST_XDIST_WORKER": "gw1"}) == "gw1"


@pytest.mark.parametrize("value", ["http://127.0.0.1:8000", "https://sqs.us-east-1.amazonaws.com",
                                   "http://localhost:9324/123456789012/q"])
def test_check_url_accepts_http_urls_with_a_host(value):
    assert check_url(value, "X", "http://h:1") == value


@pytest.mark.parametrize("value", ["notaurl", "ftp://h", "http://", "http://h:port", "h:80",
                                   "file:///etc/passwd"])
def test_check_url_names_the_setting_and_an_example(value):
    with pytest.raises(UsageError) as caught:
        check_url(value, "X_URL", "http://h:1")
    assert str(caught.value).startswith(f"X_URL must be an http(s) URL like http://h:1, got {value!r}")


def test_client_settings_name_the_variable_that_was_read():
    with pytest.raises(UsageError, match="^AWS_ENDPOINT_URL must be"):
        ClientSettings.from_env({"AWS_ENDPOINT_URL": "localhost"})
    with pytest.raises(UsageError, match="^STREAM_SQS_QUEUE_URL must be"):
        ClientSettings.from_env({"STREAM_SQS_QUEUE_URL": "stream-events"})
    settings = ClientSettings.from_env({"STREAM_CHAT_URL": "http://127.0.0.1:5/"})
    assert settings.url == "http://127.0.0.1:5" and settings.url_from_env
