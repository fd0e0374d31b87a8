"""Per-type event builders and the registry of them: event type → builder."""

from __future__ import annotations

from .channel import CHANNEL_BUILDERS
from .common import Builder
from .message import MESSAGE_BUILDERS
from .misc import MISC_BUILDERS
from .moderation import MODERATION_BUILDERS
from .reaction import REACTION_BUILDERS
from .user import USER_BUILDERS

BUILDERS: dict[str, Builder] = {**MESSAGE_BUILDERS, **REACTION_BUILDERS, **CHANNEL_BUILDERS,
                                **USER_BUILDERS, **MISC_BUILDERS, **MODERATION_BUILDERS}
