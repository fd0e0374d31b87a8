"""Behaviour Stream's own SDK test suites (stream-chat-python, getstream) rely on, found by
running them against the emulator: each test here makes the same kind of call with the
official SDK and checks the answer, the later reads and the events."""

from __future__ import annotations

from datetime import datetime

from getstream.models import ChannelInput, ChannelMemberRequest, MessageRequest

from .helpers import api_error, expect_events


def _users(chat, uid, *names):
    ids = [uid(n) for n in names]
    chat.upsert_users([{"id": i} for i in ids])
    return ids


def test_removing_a_user_who_is_not_a_member_succeeds_with_no_event(chat, uid,
                                                                     stream_sqs_queue):
    ann, bob = _users(chat, uid, "ann", "bob")
    ch = chat.channel("messaging", uid("room"))
    ch.create(ann)
    expect_events(stream_sqs_queue, "channel.created")
    answer = ch.remove_members([bob])
    assert answer["members"] == []
    expect_events(stream_sqs_queue)
    ch.add_members([bob])
    answer = ch.remove_members([bob, ann])  # one member, one not: only the member leaves
    assert answer["members"] == []
    assert [e["user"]["id"] for e in expect_events(
        stream_sqs_queue, "member.added", "member.removed")] == [bob, bob]


def test_query_channels_for_a_user_leaves_out_what_they_hid(chat, uid, stream_sqs_queue):
    ann, bob = _users(chat, uid, "ann", "bob")
    ch = chat.channel("messaging", uid("room"), {"members": [ann, bob]})
    ch.create(ann)
    ch.hide(ann)

    def ids(**options):
        return [c["channel"]["id"] for c in chat.query_channels({"id": ch.id}, **options)
                ["channels"]]

    assert ids(user_id=ann) == []
    assert ids(user_id=bob) == [ch.id]  # hidden for ann only
    assert ids() == [ch.id]  # no user: every channel
    assert [c["channel"]["id"] for c in chat.query_channels(
        {"id": ch.id, "hidden": True}, user_id=ann)["channels"]] == [ch.id]
    ch.show(ann)
    assert ids(user_id=ann) == [ch.id]
    api_error(lambda: chat.query_channels({"id": ch.id}, user_id=uid("nobody")), 400, 4,
              "user_id")


def test_query_channels_muted_filter_is_the_users_channel_mutes(chat, uid, stream_sqs_queue):
    ann, bob = _users(chat, uid, "ann", "bob")
    ch = chat.channel("messaging", uid("room"), {"members": [ann, bob]})
    ch.create(ann)
    ch.mute(ann, expiration=30000)

    def muted(user_id, want=True):
        return len(chat.query_channels({"muted": want, "cid": ch.cid},
                                       user_id=user_id)["channels"])

    assert (muted(ann), muted(bob), muted(bob, False)) == (1, 0, 1)
    ch.unmute(ann)
    assert (muted(ann), muted(ann, False)) == (0, 1)


def test_silent_system_and_restricted_messages_keep_their_fields(chat, uid,
                                                                 stream_sqs_queue):
    ann, bob = _users(chat, uid, "ann", "bob")
    ch = chat.channel("messaging", uid("room"), {"members": [ann, bob]})
    ch.create(ann)
    expect_events(stream_sqs_queue, "channel.created", "member.added", "member.added")
    sent = ch.send_message({"text": "psst", "silent": True, "restricted_visibility": [bob]},
                           ann)["message"]
    system = ch.send_message({"text": "joined", "type": "system"}, ann)["message"]
    first, second = expect_events(stream_sqs_queue, "message.new", "message.new")
    assert sent["silent"] is True and sent["restricted_visibility"] == [bob]
    assert first["message"]["silent"] is True
    assert first["message"]["restricted_visibility"] == [bob]
    assert system["type"] == second["message"]["type"] == "system"
    read = chat.get_message(sent["id"])["message"]
    assert read["silent"] is True and read["restricted_visibility"] == [bob]


def test_v2_silent_message_and_removing_a_non_member(stream, chat, uid, stream_sqs_queue):
    ann, bob = _users(chat, uid, "ann", "bob")
    ch = stream.chat.channel("messaging", uid("room"))
    ch.get_or_create(data=ChannelInput(created_by_id=ann))
    answer = ch.update(remove_members=[bob])
    assert answer.data.members == []
    ch.update(add_members=[ChannelMemberRequest(user_id=ann)])
    sent = ch.send_message(message=MessageRequest(text="hi", user_id=ann, silent=True))
    assert sent.data.message.silent is True
    new = expect_events(stream_sqs_queue, "channel.created", "member.added",
                        "message.new")[-1]
    assert new["message"]["silent"] is True


