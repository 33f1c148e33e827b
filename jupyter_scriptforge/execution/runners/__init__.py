"""Runners: the only code that starts script processes or containers."""
