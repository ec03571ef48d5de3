"""Moderation: the queue, the workflow, redaction, duplicates, assignment and the audit log."""
