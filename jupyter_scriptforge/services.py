"""The server's services: built once from the settings (``build_services``, which the server
and the tests share) and reached by type — handlers through ``ScriptForgeHandler.services``,
anything else holding the Tornado settings through ``services_of``."""

from __future__ import annotations

import getpass
import os
import socket
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from functools import partial
from pathlib import Path
from typing import Any, cast

from jupyter_core.paths import jupyter_config_path, jupyter_runtime_dir
from jupyter_events import EventLogger

from ._async import run_blocking
from .artifacts.folders import ArtifactFolders, Caps
from .artifacts.service import ArtifactService
from .assistant.model import JupyterAIModels
from .assistant.service import AssistantService
from .audit import SCHEMA_PATH, AuditEntry, AuditLog
from .catalog.background import CatalogBackground
from .catalog.service import CatalogService
from .catalog.workingcopy import WorkingCopies
from .config import ScriptForgeConfig
from .db.audit_store import AuditStore
from .db.engine import database_status, make_engine, sqlite_folder_of
from .db.hold_store import HoldStore
from .db.migrate import upgrade
from .db.pin_store import PinStore
from .db.run_store import RunStore
from .db.schedule_store import ScheduleStore
from .db.store import Store
from .environments.cache import EnvironmentCache
from .environments.in_image import ImageUv
from .environments.resolver import Resolver
from .environments.scripts import ScriptDependencies
from .environments.service import EnvironmentService
from .errors import InvalidInput, NotFound
from .execution.docker_engine import interpreter_images
from .execution.groups import GroupService
from .execution.interpreters import InterpreterImage, InterpreterRegistry
from .execution.run_settings import RunSettings
from .execution.runners.base import Limits, Runner
from .execution.runners.isolation import choose_isolation, describe
from .execution.runners.local import LocalRunner
from .execution.runners.user_ids import uid_range_of
from .execution.service import RunService
from .fair_slots import FairSlots
from .guardrails import GuardrailService
from .guardrails.holds import GuardrailHolds
from .guardrails.reviews import GuardrailReviews
from .guardrails.runtime import REFUSAL_MARK, RuntimeScope, runtime_rules
from .health import HealthService
from .lsp.editor_sessions import EditorSessions
from .lsp.manager import LanguageServers
from .lsp.placement import DocumentPlacement
from .lsp.service import LanguageService
from .lsp.starter import ServerStarter
from .lsp.tools import LanguageTools
from .notifications.run_ends import RunEnds
from .notifications.webhooks import WebhookSender, webhooks_of
from .parameters.service import ParameterService
from .rights import Actor
from .schedules.owners import ActorOf, HubOwners, server_owner
from .schedules.service import ScheduleService
from .schedules.ticker import ScheduleTicker
from .versions.service import VersionService

# The one key of the Tornado settings that ScriptForge uses.
SETTINGS_KEY = "scriptforge"


@dataclass(frozen=True)
class Services:
    """Everything a request may need, and whose user the server runs for."""

    server_user: str
    store: Store
    catalog: CatalogService
    versions: VersionService
    background: CatalogBackground
    interpreters: InterpreterRegistry
    groups: GroupService
    runs: RunService
    audit: AuditLog
    holds: GuardrailHolds
    assistant: AssistantService
    guardrails: GuardrailService
    reviews: GuardrailReviews
    health: HealthService
    parameters: ParameterService
    dependencies: ScriptDependencies
    language_servers: LanguageServers
    language: LanguageService
    lsp_placement: DocumentPlacement
    editor_sessions: EditorSessions
    schedules: ScheduleService
    schedule_ticker: ScheduleTicker
    webhooks: WebhookSender
    run_ends: RunEnds
    artifacts: ArtifactService

    async def close(self) -> None:
        """Stop firing schedules; end the runs, the language servers, the background scans
        and the analysis workers; close the store."""
        await self.schedule_ticker.stop()
        await self.editor_sessions.close()
        await self.language_servers.close()
        await self.runs.close()
        await self.webhooks.close()
        await self.background.stop()
        await run_blocking(self.guardrails.close)
        await run_blocking(self.store.close)


def services_of(settings: Mapping[str, Any]) -> Services:
    """The services in a server's Tornado settings."""
    services = settings[SETTINGS_KEY]
    if not isinstance(services, Services):
        raise TypeError(f"settings[{SETTINGS_KEY!r}] holds {type(services).__name__}")
    return services


