"""Nattvandring: walkers log their walks; the coordinator sees walks per area and week."""
