"""Outbound webhooks: a run that failed or timed out is POSTed as JSON to the URLs its user
(or the whole team) asked for — in the background, retried with back-off, never holding
up the run or the server."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from tornado.httpclient import AsyncHTTPClient, HTTPClientError, HTTPRequest

log = logging.getLogger(__name__)

# The run states a webhook is told of unless it names others.
NOTIFIED = ("failed", "timed_out")
_STATES = frozenset({"succeeded", "failed", "cancelled", "timed_out", "interrupted"})
_TIMEOUT_SECONDS = 10.0


@dataclass(frozen=True)
class Webhook:
    url: str
    # Whose runs it hears of; None: every user's.
    users: frozenset[str] | None
    statuses: frozenset[str]

    def wants(self, run: Mapping[str, Any]) -> bool:
        return run["status"] in self.statuses and (self.users is None or run["user"] in self.users)


def webhooks_of(settings: Iterable[Mapping[str, Any]]) -> list[Webhook]:
    """``ScriptForgeApp.webhooks`` read: ``{"url": …, "users": [names]?, "statuses":
    [states]?}`` each; ValueError saying which entry is wrong."""
    hooks = []
    for number, entry in enumerate(settings, 1):
        url = entry.get("url")
        if not isinstance(url, str) or not url.startswith(("http://", "https://")):
            raise ValueError(f"webhook {number}: url must be an http(s) URL, not {url!r}")
        users = entry.get("users")
        if users is not None and (
            not isinstance(users, list) or not all(isinstance(u, str) for u in users)
        ):
            raise ValueError(f"webhook {number}: users must be a list of user names")
        statuses = entry.get("statuses", list(NOTIFIED))
        if not isinstance(statuses, list) or not set(statuses) <= _STATES:
            raise ValueError(
                f"webhook {number}: statuses must be a list of {', '.join(sorted(_STATES))}"
            )
        unknown = set(entry) - {"url", "users", "statuses"}
        if unknown:
            raise ValueError(f"webhook {number}: unknown key(s) {', '.join(sorted(unknown))}")
        hooks.append(
            Webhook(url, frozenset(users) if users is not None else None, frozenset(statuses))
        )
    return hooks


class WebhookSender:
    def __init__(
        self,
        hooks: list[Webhook],
        script_name: Callable[[int], Awaitable[str | None]],
        *,
        attempts: int = 5,
        first_delay: float = 1.0,
    ) -> None:
        """``script_name(id)``: a script's name for the message (None if it is gone);
        ``attempts`` deliveries at most, waiting ``first_delay`` seconds, then twice as
        long each time."""
        self._hooks = hooks
        self._script_name = script_name
        self._attempts = attempts
        self._first_delay = first_delay
        self._sending: set[asyncio.Task[None]] = set()

    def run_ended(self, run: dict[str, Any], tail: str) -> None:
        """Tell the webhooks that want it that ``run`` ended; returns at once."""
        wanted = [hook for hook in self._hooks if hook.wants(run)]
        if not wanted:
            return
        task = asyncio.get_running_loop().create_task(self._send(wanted, run, tail))
        self._sending.add(task)
        task.add_done_callback(self._sending.discard)

    async def close(self) -> None:
        """Stop what is still being retried (the server stops)."""
        for task in list(self._sending):
            task.cancel()
        await asyncio.gather(*self._sending, return_exceptions=True)

    async def idle(self) -> None:
        """Wait until every delivery under way succeeded or gave up (tests)."""
        while self._sending:
            await asyncio.gather(*list(self._sending), return_exceptions=True)

    async def _send(self, hooks: list[Webhook], run: dict[str, Any], tail: str) -> None:
        name = await self._script_name(run["script_id"]) if run.get("script_id") else None
        body = json.dumps(message_of(run, name, tail)).encode()
        await asyncio.gather(*(self._deliver(hook.url, body) for hook in hooks))

    async def _deliver(self, url: str, body: bytes) -> None:
        delay = self._first_delay
        for attempt in range(1, self._attempts + 1):
            request = HTTPRequest(
                url,
                method="POST",
                body=body,
                headers={"Content-Type": "application/json", "User-Agent": "ScriptForge"},
                request_timeout=_TIMEOUT_SECONDS,
                follow_redirects=False,
            )
            try:
                await AsyncHTTPClient().fetch(request)
                return
            except (HTTPClientError, OSError) as error:
                if attempt == self._attempts:
                    log.warning(
                        "ScriptForge: webhook %s gave up after %d tries: %s", url, attempt, error
                    )
                    return
            await asyncio.sleep(delay)
            delay *= 2


def message_of(run: Mapping[str, Any], script_name: str | None, tail: str) -> dict[str, Any]:
    """The JSON a webhook receives for a run that ended."""
    return {
        "event": f"run.{run['status']}",
        "run": {
            key: run.get(key)
            for key in (
                "id",
                "kind",
                "user",
                "status",
                "exit_code",
                "error",
                "script_id",
                "version_id",
                "group_id",
                "schedule_id",
                "interpreter",
                "created_at",
                "started_at",
                "finished_at",
            )
        },
        "script": (
            {"id": run["script_id"], "name": script_name}
            if run.get("script_id") is not None
            else None
        ),
        "output_tail": tail,
    }
