"""The extension inside a real ``jupyter server`` process, as a user starts it."""

import json

from tests.jupyter_process import running_jupyter


def test_server_starts_with_scriptforge_and_no_auth_warning(tmp_path):
    with running_jupyter(tmp_path, app="server") as server:
        health = json.loads(server.get("/scriptforge/api/health"))
        log = server.log()

    assert health["database"]["backend"] == "sqlite"
    assert (tmp_path / "scriptforge.db").exists(), "the store lives where SCRIPTFORGE_DB_URL says"
    assert "jupyter_scriptforge | extension was successfully loaded" in log
    assert "JupyterServerAuthWarning" not in log
    assert "Traceback" not in log
