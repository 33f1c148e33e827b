"""What every language-intelligence test starts from."""

from pathlib import Path

import pytest


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """The server root of the test: its scripts' folder."""
    folder = tmp_path / "root"
    folder.mkdir()
    return folder
