"""Event detection and typing: triggers, roles, modality and the event-type classifier."""
