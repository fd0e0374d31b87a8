"""The getstream SDK on /api/v2 paths: answers parse into its typed models strictly (no
missing required field), events come in the v2 dialect (Unix-ns timestamps, `custom` maps)."""

from __future__ import annotations

import pytest
from getstream.models import (
    ChannelInput,
    ChannelMemberRequest,
    ChannelStateResponse,
    DeleteReactionResponse,
    GetMessageResponse,
    MessageRequest,
    ReactionRequest,
    SendMessageResponse,
    SendReactionResponse,
    UpdateChannelResponse,
    UpdateUsersResponse,
    UserRequest,
)

from .helpers import expect_events, strict


def raw(response) -> dict:
    return response._StreamResponse__response.json()


@pytest.fixture
def users(stream, uid, stream_sqs_queue):
    ids = [uid("ann"), uid("bob")]
    answer = stream.upsert_users(UserRequest(id=ids[0], name="Ann", custom={"tier": "gold"}),
                                 UserRequest(id=ids[1]))
    parsed = strict(UpdateUsersResponse, raw(answer))
    assert parsed.users[ids[0]].custom == {"tier": "gold"}
    return ids


@pytest.fixture
def channel(stream, users, uid, stream_sqs_queue):
    ch = stream.chat.channel("messaging", uid("room"))
    answer = ch.get_or_create(data=ChannelInput(
        created_by_id=users[0], custom={"name": "Room"},
        members=[ChannelMemberRequest(user_id=u) for u in users]))
    state = strict(ChannelStateResponse, raw(answer))
    assert [m.user_id for m in state.members] == users
    created, *added = expect_events(stream_sqs_queue, "channel.created", "member.added",
                                    "member.added")
    assert created["channel"]["custom"] == {"name": "Room"}
    assert isinstance(created["created_at"], int) and created["channel_member_count"] == 2
    assert created["channel"]["created_at"] == raw(answer)["channel"]["created_at"]
    return ch


def test_message_reply_reaction_round_trip(stream, channel, users, stream_sqs_queue):
    answer = channel.send_message(MessageRequest(text="hello", user_id=users[0],
                                                 custom={"kind": "greeting"}))
    sent = strict(SendMessageResponse, raw(answer)).message
    [new] = expect_events(stream_sqs_queue, "message.new")
    assert new["message_id"] == sent.id and new["message"]["custom"] == {"kind": "greeting"}
    assert new["message"]["created_at"] == raw(answer)["message"]["created_at"]

    channel.send_message(MessageRequest(text="re", user_id=users[1], parent_id=sent.id))
    expect_events(stream_sqs_queue, "message.new", "thread.updated",
                  "notification.thread_message_new")
    reacted = stream.chat.send_reaction(sent.id, ReactionRequest(type="like",
                                                                 user_id=users[1]))
    assert strict(SendReactionResponse, raw(reacted)).message.reaction_counts == {"like": 1}
    again = stream.chat.send_reaction(sent.id, ReactionRequest(type="love", user_id=users[1]),
                                      enforce_unique=True)
    new_r, updated = expect_events(stream_sqs_queue, "reaction.new", "reaction.updated")
    assert updated["message"]["reaction_counts"] == {"love": 1}
    assert raw(again)["reaction"]["type"] == "love"
    fetched = strict(GetMessageResponse, raw(stream.chat.get_message(sent.id)))
    assert fetched.message.reply_count == 1 and fetched.message.channel.cid == channel_cid(
        channel)
    removed = stream.chat.delete_reaction(sent.id, "love", user_id=users[1])
    assert strict(DeleteReactionResponse, raw(removed)).reaction.type == "love"
    expect_events(stream_sqs_queue, "reaction.deleted")


def channel_cid(channel) -> str:
    return f"{channel.channel_type}:{channel.channel_id}"


def test_update_partial_delete_message(stream, channel, users, stream_sqs_queue):
    sent = raw(channel.send_message(MessageRequest(text="a", user_id=users[0])))["message"]
    stream.chat.update_message(sent["id"], MessageRequest(text="b", user_id=users[0]))
    stream.chat.update_message_partial(sent["id"], set={"text": "c"}, user_id=users[0])
    stream.chat.delete_message(sent["id"], hard=True)
    events = expect_events(stream_sqs_queue, "message.new", "message.updated",
                           "message.updated", "message.deleted")
    assert [e["message_update"]["old_text"] for e in events[1:3]] == ["a", "b"]
    assert events[3]["hard_delete"] is True


