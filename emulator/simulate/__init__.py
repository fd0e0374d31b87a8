"""`stream-sqs-emulator simulate`: coherent chat traffic at a chosen rate (docs/simulate.md)."""
