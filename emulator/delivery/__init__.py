"""Delivery of events to SQS: dispatch, publishing, permission decisions, ledger."""
