"""The schema catalogue: event types, schema files, the registry that validates, the validate command."""
