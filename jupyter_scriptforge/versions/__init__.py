"""Snapshot store logic: compression, diff, restore, publish."""
