"""stream-chat (sync and async) on v1 paths: users and moderation calls cause exactly Stream's
events; the state shows through the read calls."""

from __future__ import annotations

import asyncio

import pytest
from stream_chat import StreamChatAsync

from .helpers import api_error, expect_events


@pytest.fixture
def users(chat, uid, stream_sqs_queue):
    ids = [uid("ann"), uid("bob")]
    chat.upsert_users([{"id": ids[0], "name": "Ann", "role": "admin"},
                       {"id": ids[1], "name": "Bob", "country": "NL"}])
    expect_events(stream_sqs_queue)  # creating users sends nothing
    return ids


def test_upsert_existing_user_and_partial_update_send_user_updated(chat, users,
                                                                   stream_sqs_queue):
    answer = chat.upsert_user({"id": users[1], "name": "Robert"})
    [upserted] = expect_events(stream_sqs_queue, "user.updated")
    assert upserted["user"]["name"] == "Robert" and "country" not in upserted["user"]
    assert upserted["user"]["updated_at"] == answer["users"][users[1]]["updated_at"]
    chat.update_user_partial({"id": users[1], "set": {"country": "BE"}, "unset": ["name"]})
    [partial] = expect_events(stream_sqs_queue, "user.updated")
    assert partial["user"]["country"] == "BE" and "name" not in partial["user"]
    [found] = chat.query_users({"id": users[1]})["users"]
    assert found["country"] == "BE" and found["updated_at"] == partial["user"]["updated_at"]


def test_query_users_filters_sorts_and_pages(chat, users):
    answer = chat.query_users({"id": {"$in": users}}, [{"field": "name", "direction": -1}])
    assert [u["id"] for u in answer["users"]] == users[::-1]
    assert [u["id"] for u in chat.query_users({"role": "admin"})["users"]] == [users[0]]
    page = chat.query_users({"id": {"$in": users}}, {"name": 1}, limit=1, offset=1)
    assert [u["id"] for u in page["users"]] == [users[1]]
    api_error(lambda: chat.query_users({}, limit=101), 400, 4, "limit")


def test_deactivate_reactivate_delete(chat, users, stream_sqs_queue):
    chat.deactivate_user(users[1], created_by_id=users[0])
    assert chat.query_users({"id": users[1]})["users"] == []
    assert chat.query_users({"id": users[1]}, include_deactivated_users=True)["users"]
    chat.reactivate_user(users[1], created_by_id=users[0])
    chat.delete_user(users[1], hard_delete=True, mark_messages_deleted=True)
    off, on, deleted = expect_events(stream_sqs_queue, "user.deactivated", "user.reactivated",
                                     "user.deleted")
    assert off["user"]["deactivated_at"] and off["created_by"]["id"] == users[0]
    assert "deactivated_at" not in on["user"]
    assert deleted["hard_delete"] is True and deleted["delete_messages"] == "hard"
    api_error(lambda: chat.reactivate_user(users[1]), 404, 16)


def test_ban_unban_mute_unmute_and_flags(chat, users, uid, stream_sqs_queue):
    chat.ban_user(users[1], user_id=users[0], reason="spam", timeout=60)
    assert chat.query_users({"id": users[1]})["users"][0]["banned"] is True
    chat.unban_user(users[1])
    answer = chat.mute_user(users[1], users[0])
    chat.unmute_user(users[1], users[0])
    banned, unbanned, muted, unmuted = expect_events(
        stream_sqs_queue, "user.banned", "user.unbanned", "user.muted", "user.unmuted")
    assert banned["reason"] == "spam" and banned["created_by"]["id"] == users[0]
    assert banned["expiration"] and banned["total_bans"] == 1
    assert muted["target_user"]["id"] == users[1] == answer["mute"]["target"]["id"]
    assert chat.query_users({"id": users[1]})["users"][0]["banned"] is False

    ch = chat.channel("messaging", uid("room"), {"members": users})
    ch.create(users[0])
    expect_events(stream_sqs_queue, "channel.created", "member.added", "member.added")
    message = ch.send_message({"text": "buy now"}, users[1])["message"]
    chat.flag_message(message["id"], user_id=users[0], reason="spam")
    chat.flag_user(users[1], user_id=users[0])
    _, flagged, user_flagged = expect_events(stream_sqs_queue, "message.new",
                                             "message.flagged", "user.flagged")
    assert flagged["message"]["id"] == message["id"] and flagged["total_flags"] == 1
    assert user_flagged["target_user"]["id"] == users[1] and user_flagged["user"]["id"] \
        == users[0]
    ch.ban_user(users[1], user_id=users[0])
    [channel_ban] = expect_events(stream_sqs_queue, "user.banned")
    assert channel_ban["cid"] == ch.cid
    assert [m["banned"] for m in ch.query()["members"]] == [False, True]


def test_async_client_reaches_the_same_paths(stream_emulator, users, uid, stream_sqs_queue):
    async def scenario():
        async with StreamChatAsync(api_key=stream_emulator.api_key,
                                   api_secret=stream_emulator.api_secret,
                                   base_url=stream_emulator.base_url) as client:
            ch = client.channel("messaging", uid("async"), {"members": users})
            await ch.create(users[0])
            sent = await ch.send_message({"text": "from asyncio"}, users[1])
            await ch.send_reaction(sent["message"]["id"], {"type": "like"}, users[0])
            await client.update_user_partial({"id": users[0], "set": {"mood": "good"}})
            return sent["message"]

    sent = asyncio.run(scenario())
    events = expect_events(stream_sqs_queue, "channel.created", "member.added", "member.added",
                           "message.new", "reaction.new", "user.updated")
    assert events[3]["message"]["id"] == sent["id"] == events[4]["message"]["id"]
    assert events[5]["user"]["mood"] == "good"
