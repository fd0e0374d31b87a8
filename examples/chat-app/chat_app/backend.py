"""The app's side of Stream: server-side calls through the official stream-chat SDK."""

from __future__ import annotations

from stream_chat import StreamChat


class ChatBackend:
    def __init__(self, client: StreamChat) -> None:
        self.client = client

    def register(self, *users: tuple[str, str]) -> None:
        """(id, name) pairs; existing users are updated."""
        self.client.upsert_users([{"id": user_id, "name": name} for user_id, name in users])

    def open_channel(self, channel_id: str, owner: str, members: list[str], name: str) -> str:
        channel = self.client.channel("messaging", channel_id,
                                      {"name": name, "members": members})
        channel.create(owner)
        return channel.cid

    def add_members(self, channel_id: str, user_ids: list[str]) -> None:
        self.client.channel("messaging", channel_id).add_members(user_ids)

    def post(self, channel_id: str, user_id: str, text: str, reply_to: str | None = None) -> str:
        message = {"text": text, **({"parent_id": reply_to} if reply_to else {})}
        sent = self.client.channel("messaging", channel_id).send_message(message, user_id)
        return sent["message"]["id"]

    def react(self, channel_id: str, message_id: str, user_id: str, kind: str) -> None:
        self.client.channel("messaging", channel_id).send_reaction(
            message_id, {"type": kind}, user_id)