def build_services(
    config: ScriptForgeConfig,
    root_dir: Path,
    *,
    server_user: str | None = None,
    event_logger: EventLogger | None = None,
    chat_settings: Callable[[], Mapping[str, Any]] = dict,
    runners: Mapping[str, Runner] | None = None,
    interpreters: InterpreterRegistry | None = None,
) -> Services:
    """Every service, wired as ``config`` says, for a server whose root is ``root_dir``.

    Blocking: migrates the store first, so that nothing sees an old schema.
    ``server_user`` defaults to JupyterHub's user or else the process's; ``chat_settings``
    returns the Tornado settings Jupyter AI keeps its model choice in. ``runners`` and
    ``interpreters`` replace the configured ones (tests bring a runner of their own).
    """
    server_user = server_user or os.environ.get("JUPYTERHUB_USER") or getpass.getuser()
    instance = config.runs_instance or _instance_name(server_user)
    engine = make_engine(config.db_url)
    upgrade(engine)
    store = config.store_class(engine)
    versions = VersionService(store, max_script_bytes=config.max_script_bytes)
    catalog = CatalogService(store, versions, WorkingCopies(root_dir, config.scripts_dir))
    background = CatalogBackground(catalog, server_user, config.scan_interval)
    # A new head saved through the API: the working copy follows, the index catches up.
    catalog.on_head_moved(background.head_moved)
    if interpreters is None:
        interpreters = InterpreterRegistry(
            config.interpreters,
            config.discover_interpreters,
            images=partial(_interpreter_images, config.docker_url or None),
        )
    if runners is None:
        runners = _runners(config, instance)
    if event_logger is not None:
        event_logger.register_event_schema(SCHEMA_PATH)
    audit = AuditLog(AuditStore(store), event_logger)
    holds = GuardrailHolds(HoldStore(store))
    guardrails = _guardrails(config, interpreters)
    run_store = RunStore(store)
    parameters = ParameterService(catalog, versions)
    environments = EnvironmentService(
        PinStore(store),
        EnvironmentCache(Path(config.env_cache_dir), config.env_cache_bytes),
        Resolver(index_url=config.package_index_url or None),
        ImageUv(
            Path(config.env_cache_dir).with_name("uv-cache"),
            docker_url=config.docker_url or None,
            index_url=config.package_index_url or None,
        ),
    )
    groups = GroupService(run_store, catalog, parameters, config.max_run_timeout)
    webhooks = WebhookSender(
        webhooks_of(config.webhooks),
        partial(_script_name, catalog),
        attempts=config.webhook_attempts,
        first_delay=config.webhook_retry_seconds,
    )
    run_ends = RunEnds()
    artifact_folders = ArtifactFolders(
        Path(config.artifacts_dir),
        Caps(
            run_bytes=config.artifact_run_bytes,
            run_files=config.artifact_run_files,
            total_bytes=config.artifact_total_bytes,
            retention_days=config.artifact_retention_days,
        ),
    )
    runs = RunService(
        run_store,
        catalog,
        versions,
        groups,
        interpreters,
        runners,
        FairSlots(config.max_runs, config.max_runs_per_user or config.max_runs),
        RunSettings(
            instance=instance,
            default_runner=config.default_runner,
            limits=_limits(config),
            user_limits={
                user: _limits(config, overrides) for user, overrides in config.user_limits.items()
            },
            max_timeout_seconds=config.max_run_timeout,
            max_output_chars=config.max_output_chars,
            runtime_scope=cast(RuntimeScope, config.runtime_policy),
            runtime_rules=runtime_rules(guardrails.policy),
        ),
        holds,
        on_refusals=partial(_audit_refusals, audit),
        environments=environments,
        on_ended=partial(_tell, (webhooks.run_ended, run_ends.run_ended)),
        artifacts=artifact_folders,
    )
    language_servers = LanguageServers(
        root_dir,
        interpreters.get,
        ServerStarter(
            _language_tools(config),
            root_dir,
            instance,
            config.docker_url or None,
            packages_dir=Path(config.env_cache_dir),
        ),
        idle_timeout=config.lsp_idle_timeout,
        max_servers=config.lsp_max_servers,
    )
    lsp_placement = DocumentPlacement(
        root_dir, partial(_interpreter_of_file, catalog, interpreters, server_user)
    )
    editor_sessions = EditorSessions(language_servers, lsp_placement)
    # A script's interpreter changed: its open editors move to that interpreter's server.
    catalog.on_script_changed(lambda info: editor_sessions.follow(info.path))
    language = LanguageService(language_servers)
    assistant = AssistantService(
        JupyterAIModels(chat_settings, config.assistant_model, config.assistant_timeout),
        catalog,
        versions,
        runs,
        interpreters,
        # Secrets never leave the server; generated code comes with its report.
        prompt_filter=guardrails.redaction,
        analyze=guardrails.report,
        audit=audit.record,
        hold=holds.hold,
        # Its proposals come with what the interpreter's language server finds in them.
        diagnose=partial(_diagnostics, language),
    )
    schedule_store = ScheduleStore(store)
    schedule_owners = _schedule_owners(server_user)
    local = runners.get("local")
    return Services(
        server_user=server_user,
        store=store,
        catalog=catalog,
        versions=versions,
        background=background,
        interpreters=interpreters,
        groups=groups,
        runs=runs,
        audit=audit,
        holds=holds,
        assistant=assistant,
        guardrails=guardrails,
        reviews=GuardrailReviews(guardrails, holds, audit.record),
        health=HealthService(
            partial(database_status, engine),
            interpreters,
            docker_url=config.docker_url or None,
            local_sandbox=local.sandbox() if isinstance(local, LocalRunner) else None,
            language_servers=language_servers.statuses,
            environments=environments.cache,
        ),
        parameters=parameters,
        dependencies=ScriptDependencies(
            catalog, interpreters, environments, on_ready=language_servers.add_packages
        ),
        language_servers=language_servers,
        language=language,
        lsp_placement=lsp_placement,
        editor_sessions=editor_sessions,
        schedules=ScheduleService(
            schedule_store,
            partial(_check_schedule_target, catalog, groups),
            schedule_owners,
            min_seconds=config.schedule_min_seconds,
            max_run_timeout=config.max_run_timeout,
        ),
        schedule_ticker=ScheduleTicker(
            schedule_store,
            runs.submit,
            schedule_owners,
            partial(_check_schedule_target, catalog, groups),
            instance=instance,
            tick_seconds=config.schedule_tick_seconds,
            grace_seconds=config.schedule_grace_seconds,
            max_run_timeout=config.max_run_timeout,
        ),
        webhooks=webhooks,
        run_ends=run_ends,
        artifacts=ArtifactService(artifact_folders, runs.get),
    )


