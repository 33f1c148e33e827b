"""What a script run executes, settled when it is submitted: the script's version (published,
head, the working copy snapshotted, or one chosen), its content checked against the
guardrails' holds, the lines its user wrote for the runtime policy, the interpreter, the
runner and the limits — a ``RunSpec``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import NamedTuple

from .._async import run_blocking
from ..catalog.service import CatalogService, ScriptInfo
from ..environments.service import EnvironmentService, Need
from ..errors import InvalidInput, NotFound, Unprocessable
from ..guardrails.holds import GuardrailHolds
from ..guardrails.runtime import UserLines, is_assistants, is_guarded
from ..parameters.reader import read_parameters
from ..parameters.values import argv_of, check_values, main_call
from ..versions.service import VersionInfo, VersionService
from .interpreters import Interpreter, InterpreterRegistry
from .run_requests import RunRequest
from .run_settings import RunSettings
from .runners.base import Runner, RunSpec

# How far back a guarded run looks for the version its user wrote.
_ANCESTORS_LOOKED_AT = 20


class PreparedRun(NamedTuple):
    spec: RunSpec
    runner: Runner
    version_id: int
    # The environment its declared dependencies need, prepared before it runs.
    need: Need | None = None


class RunPreparation:
    def __init__(
        self,
        catalog: CatalogService,
        versions: VersionService,
        interpreters: InterpreterRegistry,
        runners: Mapping[str, Runner],
        settings: RunSettings,
        holds: GuardrailHolds | None = None,
        environments: EnvironmentService | None = None,
    ) -> None:
        self._catalog = catalog
        self._versions = versions
        self._interpreters = interpreters
        self._runners = runners
        self._holds = holds
        self._environments = environments
        self.settings = settings

    async def prepare(
        self,
        user: str,
        script_id: int,
        request: RunRequest,
        timeout_seconds: float | None,
        args: list[str] | None = None,
    ) -> PreparedRun:
        """The spec of a script run (with ``run_id`` holding the script id for now)."""
        script, version_id, content, guard = await run_blocking(
            self._resolve_sync, user, script_id, request.source, request.version_id
        )
        main_call = None
        if request.parameters is not None:
            args, main_call = await run_blocking(_passing, content, request.parameters)
        interpreter = await self.interpreter(request.interpreter or script.interpreter)
        need = None
        if self._environments is not None and "# /// script" in content:
            need = await run_blocking(self._environments.needs_of, content, version_id, interpreter)
        runner = self.runner_for(interpreter, request.runner)
        limits = self.settings.limits_of(user)
        limits = replace(limits, timeout_seconds=timeout_seconds or limits.timeout_seconds)
        spec = RunSpec(
            run_id=script_id,
            content=content,
            interpreter=interpreter,
            args=tuple(request.args if args is None else args),
            env=request.env,
            limits=limits,
            user=user,
            runtime_rules=self.settings.runtime_rules if guard is not None else (),
            runtime_user_lines=guard.lines if guard is not None else (),
            runtime_seccomp=not guard.starts_programs if guard is not None else True,
            main_call=main_call,
        )
        return PreparedRun(spec, runner, version_id, need)

    def _resolve_sync(
        self, user: str, script_id: int, source: str | None, version_id: int | None
    ) -> tuple[ScriptInfo, int, str, UserLines | None]:
        """The script, the version a run of it executes, that version's content, and, if
        the runtime policy guards the run, the lines its user wrote."""
        if source == "working_copy":
            script = self._catalog.snapshot_working_copy_sync(
                script_id, user, "Run from the editor"
            )
        else:
            script = self._catalog.get_sync(script_id, user)
            if script.deleted_at is not None:
                # Seen (to restore it), not run: a deleted script is gone from the catalog.
                raise NotFound(f"Script {script.name!r} is deleted; restore it first.")
        if version_id is None:
            if source in ("head", "working_copy") or script.published_version_id is None:
                version_id = script.head_version_id
            else:
                version_id = script.published_version_id
        if version_id is None:
            raise Unprocessable(f"Script {script.name!r} has no content yet: save it first.")
        version, content = self._versions.get_sync(version_id)
        if version.script_id != script_id:
            raise InvalidInput(f"Version {version_id} is not a version of script {script_id}.")
        if self._holds is not None:
            self._holds.check_sync(content, version.author, f"v{version.seq} of {script.name!r}")
        if not is_guarded(self.settings.runtime_scope, version.author, by_assistant=False):
            return script, version_id, content, None
        return script, version_id, content, UserLines.between(content, self._users_own(version))

    def _users_own(self, version: VersionInfo) -> str | None:
        """The content of the nearest version before ``version`` its user wrote, if any."""
        parent_id = version.parent_id if is_assistants(version.author) else None
        for _ in range(_ANCESTORS_LOOKED_AT):
            if parent_id is None:
                return None
            parent, content = self._versions.get_sync(parent_id)
            if not is_assistants(parent.author):
                return content
            parent_id = parent.parent_id
        return None

    async def interpreter(self, name: str | None) -> Interpreter:
        if name is None:
            found = await self._interpreters.default()
            if found is None:
                raise Unprocessable("This server has no Python interpreter to run scripts with.")
            return found
        found = await self._interpreters.get(name)
        if found is None:
            known = ", ".join(i.name for i in await self._interpreters.list())
            raise Unprocessable(f"There is no interpreter {name!r} here. Known: {known}.")
        return found

    def runner_for(self, interpreter: Interpreter, name: str | None) -> Runner:
        if name is not None:
            runner = self._runners.get(name)
            if runner is None:
                raise Unprocessable(
                    f"There is no runner {name!r} here. Runners: {', '.join(self._runners)}."
                )
            if not runner.supports(interpreter):
                raise Unprocessable(f"The {name} runner cannot run {interpreter.name}.")
            return runner
        preferred = self._runners.get(self.settings.default_runner)
        if preferred is not None and preferred.supports(interpreter):
            return preferred
        for runner in self._runners.values():
            if runner.supports(interpreter):
                return runner
        raise Unprocessable(f"No runner here can run {interpreter.name}.")


def _passing(content: str, values: dict[str, object]) -> tuple[list[str], str | None]:
    """How ``values`` reach the parameters ``content`` declares: the command line its parser
    reads, or (no arguments and) the call of its ``main``."""
    parameters = read_parameters(content)
    if parameters is None:
        raise InvalidInput("This version declares no parameters ScriptForge can read: give args.")
    check_values(parameters, values)
    if parameters.style == "main":
        return [], main_call(parameters, values)
    return argv_of(parameters, values), None
