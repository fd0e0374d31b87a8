"""Builders of the v2-only moderation events: review queue, checks, rules, analyses, appeals.

They act on the same world as the chat events: the flagged message and its author exist (a
live message of a live channel), the flagger is a member of that channel, the moderator is
staff when the app has some. Review queue items and appeals persist in the world, so an
update, a review or an appeal follows the item it is about.
"""

from __future__ import annotations

from .. import render_moderation as rm
from ..clock import US
from ..entities import Appeal, ModerationAction, ReviewItem, User
from .common import Builder, Ctx, Event, base, live_message

MAX_ITEMS = 200  # the oldest review queue items leave the world, so long runs stay bounded
RECOMMENDED = ("flag", "remove", "keep", "shadow")
RULE_NAMES = ("Repeated spam", "Hate speech filter", "New account link flood", "Profanity")
CLASSIFICATIONS = ("spam", "harassment", "hate_speech", "profanity", "scam", "sexual")
IMAGE_LABELS = ("Explicit Nudity", "Violence", "Drugs", "Hate Symbols")


def _staff(ctx: Ctx, not_user: User) -> User:
    live = [u for u in ctx.world.live_users if u is not not_user] or ctx.world.live_users
    staff = [u for u in live if u.role in ("admin", "moderator")]
    return ctx.rng.choice(staff or live)


def _action(ctx: Ctx, kind: str, user: User, t: int) -> ModerationAction:
    return ModerationAction(ctx.world.uid(), kind, user, ctx.world.content.reason(), t)


def _new_item(ctx: Ctx, t: int) -> ReviewItem:
    world, rng = ctx.world, ctx.rng
    message = live_message(ctx)
    members = [m.user for m in world.channel_of(message).members.values()
               if m.user is not message.user]
    flagger = rng.choice(members) if members else _staff(ctx, message.user)
    item = ReviewItem(id=world.uid(), message=message, created=t, updated=t,
                      recommended_action=rng.choice(RECOMMENDED), severity=rng.randint(0, 100))
    item.flags.append(_action(ctx, "flag", flagger, t))
    world.review_items[item.id] = item
    while len(world.review_items) > MAX_ITEMS:
        del world.review_items[next(iter(world.review_items))]
    return item


def _item(ctx: Ctx, status: str | None = None) -> ReviewItem:
    """An item whose message is still in the world (of that status, when asked); else a new
    one, queued off-stream just before."""
    messages = ctx.world.messages
    fits = [i for i in ctx.world.review_items.values()
            if i.message.id in messages and i.message.deleted is None
            and (status is None or i.status == status)]
    return ctx.rng.choice(fits[-50:]) if fits else _new_item(ctx, ctx.now - US)


def _entity(item: ReviewItem, out: Event, creator: bool = True) -> Event:
    out.update(entity_id=item.message.id, entity_type=rm.ENTITY_TYPE)
    if creator:  # the analysis events name the author; the check and rule events do not
        out["entity_creator_id"] = item.message.user.id
    return out


def review_queue_item(ctx: Ctx, new: bool) -> Event:
    item = _new_item(ctx, ctx.now) if new else _item(ctx)
    out = base(ctx)
    if not new:  # another member flags it too, or a moderator acts on it
        item.updated = ctx.now
        if ctx.rng.random() < 0.5:
            item.flags.append(_action(ctx, "flag", ctx.world.user(), ctx.now))
        else:
            item.actions.append(_action(ctx, "escalate", _staff(ctx, item.message.user), ctx.now))
            out["action"] = rm.action(ctx.r, item, item.actions[-1])
    out["review_queue_item"] = rm.review_item(ctx.r, item)
    out["flags"] = [rm.flag(ctx.r, item, f) for f in item.flags]
    return out


def moderation_flagged(ctx: Ctx) -> Event:
    item = _item(ctx)
    item.flags.append(_action(ctx, "flag", ctx.world.user(), ctx.now))
    item.updated = ctx.now
    out = base(ctx)
    out.update(content_type="message", object_id=item.message.id)
    return out


def moderation_check_completed(ctx: Ctx) -> Event:
    item = _new_item(ctx, ctx.now)
    out = _entity(item, base(ctx), creator=False)
    out.update(recommended_action=item.recommended_action, review_queue_item_id=item.id)
    return out


def moderation_rule_triggered(ctx: Ctx) -> Event:
    item = _item(ctx)
    rng = ctx.rng
    name = rng.choice(RULE_NAMES)
    rule = {"id": ctx.world.uid(), "name": name, "type": "rule_builder",
            "description": f"{name}: flags content and notifies moderators"}
    out = _entity(item, base(ctx), creator=False)
    out.update(rule=rule, triggered_actions=rng.choice((["flag_content"], ["flag_content",
               "ban_user"], ["block_content"])), user_id=item.message.user.id,
               review_queue_item_id=item.id, violation_number=len(item.flags))
    return out


