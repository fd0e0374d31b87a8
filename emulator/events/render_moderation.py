"""Moderation entities (review queue items, their flags and actions, appeals) → v2 dicts.

Shapes as Stream's v2 spec and the getstream SDK models have them (ReviewQueueItemResponse,
ModerationFlagResponse, ActionLogResponse, AppealItemResponse): every required field present.
These types exist in the v2 dialect only; the renderer's `ts` gives its timestamps.
"""

from __future__ import annotations

from typing import Any

from .entities import Appeal, ModerationAction, ReviewItem
from .render import Renderer

ENTITY_TYPE = "stream:chat:v1:message"  # what Stream's moderation calls a chat message
CONFIG_KEY = "chat:messaging"


def flag(r: Renderer, item: ReviewItem, f: ModerationAction) -> dict[str, Any]:
    message = item.message
    return {"created_at": r.ts(f.created), "updated_at": r.ts(f.created),
            "entity_id": message.id, "entity_type": ENTITY_TYPE,
            "entity_creator_id": message.user.id, "type": "flag", "user_id": f.user.id,
            "user": r.user(f.user), "reason": f.reason, "labels": [f.reason],
            "result": [{"action": "flag", "reason": f.reason}], "custom": {},
            "review_queue_item_id": item.id}


def action(r: Renderer, item: ReviewItem, a: ModerationAction) -> dict[str, Any]:
    author = item.message.user
    return {"id": a.id, "type": a.type, "reason": a.reason, "created_at": r.ts(a.created),
            "user_id": a.user.id, "user": r.user(a.user), "target_user_id": author.id,
            "target_user": r.user(author), "reporter_type": "moderator", "ai_providers": [],
            "custom": {}}


def appeal(r: Renderer, ap: Appeal) -> dict[str, Any]:
    item = ap.item
    out: dict[str, Any] = {
        "id": ap.id, "appeal_reason": ap.reason, "status": ap.status,
        "created_at": r.ts(ap.created), "updated_at": r.ts(ap.updated),
        "entity_id": item.message.id, "entity_type": ENTITY_TYPE,
        "user": r.user(item.message.user), "review_queue_item_id": item.id,
        "channel_cid": item.message.cid, "config_key": CONFIG_KEY,
        "flag_types": ["flag"], "flag_labels": sorted({f.reason for f in item.flags}),
        "recommended_action": item.recommended_action, "severity": item.severity,
    }
    if ap.decision_reason:
        out["decision_reason"] = ap.decision_reason
    return out


def review_item(r: Renderer, item: ReviewItem) -> dict[str, Any]:
    message = item.message
    out: dict[str, Any] = {
        "id": item.id, "entity_id": message.id, "entity_type": ENTITY_TYPE,
        "entity_creator_id": message.user.id, "config_key": CONFIG_KEY,
        "created_at": r.ts(item.created), "updated_at": r.ts(item.updated),
        "status": item.status, "recommended_action": item.recommended_action,
        "severity": item.severity, "ai_text_severity": severity_word(item.severity),
        "escalated": False, "flags": [flag(r, item, f) for f in item.flags],
        "flags_count": len(item.flags), "languages": [message.user.language],
        "latest_moderator_action": item.actions[-1].type if item.actions else "",
        "reviewed_by": item.reviewed_by, "actions": [action(r, item, a) for a in item.actions],
        "bans": [], "teams": [], "message": r.message(message),
        "moderation_payload": {"texts": [message.text], "images": images_of(item), "custom": {}},
    }
    if item.reviewed_at is not None:
        out["reviewed_at"] = r.ts(item.reviewed_at)
    if item.appeal is not None:
        out["appeal"] = appeal(r, item.appeal)
    return out


def severity_word(severity: int) -> str:
    return ("low", "medium", "high", "critical")[min(severity // 25, 3)]


def images_of(item: ReviewItem) -> list[str]:
    return [a["image_url"] for a in item.message.attachments if a.get("image_url")]
