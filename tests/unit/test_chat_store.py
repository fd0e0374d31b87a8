"""The chat store's bound on messages, its reset, and the filter language of the queries."""

from __future__ import annotations

import pytest

from emulator.chat.query import matches, sort_docs
from emulator.chat.store import ChatStore
from emulator.errors import InputError
from emulator.events.entities import Channel, Message, User


def _channel(store: ChatStore) -> Channel:
    owner = User(id="u", name="", image=None, language="", role="user", created=1, updated=1)
    store.add_user(owner)
    channel = Channel(type="messaging", id="c", created_by=owner, created=1, updated=1, name="")
    store.add_channel(channel)
    return channel


def test_oldest_messages_are_evicted_beyond_the_bound():
    store = ChatStore(max_messages=3)
    channel = _channel(store)
    for i in range(5):
        store.add_message(channel, Message(id=f"m{i}", cid=channel.cid,
                                           user=channel.created_by, text=str(i),
                                           created=i, updated=i))
    assert list(store.messages) == ["m2", "m3", "m4"]
    assert [m.id for m in channel.messages] == ["m2", "m3", "m4"]
    assert store.evicted == 2


def test_clear_forgets_everything_and_time_never_repeats():
    store = ChatStore()
    _channel(store)
    stamps = [store.now() for _ in range(1000)]
    assert stamps == sorted(set(stamps))
    store.clear()
    assert store.counts() == {"users": 0, "channels": 0, "messages": 0}


@pytest.mark.parametrize("conditions, hit", [
    ({"id": "a"}, True), ({"id": {"$in": ["b", "a"]}}, True), ({"id": {"$nin": ["a"]}}, False),
    ({"members": "x"}, True), ({"members": {"$in": ["z", "y"]}}, True),
    ({"n": {"$gt": 1, "$lte": 2}}, True), ({"n": {"$lt": 2}}, False),
    ({"$or": [{"id": "b"}, {"n": 2}]}, True), ({"$and": [{"id": "a"}, {"n": 3}]}, False),
    ({"$nor": [{"id": "b"}]}, True), ({"name": {"$autocomplete": "ALI"}}, True),
    ({"gone": {"$exists": False}}, True), ({"n": {"$gt": "text"}}, False),
])
def test_filter_operators(conditions, hit):
    doc = {"id": "a", "members": ["x", "y"], "n": 2, "name": "Alice"}
    assert matches(doc, conditions) is hit


def test_unknown_operators_are_input_errors_naming_the_path():
    with pytest.raises(InputError, match=r"filter_conditions.id: unsupported operator \$regex"):
        matches({"id": "a"}, {"id": {"$regex": "a"}})
    with pytest.raises(InputError, match=r"filter_conditions.\$or"):
        matches({}, {"$or": []})


def test_sort_puts_missing_values_last_and_is_stable():
    docs = [{"k": 2}, {"k": None}, {"k": 1}, {"k": 2, "j": 1}]
    assert sort_docs(list(range(4)), docs, [("k", 1)], "k") == [2, 0, 3, 1]
    assert sort_docs(list(range(4)), docs, [("k", -1)], "k") == [0, 3, 2, 1]
