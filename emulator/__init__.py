"""stream-sqs-emulator: an offline stand-in for Stream Chat's SQS event delivery."""

__version__ = "0.1.0"
