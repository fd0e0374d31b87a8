"""stream-chat (sync) on v1 paths: channels, members, messages and reactions cause exactly
Stream's events, with payloads that agree with what the calls returned and with later reads."""

from __future__ import annotations

import pytest

from .helpers import api_error, expect_events


@pytest.fixture
def users(chat, uid, stream_sqs_queue):
    ids = [uid("ann"), uid("bob"), uid("cat")]
    chat.upsert_users([{"id": ids[0], "name": "Ann"}, {"id": ids[1], "name": "Bob"},
                       {"id": ids[2]}])
    return ids


@pytest.fixture
def channel(chat, users, uid, stream_sqs_queue):
    ch = chat.channel("messaging", uid("general"), {"name": "General", "color": "teal"})
    ch.create(users[0])
    ch.add_members(users[:2])
    expect_events(stream_sqs_queue, "channel.created", "member.added", "member.added")
    return ch


def test_create_with_members_sends_channel_created_then_member_added(chat, users, uid,
                                                                    stream_sqs_queue):
    ch = chat.channel("messaging", uid("team"), {"name": "Team", "members": users[:2]})
    answer = ch.create(users[0])
    created, *added = expect_events(stream_sqs_queue, "channel.created", "member.added",
                                    "member.added")
    assert answer["channel"]["cid"] == created["cid"] == ch.cid
    assert created["channel"]["created_at"] == answer["channel"]["created_at"]
    assert created["channel"]["name"] == "Team" and created["user"]["id"] == users[0]
    assert [m["user_id"] for m in created["members"]] == users[:2]
    assert [e["member"]["user_id"] for e in added] == users[:2]
    assert [m["user_id"] for m in answer["members"]] == users[:2]
    again = ch.query()  # get-or-create: the second call creates nothing
    assert again["channel"]["created_at"] == answer["channel"]["created_at"]
    expect_events(stream_sqs_queue)


def test_send_message_then_reply_then_react(chat, channel, users, stream_sqs_queue):
    sent = channel.send_message({"text": "hello", "priority": 2}, users[0])["message"]
    [new] = expect_events(stream_sqs_queue, "message.new")
    assert new["message"]["id"] == sent["id"] and new["message"]["text"] == "hello"
    assert new["message"]["priority"] == 2 and new["user"]["id"] == users[0]
    assert new["message"]["created_at"] == sent["created_at"]
    assert [m["user_id"] for m in new["members"]] == users[:2]

    reply = channel.send_message({"text": "hi!", "parent_id": sent["id"]}, users[1])["message"]
    new, thread, notice = expect_events(stream_sqs_queue, "message.new", "thread.updated",
                                        "notification.thread_message_new")
    assert new["message"]["parent_id"] == sent["id"] == thread["thread"]["parent_message_id"]
    assert [u["id"] for u in new["thread_participants"]] == users[:2]
    assert thread["thread"]["reply_count"] == 1 and notice["message"]["id"] == reply["id"]

    reacted = channel.send_reaction(sent["id"], {"type": "love"}, users[1])
    [event] = expect_events(stream_sqs_queue, "reaction.new")
    assert event["reaction"]["type"] == "love" and event["user"]["id"] == users[1]
    assert event["message"]["reaction_counts"] == {"love": 1}
    assert event["message"]["reply_count"] == 1
    assert reacted["message"]["updated_at"] == event["message"]["updated_at"]
    stored = chat.get_message(sent["id"])["message"]
    assert stored["reaction_counts"] == {"love": 1} and stored["reply_count"] == 1


def test_reaction_enforce_unique_replaces_and_delete_reaction(chat, channel, users,
                                                              stream_sqs_queue):
    message = channel.send_message({"text": "vote"}, users[0])["message"]
    channel.send_reaction(message["id"], {"type": "like"}, users[1])
    chat.post(f"messages/{message['id']}/reaction",
              data={"reaction": {"type": "wow", "user_id": users[1]}, "enforce_unique": True})
    _, new, updated = expect_events(stream_sqs_queue, "message.new", "reaction.new",
                                    "reaction.updated")
    assert updated["message"]["reaction_counts"] == {"wow": 1}
    answer = channel.delete_reaction(message["id"], "wow", users[1])
    [deleted] = expect_events(stream_sqs_queue, "reaction.deleted")
    assert deleted["reaction"]["type"] == "wow" and answer["message"]["latest_reactions"] == []
    assert not chat.get_message(message["id"])["message"]["reaction_counts"]
    api_error(lambda: channel.delete_reaction(message["id"], "wow", users[1]), 404, 16)


