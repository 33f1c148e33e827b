"""Each user's own server in a container of a lab image (DockerSpawner), and the team rule:
nothing inside a user's container grants more than that user's own rights. The attempts are
made from inside alice's running container, with everything she can read there."""

from __future__ import annotations

import pytest

from tests.hub.servers import container_exists, inside, spawn, stop_server

pytestmark = [pytest.mark.hub, pytest.mark.docker]

# From inside: the service as the container reaches it, with the server's own token.
ATTEMPTS = r"""
import json, os, urllib.request, urllib.error
url = os.environ["SCRIPTFORGE_SERVICE_URL"] + "scriptforge/api/"
token = os.environ["JUPYTERHUB_API_TOKEN"]
def ask(method, path, body=None):
    request = urllib.request.Request(url + path, method=method,
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Authorization": "token " + token, "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, None
secrets = [name for name in os.environ if "DB_URL" in name or "PG" in name or "PASSWORD" in name]
environs = []
for pid in os.listdir("/proc"):
    try:
        environs.append(open(f"/proc/{pid}/environ", "rb").read())
    except (OSError, ValueError):
        pass
print(json.dumps({
    "user": os.getuid(),
    "me": ask("GET", "me"),
    "audit": ask("GET", "audit")[0],
    "override": ask("POST", "analyze/override", {"content": "import os", "reason": "mine"})[0],
    "private": ask("GET", "scripts/%(private)d")[0],
    "team_write": ask("POST", "scripts/%(team)d/versions", {"content": "x = 2\n"})[0],
    "secrets": secrets,
    "store_url_anywhere": any(b"postgresql" in e or b"sqlite:" in e for e in environs),
    "docker_socket": os.path.exists("/var/run/docker.sock"),
}))
"""


def test_alice_s_container_grants_no_more_than_alice_s_rights(hub, lab_image):
    bob = hub.token("bob")
    _, private = hub.call(bob, "POST", "scripts", {"name": "bobs_diary", "content": "x = 1\n"})
    ada = hub.token("ada")
    _, team = hub.call(
        ada, "POST", "scripts", {"name": "ada_team", "visibility": "team", "content": "x = 1\n"}
    )
    spawn(hub, "alice")

    seen = inside(hub, "alice", ATTEMPTS % {"private": private["id"], "team": team["id"]})

    assert seen["user"] != 0
    assert seen["me"][1]["name"] == "alice"
    assert set(seen["me"][1]["rights"]) == {"read", "write", "run", "assistant"}
    assert seen["audit"] == 403
    assert seen["override"] == 403
    assert seen["private"] == 404  # bob's private script is not there for her
    assert seen["team_write"] in (200, 201)  # an author writes team scripts: her right
    assert seen["secrets"] == []
    assert seen["store_url_anywhere"] is False
    assert seen["docker_socket"] is False


OTHER_SERVER = r"""
import json, os, urllib.request, urllib.error
token = os.environ["JUPYTERHUB_API_TOKEN"]
answers = {}
for path in ("/user/bob/api/contents", "/user/bob/scriptforge/api/me"):
    request = urllib.request.Request("%(hub)s" + path, headers={"Authorization": "token " + token})
    try:
        with urllib.request.urlopen(request) as response:
            answers[path] = response.status
    except urllib.error.HTTPError as error:
        answers[path] = error.code
print(json.dumps(answers))
"""


def test_a_server_s_token_opens_no_other_user_s_server(hub, lab_image):
    spawn(hub, "bob")
    spawn(hub, "alice")

    answers = inside(hub, "alice", OTHER_SERVER % {"hub": hub.url})

    assert answers == {"/user/bob/api/contents": 403, "/user/bob/scriptforge/api/me": 403}


def test_a_viewer_s_container_cannot_write(hub, lab_image):
    ada = hub.token("ada")
    _, team = hub.call(
        ada, "POST", "scripts", {"name": "for_vera", "visibility": "team", "content": "x = 1\n"}
    )
    spawn(hub, "vera")

    seen = inside(hub, "vera", ATTEMPTS % {"private": team["id"], "team": team["id"]})

    assert seen["me"][1]["rights"] == ["read"]
    assert seen["team_write"] == 403


def test_a_stopped_server_leaves_no_container(hub, lab_image):
    spawn(hub, "bob")
    assert container_exists(hub, "bob")

    stop_server(hub, "bob")

    assert not container_exists(hub, "bob")


def test_lab_images_are_no_interpreters_for_runs(lab_image):
    from jupyter_scriptforge.execution.docker_engine import interpreter_images

    tags = [image.image for image in interpreter_images()]

    assert "scriptforge/python:3.11" in tags
    assert not [tag for tag in tags if tag.startswith("scriptforge/lab:")]
