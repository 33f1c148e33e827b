"""Telling users how their runs ended: webhooks."""
