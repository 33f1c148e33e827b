"""The Docker runner: every run in a fresh, locked-down container of its interpreter's image.

A container runs a small boot program under the image's interpreter: it waits on stdin for
one JSON line (the script, its arguments and environment), then runs the script as
``__main__``. Python is thus already started when the script arrives, so a pool of such
containers, started ahead of time, answers a run in a few milliseconds. A container runs
one script only; the pool makes a new one in the background.

``run()`` returns when the script has ended: after a timeout or a cancel once the container
is removed, otherwise once the boot program's end mark arrives (every other process of the
run is dead by then and the interpreter is exiting) or the engine reports the exit. The
container is then removed in the background; ``close()`` waits for those removals.

Every blocking call of the docker SDK runs on threads the runner owns, never on the event
loop, and every container carries labels naming this runner's instance, so a server that
crashed leaves nothing behind once its successor has started.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import secrets
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from functools import partial
from typing import BinaryIO, ParamSpec, TypeVar

import docker
from docker.errors import APIError, DockerException, ImageNotFound, NotFound
from docker.types import LogConfig, Ulimit
from requests.exceptions import RequestException

from ..docker_engine import EngineUnavailableError, open_api
from ..interpreters import Interpreter
from .base import (
    OUTPUT_FOLDER,
    Limits,
    Outcome,
    OutputSink,
    Runner,
    RunnerUnavailableError,
    RunSpec,
    Stream,
)
from .docker_attach import AttachSocket, Relay, attach, hang_up, pump
from .docker_output import pack_output
from .environment import script_environment
from .inside import program_text
from .warm_pool import WarmPool

log = logging.getLogger(__name__)

P = ParamSpec("P")
T = TypeVar("T")

RUNNER_LABEL = "org.jupyter.scriptforge.runner"
INSTANCE_LABEL = "org.jupyter.scriptforge.instance"
RUN_LABEL = "org.jupyter.scriptforge.run"
POOL_LABEL = "org.jupyter.scriptforge.pool"
USER_LABEL = "org.jupyter.scriptforge.user"

WORK_DIR = "/work"
# Where a run's declared packages are mounted, read-only; and earlier runs' kept output.
PACKAGES_DIR = "/opt/scriptforge/packages"
INPUTS_DIR = "/inputs"
USER = "1000:1000"
# The images link their interpreter here (see images/README.md).
INTERPRETER = "scriptforge-python"

# The container's program (inside/container.py); the runtime policy comes with it, so a warm
# container is ready for a guarded run too.
BOOT = program_text("policy", "output", "script_main", "container")
# What packs the output folder once the script has ended (docker_output.py).
OUTPUT_DIR = f"{WORK_DIR}/{OUTPUT_FOLDER}"
PACK = [INTERPRETER, "-c", f"{program_text('output')}\npack_output({OUTPUT_DIR!r}, 1)\n"]

# Exit status of a process killed by SIGKILL, as docker-init reports it.
_KILLED = 137
# How long a killed run's output stream may take to end before we hang up on it.
_SETTLE_SECONDS = 10.0
# How long packing a run's output folder may take (64 MiB at most, on its own tmpfs).
_PACK_SECONDS = 60.0
_DEFAULT_LIMITS = Limits()


class DockerRunner(Runner):
    """Runs each script in its own container, most of them taken from a warm pool.

    ``instance_id`` names this server among those sharing the engine: it must stay the same
    across restarts (``start()`` removes every container labelled with it) and differ
    from every other server's.
    """

    name = "docker"

    def __init__(
        self,
        instance_id: str,
        *,
        base_url: str | None = None,
        warm_images: Iterable[str] = (),
        pool_size: int = 2,
        pool_sizes: Mapping[str, int] | None = None,
        pool_limits: Limits = _DEFAULT_LIMITS,
        network_mode: str = "none",
        tmpfs_bytes: int = 64 << 20,
        api_threads: int = 8,
        api_timeout: int = 60,
    ) -> None:
        """
        :param warm_images: images whose pools ``start()`` fills; other images get a pool
            on their first run.
        :param pool_size: ready containers per image (0: every run starts its own).
        :param pool_sizes: per-image sizes that override ``pool_size``.
        :param pool_limits: the limits pool containers are made with; a run with other
            limits (the timeout aside) gets a container made for it.
        :param tmpfs_bytes: size of each of the run's writable places, /work and /tmp.
        :param api_threads: threads for short SDK calls. Output streams have threads of
            their own, so many long runs never hold up a kill or a new start.
        """
        self.instance_id = instance_id
        self._base_url = base_url
        self.warm_images = list(warm_images)
        self._pool_size = pool_size
        self._pool_sizes = dict(pool_sizes or {})
        self._pool_limits = pool_limits
        self._network_mode = network_mode
        self._tmpfs_bytes = tmpfs_bytes
        self._api_timeout = api_timeout
        self._max_connections = api_threads * 4
        self._calls = ThreadPoolExecutor(api_threads, thread_name_prefix="scriptforge-docker")
        # One thread per running container reads its output until the container exits.
        self._streams = ThreadPoolExecutor(1024, thread_name_prefix="scriptforge-docker-out")
        self._api: docker.APIClient | None = None
        self._connecting = asyncio.Lock()
        self._pools: dict[str, WarmPool[str]] = {}
        self._removals: set[asyncio.Task[None]] = set()
        self._closed = False

    # --- lifecycle ----------------------------------------------------------------------

    async def start(self) -> None:
        """Remove what an earlier server of this instance left, then start filling pools.

        Without an engine the server still starts: runs then fail with a clear error.
        """
        try:
            api = await self._client()
        except RunnerUnavailableError as error:
            log.warning("Docker runner: %s", error)
            return
        await self._reap(api)
        for image in self.warm_images:
            pool = self._pool(image)
            if pool is not None:
                pool.refill()

    async def pools_filled(self) -> None:
        """Wait until the containers the pools are making now are ready (tests, benchmarks)."""
        await asyncio.gather(*(pool.filled() for pool in self._pools.values()))

    def warm_count(self, image: str) -> int:
        pool = self._pools.get(image)
        return pool.ready if pool is not None else 0

    async def close(self) -> None:
        if self._closed:
            return
        await asyncio.gather(*(pool.close() for pool in self._pools.values()))
        await asyncio.gather(*self._removals, return_exceptions=True)
        self._closed = True
        if self._api is not None:
            # Runs still in flight end here: their output streams see the end.
            with contextlib.suppress(DockerException, RequestException):
                await self._reap(self._api)
            self._api.close()
        self._calls.shutdown(wait=False, cancel_futures=True)
        self._streams.shutdown(wait=False, cancel_futures=True)

    def supports(self, interpreter: Interpreter) -> bool:
        return interpreter.image is not None

    # --- one run ------------------------------------------------------------------------

    async def run(self, spec: RunSpec, sink: OutputSink, cancel: asyncio.Event) -> Outcome:
        image = spec.interpreter.image
        if image is None:
            raise RunnerUnavailableError(
                f"Interpreter {spec.interpreter.name} has no Docker image to run in."
            )
        if cancel.is_set():
            return Outcome(status="cancelled")
        api = await self._client()
        env = script_environment(spec.env, WORK_DIR, INPUTS_DIR if spec.inputs else None)
        if spec.packages is not None:
            env["PYTHONPATH"] = PACKAGES_DIR
        try:
            container, sock = await self._container_for(api, image, spec, env)
        except (DockerException, RequestException) as error:
            raise RunnerUnavailableError(
                f"The Docker Engine failed to start a run: {error}"
            ) from error
        try:
            return await self._follow(api, container, sock, spec, env, sink, cancel)
        except BaseException:
            # Cancelled from outside (server shutdown) or the engine failed: leave nothing.
            await asyncio.shield(self._remove(api, container))
            raise

    async def _container_for(
        self, api: docker.APIClient, image: str, spec: RunSpec, env: dict[str, str]
    ) -> tuple[str, AttachSocket]:
        """A started container waiting for the script, and the socket attached to it."""
        pool = self._pool(image) if self._fits_pool(spec) else None
        container = pool.take() if pool is not None else None
        if container is not None:
            try:
                return container, await self._call(attach, api, container)
            except (DockerException, RequestException) as error:
                # It died while it waited (the engine restarted?): make a fresh one.
                log.warning("Warm container %s of %s is gone: %s", container[:12], image, error)
                self._remove_soon(api, container)
        labels = self._labels({RUN_LABEL: str(spec.run_id), USER_LABEL: spec.user})
        # The whole environment goes in at creation too, for what Python reads at startup.
        binds = {
            **({spec.packages: PACKAGES_DIR} if spec.packages else {}),
            **{folder: f"{INPUTS_DIR}/{name}" for name, folder in spec.inputs.items()},
        }
        container = await self._call(
            self._create_started, api, image, spec.limits, env, labels, binds
        )
        try:
            return container, await self._call(attach, api, container)
        except (DockerException, RequestException):
            self._remove_soon(api, container)
            raise

    async def _follow(
        self,
        api: docker.APIClient,
        container: str,
        sock: AttachSocket,
        spec: RunSpec,
        env: dict[str, str],
        sink: OutputSink,
        cancel: asyncio.Event,
    ) -> Outcome:
        """Hand the script over, stream its output and wait for its end, a timeout or cancel."""
        loop = asyncio.get_running_loop()
        token = secrets.token_hex(16)
        # The container program fills in its own folders.
        policy = spec.runtime_settings(()) if spec.runtime_rules else None
        payload = json.dumps(
            {
                "content": spec.content,
                "args": list(spec.args),
                "env": env,
                "token": token,
                "policy": policy,
                "main": spec.main_call,
            }
        )

        def emit(stream: Stream, text: str) -> None:
            with contextlib.suppress(RuntimeError):  # the loop closed under us
                loop.call_soon_threadsafe(sink.write, stream, text)

        relay = Relay(emit, b"\0" + token.encode() + b"\0")
        ended = loop.run_in_executor(
            self._streams, pump, api, container, sock, payload.encode() + b"\n", relay
        )
        stop = asyncio.ensure_future(cancel.wait())
        try:
            done, _ = await asyncio.wait(
                (ended, stop),
                timeout=spec.limits.timeout_seconds,
                return_when=asyncio.FIRST_COMPLETED,
            )
        finally:
            stop.cancel()
        if ended not in done:
            # Removing with force kills every process of the run at once.
            await self._remove(api, container)
            await _settle(ended, sock)
            return Outcome(status="cancelled" if cancel.is_set() else "timed_out")
        exit_code, peak_memory = ended.result()
        if exit_code is None:
            return Outcome(status="failed", error="The container ended before the script did.")
        if exit_code == _KILLED:
            note = await self._call(_oom_note, api, container, spec.limits)
            if note:
                sink.write("stderr", note)
        if relay.output_waiting and spec.keep_output is not None:
            await self._pack(api, container, spec.keep_output)
        self._remove_soon(api, container)
        return Outcome(
            status="succeeded" if exit_code == 0 else "failed",
            exit_code=exit_code,
            peak_memory_bytes=peak_memory,
        )

    async def _pack(
        self, api: docker.APIClient, container: str, keep: Callable[[BinaryIO], None]
    ) -> None:
        """Pack the run's output folder, which ends with the container, before its removal;
        within ``_PACK_SECONDS``: a script that forged its end mark and goes on writing is
        cut off by removing the container, which ends the packer's stream."""
        loop = asyncio.get_running_loop()
        packing = loop.run_in_executor(self._streams, pack_output, api, container, PACK, USER, keep)
        try:
            await asyncio.wait_for(asyncio.shield(packing), _PACK_SECONDS)
        except TimeoutError:
            log.warning("Packing the output of container %s took too long", container[:12])
            await self._remove(api, container)
            with contextlib.suppress(Exception):
                await packing

    # --- containers ---------------------------------------------------------------------

    def _create_started(
        self,
        api: docker.APIClient,
        image: str,
        limits: Limits,
        env: dict[str, str],
        labels: dict[str, str],
        binds: Mapping[str, str] | None = None,
    ) -> str:
        """Create and start a container that waits for its script on stdin, with host
        folders ``binds`` (host -> container) read-only. Blocking."""
        host_config = api.create_host_config(
            mem_limit=limits.memory_bytes,
            # Equal to the memory limit: no swap to spill into.
            memswap_limit=limits.memory_bytes,
            nano_cpus=int(limits.cpus * 1e9),
            pids_limit=limits.processes,
            ulimits=[
                Ulimit(name="nofile", soft=limits.open_files, hard=limits.open_files),
                Ulimit(name="fsize", soft=limits.file_bytes, hard=limits.file_bytes),
                Ulimit(name="cpu", soft=limits.cpu_seconds, hard=limits.cpu_seconds),
            ],
            network_mode=self._network_mode,
            read_only=True,
            tmpfs={
                WORK_DIR: f"size={self._tmpfs_bytes},uid=1000,gid=1000,mode=0700",
                "/tmp": f"size={self._tmpfs_bytes},mode=1777",  # noqa: S108 (the container's)
            },
            cap_drop=["ALL"],
            security_opt=["no-new-privileges"],
            # A real PID 1 that forwards signals and reaps what the script forks.
            init=True,
            # Output reaches us through the attach socket; the engine need not keep a copy.
            log_config=LogConfig(type="none"),
            binds={host: {"bind": inside, "mode": "ro"} for host, inside in (binds or {}).items()},
        )
        try:
            created = api.create_container(
                image,
                command=[INTERPRETER, "-c", BOOT],
                user=USER,
                environment=env,
                working_dir=WORK_DIR,
                labels=labels,
                # Also sets StdinOnce: the script sees end of input once we half-close.
                stdin_open=True,
                host_config=host_config,
                # The same empty network namespace as "none" alone, without the network
                # sandbox the engine sets up for it: starts in half the time.
                network_disabled=self._network_mode == "none",
                # Else docker-py adds the proxy settings of ~/.docker/config.json to env.
                use_config_proxy=False,
            )
        except ImageNotFound as error:
            raise RunnerUnavailableError(
                f"The Docker image {image} is not on this machine; build it from images/ "
                "(images are never pulled)."
            ) from error
        container = str(created["Id"])
        try:
            api.start(container)
        except APIError as error:
            with contextlib.suppress(DockerException, RequestException):
                api.remove_container(container, force=True)
            raise RunnerUnavailableError(
                f"A container of {image} does not start: {error.explanation or error}"
            ) from error
        return container

    async def _create_warm(self, image: str) -> str:
        api = await self._client()
        env = script_environment({}, WORK_DIR)
        labels = self._labels({POOL_LABEL: "warm"})
        return await self._call(self._create_started, api, image, self._pool_limits, env, labels)

    def _pool(self, image: str) -> WarmPool[str] | None:
        size = self._pool_sizes.get(image, self._pool_size)
        if size <= 0 or self._closed:
            return None
        pool = self._pools.get(image)
        if pool is None:
            pool = WarmPool(
                image, size, partial(self._create_warm, image), self._remove_with_client
            )
            self._pools[image] = pool
        return pool

    def _fits_pool(self, spec: RunSpec) -> bool:
        """A pool container suits runs with its limits and no startup-time variables.

        Python reads PYTHON* variables (PYTHONPATH, PYTHONHASHSEED, …) when it starts,
        before a warm container knows its script.
        """
        same_limits = replace(spec.limits, timeout_seconds=0) == replace(
            self._pool_limits, timeout_seconds=0
        )
        startup = any(name.startswith("PYTHON") for name in spec.env)
        # Packages and inputs are mounted when a container is made: none in the pool has them.
        return same_limits and not startup and spec.packages is None and not spec.inputs

    def _labels(self, extra: Mapping[str, str]) -> dict[str, str]:
        return {RUNNER_LABEL: self.name, INSTANCE_LABEL: self.instance_id, **extra}

    async def _reap(self, api: docker.APIClient) -> None:
        """Remove every container of this instance, running or not."""
        found = await self._call(
            api.containers, all=True, filters={"label": f"{INSTANCE_LABEL}={self.instance_id}"}
        )
        if found:
            log.info("Removing %d container(s) of Docker runner %s", len(found), self.instance_id)
        await asyncio.gather(*(self._remove(api, str(each["Id"])) for each in found))

    async def _remove(self, api: docker.APIClient, container: str) -> None:
        try:
            await self._call(api.remove_container, container, force=True)
        except NotFound:
            pass
        except APIError as error:
            if error.status_code != 409:  # 409: a removal already under way
                log.warning("Could not remove container %s: %s", container[:12], error)
        except (DockerException, RequestException, RuntimeError) as error:
            # RuntimeError: the runner closed. The next start() reaps what is left.
            log.warning("Could not remove container %s: %s", container[:12], error)

    async def _remove_with_client(self, container: str) -> None:
        await self._remove(await self._client(), container)

    def _remove_soon(self, api: docker.APIClient, container: str) -> None:
        """Remove a container whose processes are gone, off the run's critical path."""
        if self._closed:
            return
        task = asyncio.create_task(self._remove(api, container))
        self._removals.add(task)
        task.add_done_callback(self._removals.discard)

    # --- plumbing -----------------------------------------------------------------------

    async def _client(self) -> docker.APIClient:
        if self._closed:
            raise RunnerUnavailableError("The Docker runner is shut down.")
        async with self._connecting:
            if self._api is None:
                try:
                    self._api = await self._call(
                        open_api,
                        self._base_url,
                        timeout=self._api_timeout,
                        max_pool_size=self._max_connections,
                    )
                except EngineUnavailableError as error:
                    raise RunnerUnavailableError(
                        f"No Docker Engine answers ({error}); the Docker runner cannot run."
                    ) from error
            return self._api

    async def _call(self, func: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._calls, partial(func, *args, **kwargs))


async def _settle(ended: asyncio.Future[tuple[int | None, int | None]], sock: AttachSocket) -> None:
    """Wait for a killed run's reader to finish; hang up if the stream lingers."""
    try:
        await asyncio.wait_for(asyncio.shield(ended), _SETTLE_SECONDS)
    except TimeoutError:
        hang_up(sock)
        await ended


def _oom_note(api: docker.APIClient, container: str, limits: Limits) -> str | None:
    try:
        state = api.inspect_container(container)["State"]
    except (DockerException, RequestException):
        return None
    if not state.get("OOMKilled"):
        return None
    return f"killed: out of memory (limit {limits.memory_bytes >> 20} MiB)\n"
