"""The command line: ``jupyter scriptforge``."""
