"""Interpreters, runners and runs. Only runners start processes or containers."""
