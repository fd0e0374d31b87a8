"""Queue helpers that write into the embedded moto keep working after a moto reset.

moto's reset (`/moto-api/reset`, what `reset --sqs` calls) replaces its backend objects; a
helper that kept the old one would create queues nobody else can see (the DLQ of a new
queue then "does not exist").
"""

from __future__ import annotations

from emulator.testing.sqs import MotoQueueOps


def test_queue_set_up_after_a_moto_reset_is_visible_to_moto(fresh, sqs) -> None:
    ops = MotoQueueOps(fresh.engine.endpoint_url, fresh.settings.region)
    ops.delete(ops.create("before-reset", dlq=True, policy=None, max_size=262_144)["url"])
    fresh.backend.reset(sqs=True)  # moto's own reset route

    queue = ops.create("after-reset", dlq=True, policy=None, max_size=262_144)

    urls = sqs.list_queues(QueueNamePrefix="after-reset").get("QueueUrls", [])
    assert sorted(url.rsplit("/", 1)[-1] for url in urls) == ["after-reset", "after-reset-dlq"]
    sqs.send_message(QueueUrl=queue["url"], MessageBody="hello")
    assert ops.peek(queue["url"]) == ["hello"]
    ops.delete(queue["url"])
    ops.delete(queue["dlq_url"])
