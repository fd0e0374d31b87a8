"""A tiny chat backend and the SQS consumer of the events Stream sends for it."""
