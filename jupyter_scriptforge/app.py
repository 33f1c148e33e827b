"""ScriptForgeApp: the jupyter-server extension — its settings (``ScriptForgeConfig``), its
services wired into the server, and their start and stop."""

import asyncio
import gc
import logging
from collections.abc import Awaitable, Callable
from functools import partial
from pathlib import Path

from jupyter_server.extension.application import ExtensionApp

from . import api
from ._async import once
from ._signals import restore_interrupt, stop_on_interrupt
from .api.editor_socket import EditorSocket, serve_before_jupyter_lsp
from .api.language import editor_socket_refusal
from .assistant.service import AssistantService
from .config import ScriptForgeConfig
from .execution.runners.docker import DockerRunner
from .services import SETTINGS_KEY, build_services, services_of


class ScriptForgeApp(ExtensionApp, ScriptForgeConfig):
    """ScriptForge inside a Jupyter server: catalog, versions, runs and the assistant."""

    name = "jupyter_scriptforge"
    description = __doc__

    def initialize_settings(self) -> None:
        serverapp = self.serverapp
        assert serverapp is not None, "ScriptForge runs inside a Jupyter server"
        services = build_services(
            self,
            Path(serverapp.root_dir),
            event_logger=serverapp.event_logger,
            chat_settings=lambda: serverapp.web_app.settings,
        )
        self.settings[SETTINGS_KEY] = services
        stop_on_interrupt(serverapp)
        serverapp.contents_manager.register_post_save_hook(services.background.post_save)  # type: ignore[no-untyped-call]
        services.guardrails.warm_up()  # in-process analyses: bandit's plugins load now
        _offer_the_chat_persona(services.assistant, services.server_user, self.log)
        self.log.info(
            "ScriptForge store: %s", services.store.engine.url.render_as_string(hide_password=True)
        )
        interrupted = services.runs.recover_sync()
        if interrupted:
            self.log.warning("ScriptForge: %d runs were cut short by a restart", interrupted)

    def initialize_handlers(self) -> None:
        self.handlers.extend(api.handlers())
        serverapp = self.serverapp
        assert serverapp is not None
        services = services_of(self.settings)
        socket = EditorSocket(
            services.editor_sessions, partial(editor_socket_refusal, services.server_user)
        )
        serve_before_jupyter_lsp(serverapp.web_app, serverapp.base_url, socket)

    async def _start_jupyter_server_extension(self, serverapp: object) -> None:
        services = services_of(self.settings)
        services.background.start()
        docker = services.runs.runner("docker")
        if isinstance(docker, DockerRunner):
            # Warm containers for every interpreter image found, before the first run.
            docker.warm_images = [i.image for i in await services.interpreters.list() if i.image]
        await services.runs.start()
        services.schedule_ticker.start()
        if self.freeze_startup_heap:
            # Every extension was loaded by now: what they hold lives as long as the server.
            asyncio.get_running_loop().call_soon(_freeze_heap, self.log)

    async def stop_extension(self) -> None:
        if SETTINGS_KEY not in self.settings:
            return  # never wired: the server stopped while starting
        if self._stop_once is None:
            self._stop_once = once(self._stop_services)
        await self._stop_once()

    _stop_once: Callable[[], Awaitable[None]] | None = None

    async def _stop_services(self) -> None:
        try:
            await services_of(self.settings).close()
        finally:
            restore_interrupt(self.serverapp)


def _freeze_heap(log: logging.Logger) -> None:
    gc.collect()
    gc.freeze()
    log.debug("ScriptForge: %d objects left out of garbage collection", gc.get_freeze_count())


def _offer_the_chat_persona(assistant: AssistantService, user: str, log: logging.Logger) -> None:
    """Let the ScriptForge persona of Jupyter AI's chat answer through this server's assistant."""
    try:
        from .assistant.persona import ScriptForgePersona
    except ImportError as error:  # Jupyter AI's chat is not installed: no persona, no harm
        log.info("ScriptForge: no chat persona (%s)", error)
        return
    ScriptForgePersona.assistant = assistant
    ScriptForgePersona.user = user
