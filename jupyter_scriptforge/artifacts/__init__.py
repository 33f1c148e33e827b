"""Artifacts: the files a run leaves in its output folder, kept with the run."""