def test_update_partial_update_and_delete_message(chat, channel, users, stream_sqs_queue):
    message = channel.send_message({"text": "draft"}, users[0])["message"]
    chat.update_message({"id": message["id"], "text": "final", "user_id": users[0]})
    chat.update_message_partial(message["id"], {"set": {"tag": "x"}}, users[0])
    _, updated, partial = expect_events(stream_sqs_queue, "message.new", "message.updated",
                                        "message.updated")
    assert updated["message_update"]["old_text"] == "draft"
    assert updated["message_update"]["change_set"]["text"] is True
    assert partial["message"]["tag"] == "x" and partial["message"]["text"] == "final"
    soft = chat.delete_message(message["id"])["message"]
    [deleted] = expect_events(stream_sqs_queue, "message.deleted")
    assert deleted["hard_delete"] is False and soft["type"] == "deleted"
    assert deleted["message"]["deleted_at"] == soft["deleted_at"]
    chat.delete_message(message["id"], hard=True)
    [hard] = expect_events(stream_sqs_queue, "message.deleted")
    assert hard["hard_delete"] is True
    api_error(lambda: chat.get_message(message["id"]), 404, 16, message["id"])


def test_update_channel_adds_and_removes_members(chat, channel, users, stream_sqs_queue):
    answer = channel.update({"name": "Renamed"})
    [updated] = expect_events(stream_sqs_queue, "channel.updated")
    assert updated["channel"]["name"] == "Renamed" == answer["channel"]["name"]
    channel.add_members([users[2]])
    channel.remove_members([users[0]])
    added, removed = expect_events(stream_sqs_queue, "member.added", "member.removed")
    assert added["member"]["user_id"] == users[2] and removed["user"]["id"] == users[0]
    state = channel.query()
    assert [m["user_id"] for m in state["members"]] == users[1:]
    assert state["channel"]["member_count"] == 2
    answer = channel.add_members([users[0]], message={"text": "Ann is back", "user_id": users[1]})
    added, new = expect_events(stream_sqs_queue, "member.added", "message.new")
    assert new["message"]["text"] == "Ann is back" == answer["message"]["text"]
    assert new["channel_type"] == "messaging" and new["message"]["user"]["id"] == users[1]


def test_partial_update_freezes_and_truncate_and_delete(chat, channel, users,
                                                       stream_sqs_queue):
    channel.update_partial({"frozen": True, "topic": "x"})
    updated, frozen = expect_events(stream_sqs_queue, "channel.updated", "channel.frozen")
    assert updated["channel"]["frozen"] is True and updated["channel"]["topic"] == "x"
    assert frozen["cid"] == channel.cid
    channel.update_partial(to_unset=["frozen", "topic"])
    updated, unfrozen = expect_events(stream_sqs_queue, "channel.updated", "channel.unfrozen")
    assert "topic" not in updated["channel"]
    channel.send_message({"text": "gone soon"}, users[0])
    channel.truncate()
    _, truncated = expect_events(stream_sqs_queue, "message.new", "channel.truncated")
    assert truncated["channel"]["message_count"] == 0 and channel.query()["messages"] == []
    channel.delete()
    [deleted] = expect_events(stream_sqs_queue, "channel.deleted")
    assert deleted["channel"]["deleted_at"]
    api_error(lambda: channel.update({"name": "x"}), 404, 16, channel.cid)


def test_hide_show_mute_unmute_and_member_partial_update(chat, channel, users,
                                                        stream_sqs_queue):
    channel.hide(users[1])
    channel.show(users[1])
    hidden, visible = expect_events(stream_sqs_queue, "channel.hidden", "channel.visible")
    assert hidden["user"]["id"] == users[1] and hidden["clear_history"] is False
    muted = channel.mute(users[1])
    channel.unmute(users[1])
    mute, unmute = expect_events(stream_sqs_queue, "channel.muted", "channel.unmuted")
    assert mute["mute"]["channel"]["cid"] == channel.cid == muted["channel_mute"]["channel"]["cid"]
    answer = channel.update_member_partial(users[1], {"color": "red"})
    [member] = expect_events(stream_sqs_queue, "member.updated")
    assert member["member"]["color"] == "red" == answer["channel_member"]["color"]


def test_mark_read_and_unread(chat, channel, users, stream_sqs_queue):
    first = channel.send_message({"text": "one"}, users[0])["message"]
    channel.send_message({"text": "two"}, users[0])
    expect_events(stream_sqs_queue, "message.new", "message.new")
    channel.mark_read(users[1])
    [read] = expect_events(stream_sqs_queue, "message.read")
    assert read["user"]["id"] == users[1] and read["user"]["channel_unread_count"] == 0
    channel.mark_unread(users[1], message_id=first["id"])
    [unread] = expect_events(stream_sqs_queue, "notification.mark_unread")
    assert unread["unread_messages"] == 2 and unread["first_unread_message_id"] == first["id"]
    reads = {r["user"]["id"]: r for r in channel.query()["read"]}
    assert reads[users[1]]["unread_messages"] == 2


def test_query_channels_filters_by_member_and_type(chat, channel, users):
    found = chat.query_channels({"members": {"$in": [users[0]]}, "type": "messaging"})
    assert [c["channel"]["cid"] for c in found["channels"]] == [channel.cid]
    assert chat.query_channels({"cid": channel.cid, "frozen": True})["channels"] == []
