"""Webhooks: a failed or timed-out run is POSTed to a receiver on loopback, retried with
back-off when the receiver fails, and a receiver that hangs holds up no run."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from jupyter_scriptforge.notifications.webhooks import webhooks_of
from jupyter_scriptforge.services import services_of
from tests.api.test_runs import finished


class Receiver:
    """An HTTP receiver on loopback: ``/ok`` answers 500 to the first ``failures`` posts
    and 204 after; ``/hang`` keeps the connection for a minute."""

    def __init__(self, failures: int) -> None:
        self.received: list[dict[str, Any]] = []
        self.attempts: list[float] = []
        self.failures = failures
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.attempts.append(time.monotonic())
                if self.path == "/hang":
                    time.sleep(60)
                if len(receiver.attempts) <= receiver.failures:
                    self.send_response(500)
                    self.end_headers()
                    return
                receiver.received.append(json.loads(body))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    found = Receiver(failures=2)
    yield found
    found.server.shutdown()
    found.server.server_close()


@pytest.fixture
def jp_server_config(jp_server_config: dict[str, Any], receiver: Receiver) -> dict[str, Any]:
    config = {**jp_server_config, "ScriptForgeApp": dict(jp_server_config["ScriptForgeApp"])}
    config["ScriptForgeApp"].update(
        webhooks=[
            {"url": f"{receiver.url}/ok"},
            {"url": f"{receiver.url}/ok", "users": ["somebody_else"]},
        ],
        webhook_retry_seconds=0.2,
    )
    return config


@pytest.fixture
def webhooks(jp_serverapp: Any) -> Any:
    return services_of(jp_serverapp.web_app.settings).webhooks


async def test_a_failed_run_reaches_the_webhook_after_retries_a_good_one_does_not(
    api, webhooks, receiver
):
    good = await api.create("fine", content="print('fine')\n")
    bad = await api.create("broken", content="print('before')\nraise ValueError('no data')\n")

    fine = await finished(api, (await api.post("runs", {"script_id": good["id"]})).body["id"])
    await webhooks.idle()
    nothing = list(receiver.received)
    failed = await finished(api, (await api.post("runs", {"script_id": bad["id"]})).body["id"])
    await webhooks.idle()

    assert fine["status"] == "succeeded"
    assert nothing == []
    assert failed["status"] == "failed"
    [message] = receiver.received  # one hook wants it; the other is somebody else's
    assert message["event"] == "run.failed"
    assert message["run"]["id"] == failed["id"]
    assert message["run"]["exit_code"] == 1
    assert message["script"] == {"id": bad["id"], "name": "broken"}
    assert "before" in message["output_tail"]
    assert "ValueError: no data" in message["output_tail"]
    # Two 500s, then delivered: the waits doubled (0.2 s, then 0.4 s).
    assert len(receiver.attempts) == 3
    first_wait = receiver.attempts[1] - receiver.attempts[0]
    second_wait = receiver.attempts[2] - receiver.attempts[1]
    assert 0.2 <= first_wait < second_wait
    assert second_wait >= 0.4


async def test_a_receiver_that_hangs_holds_up_no_run(api, webhooks, receiver, jp_serverapp):
    webhooks._hooks = webhooks_of([{"url": f"{receiver.url}/hang"}])
    bad = await api.create("slow_news", content="raise SystemExit(4)\n")

    began = time.monotonic()
    run = await finished(api, (await api.post("runs", {"script_id": bad["id"]})).body["id"])
    took = time.monotonic() - began
    listed = await api.get("runs")

    assert run["status"] == "failed"
    assert took < 10  # the receiver keeps its connection for a minute
    assert listed.status == 200
    assert receiver.attempts, "the webhook was not even tried"


def test_a_webhook_setting_that_cannot_work_is_refused_with_its_entry():
    bad = [
        ([{"url": "ftp://127.0.0.1/x"}], "webhook 1: url"),
        (
            [{"url": "http://127.0.0.1/x"}, {"url": "http://127.0.0.1/y", "users": "alice"}],
            "webhook 2: users",
        ),
        ([{"url": "http://127.0.0.1/x", "statuses": ["exploded"]}], "webhook 1: statuses"),
        ([{"url": "http://127.0.0.1/x", "secret": "s"}], "webhook 1: unknown key(s) secret"),
    ]
    for setting, words in bad:
        with pytest.raises(ValueError, match=words.replace("(", r"\(").replace(")", r"\)")):
            webhooks_of(setting)
