"""Realistic content (texts, attachments, mentions, request_info) picked from the pools."""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .pools import SDKS, Pools

if TYPE_CHECKING:
    from .entities import Channel, Message

ATTACHMENT_RATE = 0.15
MENTION_RATE = 0.12
CUSTOM_RATE = 0.1


class Content:
    def __init__(self, rng: random.Random, pools: Pools, uid: Callable[[], str]) -> None:
        self.rng = rng
        self.pools = pools
        self.uid = uid

    def sentence(self) -> str:
        return self.rng.choice(self.pools.sentences)

    def slug_word(self) -> str:
        for _ in range(4):
            word = self.rng.choice(self.pools.words)
            folded = unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode()
            if folded.isalpha():
                return folded.lower()
        return "chat"  # e.g. a Japanese word: ids must stay ASCII

    def channel_name(self) -> str:
        rng, p = self.rng, self.pools
        if rng.random() < 0.5:
            return rng.choice(p.companies)
        return rng.choice(p.words).capitalize() + " " + rng.choice(("team", "talk", "crew", "hub"))

    def fill_message(self, message: Message, channel: Channel, text: str | None) -> None:
        rng = self.rng
        message.text = text if text is not None else self.sentence()
        if rng.random() < MENTION_RATE and len(channel.members) > 1:
            others = [m.user for m in channel.members.values() if m.user is not message.user]
            target = rng.choice(others)
            message.mentioned = [target]
            message.text = f"@{target.name} {message.text}"
        if rng.random() < ATTACHMENT_RATE:
            message.attachments = [self.attachment()]
        if rng.random() < CUSTOM_RATE:
            message.custom = {"priority": rng.choice(("low", "normal", "high"))}

    def attachment(self) -> dict[str, Any]:
        rng, p = self.rng, self.pools
        kind = rng.random()
        if kind < 0.5:
            url = rng.choice(p.image_urls)
            return {"type": "image", "image_url": url, "thumb_url": url,
                    "fallback": f"IMG_{rng.randint(1000, 9999)}.{rng.choice(('jpg', 'png', 'heic'))}",
                    "original_width": rng.choice((640, 800, 1080, 1920)),
                    "original_height": rng.choice((480, 600, 1080, 1440))}
        if kind < 0.75:
            name = rng.choice(p.file_names)
            return {"type": "file", "title": name, "asset_url": f"https://us-east.stream-io-cdn.com/"
                    f"1000/attachments/{self.uid()}.{name.rsplit('.', 1)[-1]}",
                    "mime_type": "application/octet-stream", "file_size": rng.randint(2_000, 9 * 10**6)}
        url = rng.choice(p.urls)
        return {"type": "article", "title": self.sentence()[:60], "title_link": url,
                "og_scrape_url": url, "text": self.sentence(),
                "image_url": rng.choice(p.image_urls), "author_name": rng.choice(p.companies)}

    def request_info(self) -> dict[str, Any]:
        rng, p = self.rng, self.pools
        sdk = rng.choice(SDKS)
        is_server = "python" in sdk
        return {"type": "server" if is_server else "client", "ip": rng.choice(p.ips),
                "user_agent": rng.choice(p.user_agents), "sdk": sdk, "ext": ""}

    def reason(self) -> str:
        return self.rng.choice(("spam", "harassment", "off-topic", "inappropriate content",
                                "scam link", "hate speech"))
