"""The npm stream-chat SDK's server-side client (node) reaches the same paths and causes the
same events as the Python SDKs."""

from __future__ import annotations

import json
import subprocess

import pytest

from tests.helpers import npm_stream_chat

from .helpers import expect_events

SCENARIO_JS = """
const { StreamChat } = require("stream-chat");
const [key, secret, baseURL, tag] = process.argv.slice(1);
(async () => {
  const client = new StreamChat(key, secret, { baseURL });
  const ann = `ann-${tag}`, bob = `bob-${tag}`;
  await client.upsertUsers([{ id: ann, name: "Ann" }, { id: bob }]);
  const channel = client.channel("messaging", `js-${tag}`,
                                 { created_by_id: ann, members: [ann, bob] });
  await channel.create();
  const sent = await channel.sendMessage({ text: "from node", user_id: bob });
  await channel.sendReaction(sent.message.id, { type: "like", user_id: ann });
  await client.partialUpdateUser({ id: bob, set: { mood: "ok" } });
  process.stdout.write(JSON.stringify({ message_id: sent.message.id, cid: channel.cid }));
})().catch((e) => { process.stderr.write(String(e.stack || e)); process.exit(1); });
"""


@pytest.fixture(scope="session")
def node_sdk(tmp_path_factory: pytest.TempPathFactory):
    """A folder with the npm stream-chat SDK installed."""
    return npm_stream_chat(tmp_path_factory)


def test_node_sdk_calls_cause_the_same_events(node_sdk, stream_emulator, chat, uid,
                                             stream_sqs_queue):
    tag = uid("js")
    run = subprocess.run(
        ["node", "-e", SCENARIO_JS, stream_emulator.api_key, stream_emulator.api_secret,
         stream_emulator.base_url, tag], cwd=node_sdk, capture_output=True, text=True,
        timeout=60)
    assert run.returncode == 0, run.stderr
    done = json.loads(run.stdout)
    events = expect_events(stream_sqs_queue, "channel.created", "member.added", "member.added",
                           "message.new", "reaction.new", "user.updated")
    assert events[0]["cid"] == done["cid"] == f"messaging:js-{tag}"
    assert events[3]["message"]["id"] == done["message_id"] == events[4]["message"]["id"]
    assert events[5]["user"]["mood"] == "ok"
    assert chat.get_message(done["message_id"])["message"]["reaction_counts"] == {"like": 1}
