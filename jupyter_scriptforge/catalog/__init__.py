"""The script catalog: scripts, folders, tags, search and working copies on disk."""
