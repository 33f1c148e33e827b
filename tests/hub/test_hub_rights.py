"""Rights under JupyterHub: the roles of hub_config/jupyterhub_config.py grant ScriptForge's
custom scopes, and the service checks each request's token against them — every operation
of ``openapi.yaml`` for each user (tests/rights_matrix.py), through the real hub and proxy."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from tests.hub.conftest import USERS
from tests.hub_process import HubProcess
from tests.rights_matrix import ROLES, Call, make_fixtures, wrong_answers

pytestmark = pytest.mark.hub

RIGHTS_OF_ROLE = {**ROLES, "none": ROLES["nobody"]}


def caller(hub: HubProcess, token: str | None) -> Call:
    async def call(method: str, path: str, body: Any, query: dict[str, Any]) -> tuple[int, Any]:
        return await asyncio.to_thread(hub.call, token, method, path, body, query)

    return call


async def test_each_user_gets_the_rights_of_their_role(hub):
    for user, role in USERS.items():
        status, me = await caller(hub, hub.token(user))("GET", "me", None, {})
        if role == "none":
            assert status == 403, (user, me)
        else:
            assert status == 200, (user, me)
            assert me["name"] == user
            assert set(me["rights"]) == RIGHTS_OF_ROLE[role]


@pytest.mark.parametrize("user", sorted(USERS))
async def test_every_endpoint_answers_each_user_as_the_spec_says(hub, user):
    as_admin = caller(hub, hub.token("ada"))
    ids = await make_fixtures(as_admin)

    rights = RIGHTS_OF_ROLE[USERS[user]]
    as_user = caller(hub, hub.token(user))
    wrong = await wrong_answers(ids, as_admin, as_user, rights, owner=user == "ada")

    assert wrong == []


async def test_without_a_login_nothing_answers(hub):
    for path in ("me", "scripts", "health"):
        status, _ = await caller(hub, None)("GET", path, None, {})
        assert status == 403, path