def test_fields_of_features_not_emulated_are_refused_before_anything_changes(
        chat, uid, stream_sqs_queue):
    ann, = _users(chat, uid, "ann")
    ch = chat.channel("messaging", uid("room"), {"members": [ann]})
    ch.create(ann)
    expect_events(stream_sqs_queue, "channel.created", "member.added")
    location = {"latitude": 1.5, "longitude": 2.5, "created_by_device_id": "d1"}
    api_error(lambda: ch.send_message({"text": "here", "id": uid("m"),
                                       "shared_location": location}, ann),
              400, 4, "message.shared_location")
    api_error(lambda: ch.send_message({"text": "vote", "poll_id": "p1"}, ann),
              400, 4, "message.poll_id")
    assert ch.query()["messages"] == []  # nothing stored
    kept = ch.send_message({"text": "plain"}, ann)["message"]
    api_error(lambda: chat.update_message_partial(kept["id"], {"set": {"reminder": {}}},
                                                  ann), 400, 4, "reminder")
    expect_events(stream_sqs_queue, "message.new")


def test_teams_role_and_privacy_settings_are_kept(chat, stream, uid, stream_sqs_queue):
    ann = uid("ann")
    privacy = {"typing_indicators": {"enabled": False}}
    made = chat.upsert_user({"id": ann, "teams": ["blue"], "teams_role": {"blue": "admin"},
                             "privacy_settings": privacy})["users"][ann]
    assert made["teams_role"] == {"blue": "admin"} and made["privacy_settings"] == privacy
    changed = chat.update_user_partial({"id": ann, "set": {"teams_role": {"blue": "user"}}})
    assert changed["users"][ann]["teams_role"] == {"blue": "user"}
    [updated] = expect_events(stream_sqs_queue, "user.updated")
    assert updated["user"]["teams_role"] == {"blue": "user"}
    v2 = stream.query_users(payload={"filter_conditions": {"id": ann}}).data.users[0]
    assert v2.teams_role == {"blue": "user"}
    assert v2.privacy_settings.typing_indicators.enabled is False
    chat.update_user_partial({"id": ann, "unset": ["teams_role"]})
    assert "teams_role" not in chat.query_users({"id": ann})["users"][0]
    api_error(lambda: chat.update_user_partial({"id": ann, "set": {"teams_role": ["x"]}}),
              400, 4, "teams_role")


def test_a_new_message_shows_a_hidden_channel_unless_kept_hidden(chat, stream, uid,
                                                                  stream_sqs_queue):
    ann, bob = _users(chat, uid, "ann", "bob")
    ch = chat.channel("messaging", uid("room"), {"members": [ann, bob]})
    ch.create(ann)

    def listed():
        return len(chat.query_channels({"cid": ch.cid}, user_id=ann)["channels"])

    ch.hide(ann)
    v2 = stream.chat.channel("messaging", ch.id)
    v2.send_message(message=MessageRequest(text="quiet", user_id=bob),
                    keep_channel_hidden=True)
    assert listed() == 0
    ch.send_message({"text": "hi"}, bob)
    assert listed() == 1
    expect_events(stream_sqs_queue, "channel.created", "member.added", "member.added",
                  "channel.hidden", "message.new", "message.new")


def test_invites_moderators_and_roles_change_members(chat, uid, stream_sqs_queue):
    ann, bob, cat = _users(chat, uid, "ann", "bob", "cat")
    ch = chat.channel("messaging", uid("room"), {"members": [ann]})
    ch.create(ann)
    expect_events(stream_sqs_queue, "channel.created", "member.added")
    invited = ch.invite_members([bob])["members"]
    assert [(m["user_id"], m.get("invited")) for m in invited] == [(ann, None), (bob, True)]
    [added] = expect_events(stream_sqs_queue, "member.added")
    assert added["member"]["invited"] is True
    promoted = {m["user_id"]: m for m in ch.add_moderators([ann, cat])["members"]}
    assert promoted[ann]["is_moderator"] and promoted[cat]["is_moderator"]
    assert promoted[cat]["channel_role"] == "channel_moderator"
    expect_events(stream_sqs_queue, "member.updated", "member.added")
    demoted = {m["user_id"]: m for m in ch.demote_moderators([ann])["members"]}
    assert demoted[ann]["channel_role"] == "channel_member"
    assert "is_moderator" not in demoted[ann]
    ch.assign_roles([{"user_id": bob, "channel_role": "channel_moderator"}])
    assert [e["member"]["channel_role"] for e in expect_events(
        stream_sqs_queue, "member.updated", "member.updated")] == ["channel_member",
                                                                   "channel_moderator"]
    api_error(lambda: ch.assign_roles([{"user_id": uid("nobody"), "channel_role": "x"}]),
              400, 4, "assign_roles")
    api_error(lambda: ch.accept_invite(bob), 400, 4, "accept_invite", "not emulated")
    expect_events(stream_sqs_queue)


