"""The backend's chat operations: one typed method per Stream call (parsed values in, the
answer's body out). Each runs under the chat lock and delivers the events it caused to every
matching hook before the lock is released, so hooks see events in the order of the calls."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import channels, messages, moderation, users
from .inputs import (
    BanData,
    ChannelData,
    MemberChanges,
    MemberRef,
    MessageData,
    PartialUpdate,
    Query,
    ReactionData,
    UserData,
)
from .service import ChatService

Body = dict[str, Any]


class ChatOperations:
    """Mixed into Backend, which provides `_chat` (a ChatService) and `_dispatch(events)`."""

    _chat: ChatService

    def _dispatch(self, events: list[dict[str, Any]]) -> Any:  # pragma: no cover - Backend's
        raise NotImplementedError

    def _chat_call(self, dialect: str, operation: Callable[..., Body], *args: Any) -> Body:
        with self._chat.lock:
            body, events = self._chat.run(dialect, operation, *args)
            if events:
                self._dispatch(events)
        return body

    def chat_counts(self) -> dict[str, int]:
        return self._chat.counts()

    # users ----------------------------------------------------------------------------------
    def chat_upsert_users(self, dialect: str, data: list[UserData]) -> Body:
        return self._chat_call(dialect, users.upsert_users, data)

    def chat_update_users_partial(self, dialect: str, updates: list[PartialUpdate]) -> Body:
        return self._chat_call(dialect, users.update_users_partial, updates)

    def chat_query_users(self, dialect: str, query: Query, include_deactivated: bool) -> Body:
        return self._chat_call(dialect, users.query_users, query, include_deactivated)

    def chat_deactivate_user(self, dialect: str, user_id: str, by_id: str | None,
                             mark_messages_deleted: bool) -> Body:
        return self._chat_call(dialect, users.deactivate_user, user_id, by_id,
                               mark_messages_deleted)

    def chat_reactivate_user(self, dialect: str, user_id: str, by_id: str | None,
                             name: str | None) -> Body:
        return self._chat_call(dialect, users.reactivate_user, user_id, by_id, name)

    def chat_delete_user(self, dialect: str, user_id: str, hard: bool,
                         mark_messages_deleted: bool, delete_conversation_channels: bool,
                         ) -> Body:
        return self._chat_call(dialect, users.delete_user, user_id, hard,
                               mark_messages_deleted, delete_conversation_channels)

    def chat_delete_users(self, dialect: str, user_ids: list[str], hard: bool,
                          mark_messages_deleted: bool, delete_conversation_channels: bool,
                          ) -> Body:
        return self._chat_call(dialect, users.delete_users, user_ids, hard,
                               mark_messages_deleted, delete_conversation_channels)

    # channels -------------------------------------------------------------------------------
    def chat_query_channel(self, dialect: str, channel_type: str, channel_id: str | None,
                           data: ChannelData, messages_limit: int) -> Body:
        return self._chat_call(dialect, channels.query_channel, channel_type, channel_id,
                               data, messages_limit)

    def chat_query_channels(self, dialect: str, query: Query, messages_limit: int,
                            user_id: str | None = None) -> Body:
        return self._chat_call(dialect, channels.query_channels, query, messages_limit,
                               user_id)

    def chat_update_channel(self, dialect: str, channel_type: str, channel_id: str,
                            data: ChannelData | None, add: list[MemberRef],
                            remove: list[str], message: MessageData | None = None,
                            changes: MemberChanges | None = None) -> Body:
        return self._chat_call(dialect, channels.update_channel, channel_type, channel_id,
                               data, add, remove, message, changes)

    def chat_update_channel_partial(self, dialect: str, channel_type: str, channel_id: str,
                                    update: PartialUpdate) -> Body:
        return self._chat_call(dialect, channels.update_channel_partial, channel_type,
                               channel_id, update)

    def chat_delete_channel(self, dialect: str, channel_type: str, channel_id: str) -> Body:
        return self._chat_call(dialect, channels.delete_channel, channel_type, channel_id)

    def chat_truncate_channel(self, dialect: str, channel_type: str, channel_id: str,
                              user_id: str | None) -> Body:
        return self._chat_call(dialect, channels.truncate_channel, channel_type, channel_id,
                               user_id)

    def chat_hide_channel(self, dialect: str, channel_type: str, channel_id: str,
                          user_id: str, clear_history: bool, hidden: bool) -> Body:
        return self._chat_call(dialect, channels.hide_channel, channel_type, channel_id,
                               user_id, clear_history, hidden)

    def chat_mute_channels(self, dialect: str, cids: list[str], user_id: str,
                           expiration_ms: int | None, muted: bool) -> Body:
        return self._chat_call(dialect, channels.mute_channel, cids, user_id, expiration_ms,
                               muted)

    def chat_update_member_partial(self, dialect: str, channel_type: str, channel_id: str,
                                   update: PartialUpdate) -> Body:
        return self._chat_call(dialect, channels.update_member_partial, channel_type,
                               channel_id, update)

    def chat_mark_read(self, dialect: str, channel_type: str, channel_id: str, user_id: str,
                       message_id: str | None) -> Body:
        return self._chat_call(dialect, channels.mark_read, channel_type, channel_id,
                               user_id, message_id)

    def chat_mark_unread(self, dialect: str, channel_type: str, channel_id: str,
                         user_id: str, message_id: str | None,
                         since_us: int | None = None) -> Body:
        return self._chat_call(dialect, channels.mark_unread, channel_type, channel_id,
                               user_id, message_id, since_us)

    # messages and reactions -----------------------------------------------------------------
    def chat_send_message(self, dialect: str, channel_type: str, channel_id: str,
                          data: MessageData) -> Body:
        return self._chat_call(dialect, messages.send_message, channel_type, channel_id, data)

    def chat_get_message(self, dialect: str, message_id: str) -> Body:
        return self._chat_call(dialect, messages.get_message, message_id)

    def chat_update_message(self, dialect: str, message_id: str, data: MessageData) -> Body:
        return self._chat_call(dialect, messages.update_message, message_id, data)

    def chat_update_message_partial(self, dialect: str, message_id: str,
                                    update: PartialUpdate) -> Body:
        return self._chat_call(dialect, messages.update_message_partial, message_id, update)

    def chat_delete_message(self, dialect: str, message_id: str, hard: bool) -> Body:
        return self._chat_call(dialect, messages.delete_message, message_id, hard)

    def chat_send_reaction(self, dialect: str, message_id: str, data: ReactionData,
                           enforce_unique: bool) -> Body:
        return self._chat_call(dialect, messages.send_reaction, message_id, data,
                               enforce_unique)

    def chat_delete_reaction(self, dialect: str, message_id: str, reaction_type: str,
                             user_id: str) -> Body:
        return self._chat_call(dialect, messages.delete_reaction, message_id, reaction_type,
                               user_id)

    # moderation -----------------------------------------------------------------------------
    def chat_ban_user(self, dialect: str, data: BanData) -> Body:
        return self._chat_call(dialect, moderation.ban_user, data)

    def chat_unban_user(self, dialect: str, target_id: str, cid: str | None,
                        shadow: bool) -> Body:
        return self._chat_call(dialect, moderation.unban_user, target_id, cid, shadow)

    def chat_mute_users(self, dialect: str, user_id: str, target_ids: list[str],
                        timeout_minutes: int | None, muted: bool) -> Body:
        return self._chat_call(dialect, moderation.mute_users, user_id, target_ids,
                               timeout_minutes, muted)

    def chat_flag_message(self, dialect: str, message_id: str, user_id: str,
                          reason: str | None) -> Body:
        return self._chat_call(dialect, moderation.flag_message, message_id, user_id, reason)

    def chat_flag_user(self, dialect: str, target_id: str, user_id: str,
                       reason: str | None) -> Body:
        return self._chat_call(dialect, moderation.flag_user, target_id, user_id, reason)
