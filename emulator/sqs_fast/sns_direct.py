"""``publish_direct``: SNS Publish into the in-process moto backend, without HTTP or boto3.

It runs what moto's HTTP handler (``SNSResponse.publish``) runs after parsing the request --
``SNSBackend.publish`` -- so the fan-out to subscribed queues (envelope, RawMessageDelivery,
filter policies, FIFO rules) is moto's own code; only the query-protocol round trip (~7 ms of
~10 ms per publish here) is skipped. Covered by the version check of this package (moto
5.2.x); tests/integration/test_sns_direct.py compares it with Publish over HTTP.
"""

from __future__ import annotations

from moto.core.exceptions import ServiceException

from .errors import FastSNSError


def publish_direct(topic_arn: str, message: str, *, region: str, account_id: str,
                   group_id: str | None = None, dedup_id: str | None = None) -> str:
    """Publish ``message`` to the topic as the Publish API would; the MessageId, or raise
    ``FastSNSError`` with the code moto's API would answer (e.g. ``NotFound``)."""
    # Imported here: moto's SNS models cost ~80 ms (with the GC passes they cause) at start,
    # and most sessions have no SNS hook.
    from moto.sns import models as sns_models

    backend = sns_models.sns_backends[account_id][region]
    try:
        return backend.publish(message, arn=topic_arn, group_id=group_id,
                               deduplication_id=dedup_id)
    except ServiceException as err:  # SNS's own, and SQS's MissingParameter for FIFO topics
        raise FastSNSError(err.code, getattr(err, "message", str(err))) from err
    except ValueError as err:  # SNSResponse turns these into InvalidParameter
        raise FastSNSError("InvalidParameter", str(err)) from err
