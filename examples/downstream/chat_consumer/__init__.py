"""A small consumer of Stream Chat events delivered to SQS."""

from .consumer import ChannelCounts, decode_body, event_time, poll

__all__ = ["ChannelCounts", "decode_body", "event_time", "poll"]