def test_members_partial_updates_and_moderation(stream, channel, users, stream_sqs_queue):
    answer = channel.update(remove_members=[users[1]])
    strict(UpdateChannelResponse, raw(answer))
    channel.update_channel_partial(set={"frozen": True})
    channel.update(add_members=[ChannelMemberRequest(user_id=users[1])])
    channel.update_member_partial(user_id=users[1], set={"color": "red"})
    channel.hide(user_id=users[1])
    channel.show(user_id=users[1])
    stream.chat.mute_channel(channel_cids=[channel_cid(channel)], user_id=users[1])
    stream.chat.unmute_channel(channel_cids=[channel_cid(channel)], user_id=users[1])
    events = expect_events(
        stream_sqs_queue, "member.removed", "channel.updated", "channel.frozen",
        "member.added", "member.updated", "channel.hidden", "channel.visible",
        "channel.muted", "channel.unmuted")
    assert events[4]["member"]["custom"] == {"color": "red"}
    stream.moderation.ban(users[1], banned_by_id=users[0], channel_cid=channel_cid(channel),
                          reason="spam")
    stream.moderation.unban(users[1], channel_cid=channel_cid(channel))
    stream.moderation.mute([users[1]], user_id=users[0])
    stream.moderation.unmute([users[1]], user_id=users[0])
    banned, unbanned, muted, unmuted = expect_events(
        stream_sqs_queue, "user.banned", "user.unbanned", "user.muted", "user.unmuted")
    assert banned["reason"] == "spam" and banned["cid"] == channel_cid(channel)
    assert muted["target_user"]["id"] == users[1]


def test_users_partial_deactivate_reactivate_delete(stream, users, stream_sqs_queue):
    from getstream.models import UpdateUserPartialRequest

    stream.update_users_partial(users=[UpdateUserPartialRequest(id=users[1],
                                                                set={"name": "Bo"})])
    stream.deactivate_user(users[1], created_by_id=users[0])
    stream.reactivate_user(users[1], created_by_id=users[0])
    stream.delete_users(user_ids=[users[1]], user="hard")
    updated, off, on, deleted = expect_events(
        stream_sqs_queue, "user.updated", "user.deactivated", "user.reactivated",
        "user.deleted")
    assert updated["user"]["name"] == "Bo" and off["created_by"]["id"] == users[0]
    assert deleted["hard_delete"] is True
    from getstream.models import QueryUsersPayload

    found = stream.query_users(QueryUsersPayload(filter_conditions={"id": {"$in": users}}))
    assert [u["id"] for u in raw(found)["users"]] == [users[0]]


def test_reads_flags_queries_truncate_delete(stream, channel, users, stream_sqs_queue):
    from getstream.models import ChannelInputRequest, QueryChannelsResponse

    cid = channel_cid(channel)
    sent = raw(channel.send_message(MessageRequest(text="hey", user_id=users[0])))["message"]
    channel.mark_read(user_id=users[1])
    channel.mark_unread(user_id=users[1], message_id=sent["id"])
    stream.moderation.flag(sent["id"], "stream:chat:v1:message", user_id=users[1],
                           reason="rude")
    stream.moderation.flag(users[0], "stream:user", user_id=users[1])
    channel.update(data=ChannelInputRequest(custom={"name": "Renamed"}, frozen=True))
    events = expect_events(
        stream_sqs_queue, "message.new", "message.read", "notification.mark_unread",
        "message.flagged", "user.flagged", "channel.updated", "channel.frozen")
    assert events[1]["last_read_message_id"] == sent["id"]
    assert events[2]["unread_messages"] == 1 and events[3]["reason"] == "rude"
    assert events[5]["channel"]["custom"]["name"] == "Renamed"
    found = strict(QueryChannelsResponse, raw(stream.chat.query_channels(
        filter_conditions={"cid": cid})))
    assert [c.channel.cid for c in found.channels] == [cid]
    assert found.channels[0].channel.frozen is True
    channel.truncate(user_id=users[0])
    channel.delete()
    truncated, deleted = expect_events(stream_sqs_queue, "channel.truncated",
                                       "channel.deleted")
    assert truncated["channel"]["message_count"] == 0 and truncated["user"]["id"] == users[0]
    assert raw(stream.chat.query_channels(filter_conditions={"cid": cid}))["channels"] == []


def test_async_getstream_client_reaches_the_same_state(stream_emulator, uid, stream_sqs_queue):
    import asyncio

    from getstream import AsyncStream

    users = [uid("ann"), uid("bob")]

    async def scenario():
        client = AsyncStream(api_key=stream_emulator.api_key,
                             api_secret=stream_emulator.api_secret,
                             base_url=stream_emulator.base_url)
        try:
            await client.upsert_users(*(UserRequest(id=u) for u in users))
            channel = client.chat.channel("messaging", uid("async"))
            await channel.get_or_create(data=ChannelInput(
                created_by_id=users[0], members=[ChannelMemberRequest(user_id=users[1])]))
            sent = await channel.send_message(MessageRequest(text="async", user_id=users[1]))
            return sent.data.message.id
        finally:
            await client.aclose()

    message_id = asyncio.run(scenario())
    *_, new = expect_events(stream_sqs_queue, "channel.created", "member.added", "message.new")
    assert new["message_id"] == message_id and new["message"]["text"] == "async"
