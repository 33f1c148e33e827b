"""Schedules: runs started at the times a cron expression names, once per time however many
servers share the store."""