def _tell(
    listeners: tuple[Callable[[dict[str, Any], str], None], ...], run: dict[str, Any], tail: str
) -> None:
    for listener in listeners:
        listener(run, tail)


async def _script_name(catalog: CatalogService, script_id: int) -> str | None:
    try:
        return (await catalog.get(script_id, None)).name
    except NotFound:
        return None


async def _check_schedule_target(
    catalog: CatalogService, groups: GroupService, actor: Actor, run: Mapping[str, Any]
) -> None:
    """404 unless ``actor`` may see what a schedule runs (a deleted script is gone); 400 for
    a script that would run its published version and has none. Checked when a schedule is
    made or changed, and again at each fire."""
    if "group_id" in run:
        await groups.group_of(actor.name, int(run["group_id"]))
        return
    script = await catalog.get(int(run["script_id"]), actor.name)
    if script.deleted_at is not None:
        raise NotFound(f"There is no script {script.id} any more: {script.name!r} was deleted.")
    if "version_id" in run:
        await catalog.version_of(script.id, int(run["version_id"]), actor.name)
    elif script.published_version_id is None:
        raise InvalidInput(
            f"{script.name!r} has no published version: publish one, or give version_id.",
            field="version_id",
        )


def _schedule_owners(server_user: str) -> ActorOf:
    """How schedules' owners act at fire time: the hub says, for the team's service (a
    JupyterHub service, which has the hub's API); alone, the server's one user."""
    api_url = os.environ.get("JUPYTERHUB_API_URL")
    token = os.environ.get("JUPYTERHUB_API_TOKEN")
    if os.environ.get("JUPYTERHUB_SERVICE_NAME") and api_url and token:
        return HubOwners(api_url, token)
    return server_owner(server_user)


