"""An SQS-triggered AWS Lambda function for Stream Chat events (Powertools batch + parser)."""

from .handler import TALLY, StreamEvent, StreamRecord, Tally, lambda_handler

__all__ = ["TALLY", "StreamEvent", "StreamRecord", "Tally", "lambda_handler"]
