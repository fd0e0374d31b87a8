"""Helpers the emulator's own tests share (set-up through boto3, as a user would)."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import boto3


def make_iam_user(iam, name: str, policy: dict | None) -> tuple[str, str]:
    """An IAM user in moto with an inline policy; returns its access key pair."""
    iam.create_user(UserName=name)
    if policy is not None:
        iam.put_user_policy(UserName=name, PolicyName=f"{name}-policy",
                            PolicyDocument=json.dumps(policy))
    key = iam.create_access_key(UserName=name)["AccessKey"]
    return key["AccessKeyId"], key["SecretAccessKey"]


def send_policy(queue_arn: str, effect: str = "Allow") -> dict:
    return {"Version": "2012-10-17", "Statement": [
        {"Effect": effect, "Action": "sqs:SendMessage", "Resource": queue_arn}]}


def boto_sqs(server):
    """A consumer's own boto3 client (not the emulator's), as a user would build it."""
    key, secret = server.engine.credentials()
    return boto3.client("sqs", region_name=server.settings.region,
                        endpoint_url=server.engine.endpoint_url,
                        aws_access_key_id=key, aws_secret_access_key=secret)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_moto(port: int, env: dict[str, str] | None = None) -> subprocess.Popen:
    """`moto_server` as its own process on loopback (an external SQS endpoint)."""
    import pytest

    proc = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, **(env or {})},
    )
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/moto-api/", timeout=1)
            return proc
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                pytest.fail(f"moto_server did not start on port {port}")
            time.sleep(0.1)


def stop_moto(proc: subprocess.Popen) -> None:
    proc.terminate()
    proc.wait(timeout=10)


NPM_STREAM_CHAT = "stream-chat@^9.53.0"  # the first 9.x with parseSqs (webhook helpers)


def npm_stream_chat(tmp_path_factory) -> Path:
    """A folder with the npm stream-chat SDK installed (npm's cache keeps repeat runs offline).
    Skips, saying why, where node/npm are missing or the registry cannot be reached."""
    import pytest

    if not (shutil.which("node") and shutil.which("npm")):
        pytest.skip("node and npm are needed to run the npm stream-chat SDK")
    folder = tmp_path_factory.mktemp("npm-stream-chat")
    (folder / "package.json").write_text('{"private": true}')
    done = subprocess.run(
        ["npm", "install", "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts",
         "--loglevel=error", NPM_STREAM_CHAT], cwd=folder, capture_output=True, text=True,
        timeout=300)
    if done.returncode != 0:
        pytest.skip(f"npm could not install {NPM_STREAM_CHAT}: {done.stderr.strip()[-300:]}")
    return folder


def send_one_message(chat, user_id: str, channel_id: str, text: str) -> dict:
    """A user, a channel with that member, one message (the SDK's calls, in order); the
    message as the call returned it."""
    chat.upsert_user({"id": user_id})
    channel = chat.channel("messaging", channel_id, {"members": [user_id]})
    channel.create(user_id)
    return channel.send_message({"text": text}, user_id)["message"]