async def _interpreter_of_file(
    catalog: CatalogService, interpreters: InterpreterRegistry, viewer: str, api_path: str
) -> str | None:
    """A script's own interpreter; the default one for any other file."""
    page = await catalog.list(viewer, path=api_path, limit=1)
    if page.items and page.items[0].interpreter:
        return page.items[0].interpreter
    default = await interpreters.default()
    return default.name if default is not None else None


async def _diagnostics(
    language: LanguageService, code: str, interpreter: str
) -> list[dict[str, Any]]:
    return [found.to_dict() for found in await language.diagnostics(code, interpreter)]


def _language_tools(config: ScriptForgeConfig) -> LanguageTools:
    return LanguageTools(
        Path(config.lsp_tools_dir),
        index_url=config.lsp_package_index_url or None,
        offline=config.lsp_offline,
    )


def _guardrails(config: ScriptForgeConfig, interpreters: InterpreterRegistry) -> GuardrailService:
    return GuardrailService(
        denied_imports=config.guardrail_denied_imports,
        denied_calls=config.guardrail_denied_calls,
        allowed=config.guardrail_allowed,
        bandit_skips=config.guardrail_bandit_skips,
        max_content_bytes=config.max_script_bytes,
        max_prompt_chars=config.max_prompt_chars,
        # Code in newer syntax is parsed by the newest CPython the server knows of.
        interpreters=interpreters.known,
        workers=config.analysis_workers,
        per_user=config.analysis_per_user,
        timeout=config.analysis_timeout,
    )


def _limits(config: ScriptForgeConfig, overrides: Mapping[str, float] | None = None) -> Limits:
    """The runs' limits, or one user's: ``overrides`` (checked by the config) over them."""
    limits = Limits(
        timeout_seconds=config.run_timeout,
        cpu_seconds=config.run_cpu_seconds,
        memory_bytes=config.run_memory_bytes,
        processes=config.run_processes,
        file_bytes=config.run_file_bytes,
        open_files=config.run_open_files,
        cpus=config.run_cpus,
    )
    return Limits(**{**asdict(limits), **(overrides or {})})


def _runners(config: ScriptForgeConfig, instance: str) -> dict[str, Runner]:
    # Wherever Jupyter reads its config (which may hold the store's password) included.
    hidden = [str(Path.home()), jupyter_runtime_dir(), *jupyter_config_path()]
    # Every user's kept files: a group item reads only its earlier items' (bound anew).
    # Hidden only if it exists, so made now.
    Path(config.artifacts_dir).mkdir(parents=True, exist_ok=True, mode=0o700)
    hidden += [*config.hidden_paths, config.artifacts_dir]
    sqlite_folder = sqlite_folder_of(config.db_url)
    if sqlite_folder is not None:
        hidden.append(sqlite_folder)
    isolation = choose_isolation(config.local_isolation)
    for advice in describe(isolation).advice:
        config.log.warning("ScriptForge's local runner: %s", advice)
    local = config.local_runner_class(
        isolation,
        hidden,
        config.local_first_uid or uid_range_of(instance),
        network=config.local_network,
        launcher_folder=str(Path(jupyter_runtime_dir(), "scriptforge")),
        warm_sandboxes=config.local_warm_sandboxes,
    )
    docker = config.docker_runner_class(
        instance,
        base_url=config.docker_url or None,
        pool_size=config.warm_pool_size,
        pool_limits=_limits(config),
        network_mode=config.docker_network,
        tmpfs_bytes=config.run_file_bytes,
    )
    return {"local": local, "docker": docker}


async def _interpreter_images(docker_url: str | None) -> list[InterpreterImage]:
    return await run_blocking(interpreter_images, docker_url)


async def _audit_refusals(audit: AuditLog, user: str, run_id: int, refused: list[str]) -> None:
    """One audit record per guarded run the runtime policy refused something in."""
    rules = sorted({line.removeprefix(REFUSAL_MARK).split()[0] for line in refused})
    await audit.record(
        AuditEntry(
            user=user,
            action="runtime_refused",
            model="",
            prompt="",
            response="\n".join(refused),
            verdict="blocked",
            details={"run_id": run_id, "rules": rules},
        )
    )


def _instance_name(user: str) -> str:
    """Stable across restarts, distinct between servers that may share a store."""
    if "JUPYTERHUB_USER" in os.environ:
        # The hub runs one server per user and server name; its host (a container) is new
        # after every restart.
        return f"{user}/{os.environ.get('JUPYTERHUB_SERVER_NAME', '')}"
    return f"{user}@{socket.gethostname()}"
