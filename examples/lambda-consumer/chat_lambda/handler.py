"""Stream Chat → SQS → this Lambda function: every record is parsed with Powertools' parser
(`SqsRecordModel` with the body decoded into a Stream event) and handled by `BatchProcessor`,
which reports the records that failed in `batchItemFailures` (the event source mapping needs
`ReportBatchItemFailures`): Lambda deletes the others, SQS hands the failed ones out again and
moves them to the DLQ after maxReceiveCount receives.

The body is decoded with the getstream SDK's `decode_sqs_payload`, which reads every form
Stream may send: plain JSON, base64(JSON) and base64(gzip(JSON)).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)
from aws_lambda_powertools.utilities.parser.models import SqsRecordModel
from aws_lambda_powertools.utilities.typing import LambdaContext
from getstream.webhook import decode_sqs_payload
from pydantic import BaseModel, ConfigDict, field_validator


class StreamEvent(BaseModel):
    """The fields this function relies on; the rest of the payload is kept as extra."""

    model_config = ConfigDict(extra="allow")
    type: str
    created_at: str | int  # RFC 3339 (Stream's docs) or Unix nanoseconds (getstream models)

    def created(self) -> datetime:
        if isinstance(self.created_at, int):
            return datetime.fromtimestamp(self.created_at / 1e9, tz=timezone.utc)
        return datetime.fromisoformat(self.created_at.replace("Z", "+00:00"))


class StreamRecord(SqsRecordModel):
    body: StreamEvent  # type: ignore[assignment]  # the decoded event instead of the raw text

    @field_validator("body", mode="before")
    @classmethod
    def _decode(cls, value: Any) -> Any:
        if isinstance(value, str):
            return json.loads(decode_sqs_payload(value))  # a bad body fails this record only
        return value


@dataclass
class Tally:
    """What the function did; a real one would write to a database instead."""

    by_type: Counter = field(default_factory=Counter)
    latest: datetime | None = None

    def handle(self, event: StreamEvent) -> None:
        self.by_type[event.type] += 1
        created = event.created()
        if self.latest is None or created > self.latest:
            self.latest = created

    def clear(self) -> None:
        self.by_type.clear()
        self.latest = None


TALLY = Tally()
# A batch whose records all failed is reported like any other (not raised as a function
# error), so Lambda still deletes nothing and retries exactly the failed records.
processor = BatchProcessor(event_type=EventType.SQS, model=StreamRecord,
                           raise_on_entire_batch_failure=False)


def record_handler(record: StreamRecord) -> None:
    TALLY.handle(record.body)


def lambda_handler(event: dict[str, Any], context: LambdaContext | None) -> dict[str, Any]:
    return process_partial_response(
        event=event, record_handler=record_handler, processor=processor, context=context
    )