def _classifications(ctx: Ctx, names: tuple[str, ...]) -> list[dict]:
    picked = ctx.rng.sample(names, ctx.rng.randint(1, 2))
    return [{"name": n, "confidence": round(ctx.rng.random(), 3)} for n in picked]


def text_analysis(ctx: Ctx) -> Event:
    item = _item(ctx)
    out = _entity(item, base(ctx))
    text = {"id": item.message.id, "action": item.recommended_action,
            "classifications": _classifications(ctx, CLASSIFICATIONS),
            "language": item.message.user.language, "severity": rm.severity_word(item.severity)}
    out.update(config_key=rm.CONFIG_KEY, review_queue_item_id=item.id, texts={"text": text})
    return out


def image_analysis(ctx: Ctx) -> Event:
    item = _item(ctx)
    out = _entity(item, base(ctx))
    urls = rm.images_of(item) or [ctx.rng.choice(ctx.world.pools.image_urls)]
    images = {f"attachment_{n}": {"id": url, "action": item.recommended_action,
                                  "confidence": round(ctx.rng.random(), 3),
                                  "classifications": _classifications(ctx, IMAGE_LABELS)}
              for n, url in enumerate(urls)}
    out.update(config_key=rm.CONFIG_KEY, review_queue_item_id=item.id, images=images)
    return out


def analysis_failed(ctx: Ctx) -> Event:
    item = _item(ctx)
    out = _entity(item, base(ctx))
    out.update(config_key=rm.CONFIG_KEY, content_ids={"text": item.message.id})
    return out


def mark_reviewed(ctx: Ctx) -> Event:
    item = _item(ctx, status="pending")
    moderator = _staff(ctx, item.message.user)
    item.actions.append(_action(ctx, "mark_reviewed", moderator, ctx.now))
    item.status, item.reviewed_by, item.reviewed_at, item.updated = (
        "reviewed", moderator.id, ctx.now, ctx.now)
    out = base(ctx)
    out.update(item=rm.review_item(ctx.r, item), message=ctx.r.message(item.message))
    return out


def custom_action(ctx: Ctx) -> Event:
    item = _item(ctx)
    item.actions.append(_action(ctx, "custom", _staff(ctx, item.message.user), ctx.now))
    item.updated = ctx.now
    out = base(ctx)
    out.update(action_id=ctx.rng.choice(("escalate_to_trust_safety", "warn_user", "archive")),
               action_options={"notify": ctx.rng.random() < 0.5},
               review_queue_item=rm.review_item(ctx.r, item), message=ctx.r.message(item.message))
    return out


def _appeal(ctx: Ctx, t: int) -> Appeal:
    item = _item(ctx)
    appeal = Appeal(id=ctx.world.uid(), item=item, created=t, updated=t,
                    reason=ctx.rng.choice(("This was a joke between friends",
                                           "The link is my own shop", "Wrong language detected")))
    item.appeal = appeal
    return appeal


def appeal_created(ctx: Ctx) -> Event:
    out = base(ctx)
    out["appeal"] = rm.appeal(ctx.r, _appeal(ctx, ctx.now))
    return out


def appeal_decided(ctx: Ctx, accepted: bool) -> Event:
    open_ = [i.appeal for i in ctx.world.review_items.values()
             if i.appeal is not None and i.appeal.status == "submitted"
             and i.message.id in ctx.world.messages]
    appeal = ctx.rng.choice(open_) if open_ else _appeal(ctx, ctx.now - US)
    appeal.status = "accepted" if accepted else "rejected"
    appeal.decision_reason = ("context shows no violation" if accepted
                              else "content breaks the community guidelines")
    appeal.updated = ctx.now
    out = base(ctx)
    out["appeal"] = rm.appeal(ctx.r, appeal)
    return out


MODERATION_BUILDERS: dict[str, Builder] = {
    "review_queue_item.new": lambda ctx: review_queue_item(ctx, new=True),
    "review_queue_item.updated": lambda ctx: review_queue_item(ctx, new=False),
    "moderation.flagged": moderation_flagged,
    "moderation_check.completed": moderation_check_completed,
    "moderation_rule.triggered": moderation_rule_triggered,
    "moderation.text_analysis.complete": text_analysis,
    "moderation.image_analysis.complete": image_analysis,
    "moderation.analysis.failed": analysis_failed,
    "moderation.mark_reviewed": mark_reviewed,
    "moderation.custom_action": custom_action,
    "appeal.created": appeal_created,
    "appeal.accepted": lambda ctx: appeal_decided(ctx, True),
    "appeal.rejected": lambda ctx: appeal_decided(ctx, False),
}
