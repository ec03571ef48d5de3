"""The back office: its home page and the administration of users and organisations."""