def test_streams_own_routes_are_not_taken_for_ids(chat, stream, uid):
    """`/users/restore` is not user "restore", `/messages/history` not message "history":
    routes the emulator lacks answer 404 code 16 naming the route."""
    ann, = _users(chat, uid, "ann")
    api_error(lambda: chat.restore_users([ann]), 404, 16, "no route POST /users/restore")
    api_error(lambda: chat.block_user(ann, ann), 404, 16, "no route POST /users/block")
    body = api_error(lambda: chat.post("messages/history", data={"filter": {}}), 404, 16,
                     "/messages/history")
    assert "UpdateMessage" not in body["message"]
    assert chat.deactivate_user(ann)["user"]["id"] == ann  # the id routes still work


def test_mark_unread_from_a_timestamp(chat, stream, uid, stream_sqs_queue):
    ann, bob = _users(chat, uid, "ann", "bob")
    ch = chat.channel("messaging", uid("room"), {"members": [ann, bob]})
    ch.create(ann)
    first = ch.send_message({"text": "one"}, bob)["message"]
    ch.send_message({"text": "two"}, bob)
    ch.mark_read(ann)
    expect_events(stream_sqs_queue, "channel.created", "member.added", "member.added",
                  "message.new", "message.new", "message.read")
    v2 = stream.chat.channel("messaging", ch.id)
    v2.mark_unread(user_id=ann, message_timestamp=datetime.fromisoformat(first["created_at"]))
    [event] = expect_events(stream_sqs_queue, "notification.mark_unread")
    assert event["first_unread_message_id"] == first["id"]
    assert event["unread_messages"] == 2
    ch.mark_unread(ann, message_timestamp="2999-01-01T00:00:00Z")  # after every message
    [later] = expect_events(stream_sqs_queue, "notification.mark_unread")
    assert later["unread_messages"] == 0 and "first_unread_message_id" not in later
    api_error(lambda: ch.mark_unread(ann), 400, 4, "message_id", "message_timestamp")
    api_error(lambda: ch.mark_unread(ann, message_timestamp="yesterday"), 400, 4,
              "message_timestamp")
    api_error(lambda: ch.mark_unread(ann, thread_id=first["id"]), 400, 4, "thread_id")


def test_the_creator_who_never_joined_marks_read_and_unread(chat, uid, stream_sqs_queue):
    """Both SDK suites create a channel as a user, send as that user and mark it read and
    unread as that user, who is not a member: Stream answers; so does the emulator."""
    ann, bob = _users(chat, uid, "ann", "bob")
    ch = chat.channel("messaging", uid("room"))
    ch.create(ann)
    sent = ch.send_message({"text": "hello"}, ann)["message"]
    answer = ch.mark_read(ann)
    assert answer["event"]["type"] == "message.read"
    assert answer["event"]["user"]["id"] == ann
    assert "duration" in ch.mark_unread(ann, message_id=sent["id"])
    events = expect_events(stream_sqs_queue, "channel.created", "message.new", "message.read",
                           "notification.mark_unread")
    assert events[-1]["first_unread_message_id"] == sent["id"]
    assert ch.query(members={"limit": 10})["members"] == []  # marking did not make a member
    api_error(lambda: ch.mark_read(bob), 400, 4, "not a member")  # anyone else still must be
    api_error(lambda: ch.mark_unread(bob, message_id=sent["id"]), 400, 4, "not a member")


def test_messages_of_a_shadow_banned_user_are_shadowed(chat, uid, stream_sqs_queue):
    ann, bob = _users(chat, uid, "ann", "bob")
    ch = chat.channel("messaging", uid("room"), {"members": [ann, bob]})
    ch.create(ann)
    before = ch.send_message({"text": "one"}, bob)["message"]
    chat.shadow_ban(bob, user_id=ann)
    during = ch.send_message({"text": "two"}, bob)["message"]
    chat.remove_shadow_ban(bob, user_id=ann)
    after = ch.send_message({"text": "three"}, bob)["message"]
    assert [chat.get_message(m["id"])["message"]["shadowed"]
            for m in (before, during, after)] == [False, True, False]
    events = expect_events(stream_sqs_queue, "channel.created", "member.added",
                           "member.added", "message.new", "user.banned", "message.new",
                           "user.unbanned", "message.new")
    assert [e["message"]["shadowed"] for e in events if e["type"] == "message.new"] == [
        False, True, False]


def test_partial_update_merges_privacy_settings(chat, stream, uid):
    ann = uid("ann")
    chat.upsert_user({"id": ann})
    chat.update_user_partial({"id": ann, "set": {
        "privacy_settings": {"typing_indicators": {"enabled": True}}}})
    merged = chat.update_user_partial({"id": ann, "set": {
        "privacy_settings": {"read_receipts": {"enabled": False}}}})["users"][ann]
    assert merged["privacy_settings"] == {"typing_indicators": {"enabled": True},
                                          "read_receipts": {"enabled": False}}
    replaced = chat.upsert_user({"id": ann, "privacy_settings": {
        "read_receipts": {"enabled": True}}})["users"][ann]  # an upsert replaces
    assert replaced["privacy_settings"] == {"read_receipts": {"enabled": True}}


def test_unbanning_a_user_who_is_not_banned_succeeds_with_no_event(chat, uid,
                                                                    stream_sqs_queue):
    ann, bob = _users(chat, uid, "ann", "bob")
    assert "duration" in chat.unban_user(bob)
    expect_events(stream_sqs_queue)
    chat.ban_user(bob, banned_by_id=ann)
    chat.unban_user(bob)
    chat.unban_user(bob)  # the second finds no ban
    expect_events(stream_sqs_queue, "user.banned", "user.unbanned")
    api_error(lambda: chat.unban_user(uid("nobody")), 404, 16)


def test_pinning_stamps_when_and_by_whom(chat, stream, uid, stream_sqs_queue):
    ann, bob = _users(chat, uid, "ann", "bob")
    ch = chat.channel("messaging", uid("room"), {"members": [ann, bob]})
    ch.create(ann)
    sent = ch.send_message({"text": "note"}, ann)["message"]
    assert "pinned_by" not in sent and sent["pinned"] is False
    pinned = chat.pin_message(sent["id"], bob, expiration=3600)["message"]
    assert pinned["pinned"] is True and pinned["pinned_by"]["id"] == bob
    assert pinned["pinned_at"] is not None and pinned["pin_expires"] > pinned["pinned_at"]
    unpinned = chat.unpin_message(sent["id"], bob)["message"]
    assert (unpinned["pinned"], unpinned["pinned_at"], unpinned["pin_expires"]) == (
        False, None, None)
    assert "pinned_by" not in unpinned
    events = expect_events(stream_sqs_queue, "channel.created", "member.added",
                           "member.added", "message.new", "message.updated",
                           "message.updated")
    assert events[4]["message"]["pinned_by"]["id"] == bob
    assert events[4]["message_update"]["change_set"]["pin"] is True
    v2 = stream.chat.update_message_partial(id=sent["id"], set={"pinned": True},
                                            user_id=ann).data.message
    assert v2.pinned is True and v2.pinned_by.id == ann and v2.pinned_at is not None
    api_error(lambda: chat.update_message_partial(
        sent["id"], {"set": {"pin_expires": "soon"}}, ann), 400, 4, "pin_expires")


def test_a_pin_past_its_expiry_reads_as_unpinned(chat, uid, stream_sqs_queue):
    ann, = _users(chat, uid, "ann")
    ch = chat.channel("messaging", uid("room"), {"members": [ann]})
    ch.create(ann)
    sent = ch.send_message({"text": "note"}, ann)["message"]
    pinned = chat.update_message_partial(sent["id"], {"set": {
        "pinned": True, "pin_expires": sent["created_at"]}}, ann)["message"]  # already past
    assert pinned["pinned"] is True  # the call that pins answers the pin
    read = chat.get_message(sent["id"])["message"]  # any later call sees it expired
    assert (read["pinned"], read["pinned_at"], read["pin_expires"]) == (False, None, None)
    kept = ch.send_message({"text": "kept"}, ann)["message"]
    chat.pin_message(kept["id"], ann, expiration=3600)
    assert chat.get_message(kept["id"])["message"]["pinned"] is True
