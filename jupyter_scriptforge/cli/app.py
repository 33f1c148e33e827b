"""``jupyter scriptforge``: ScriptForge from a terminal, through a running server's REST API.

Each subcommand is a small JupyterApp (``--help`` on each, traitlets config as
``c.ScriptForgeCommand.<name>``). An error is one line on stderr and a non-zero exit;
``run --follow`` exits with the script's own exit code.
"""

from __future__ import annotations

import signal
import sys
from pathlib import Path
from typing import Any, ClassVar

from jupyter_core.application import JupyterApp
from traitlets import Bool, List, Unicode

from .._version import __version__
from .artifacts import ArtifactsCommand
from .client import Client
from .command import (
    ALIASES,
    FAILED,
    FLAGS,
    INTERRUPTED,
    CommandError,
    ScriptForgeCommand,
    script_of,
    scripts_in,
    when,
)
from .parameters import parameter_values


class ListCommand(ScriptForgeCommand):
    name = "list"
    description = "The scripts you may see: jupyter scriptforge list [FOLDER]"

    def run(self, client: Client) -> None:
        folder = str(self.extra_args[0]) if self.extra_args else None
        scripts = scripts_in(client, folder)
        rows = [
            [str(s["id"]), s["path"], s["interpreter"] or "", s["visibility"], s["owner"]]
            for s in scripts
        ]
        self.show(scripts, rows, ["ID", "PATH", "INTERPRETER", "VISIBILITY", "OWNER"])


class ShowCommand(ScriptForgeCommand):
    name = "show"
    description = "One script's details: jupyter scriptforge show NAME|ID"

    def run(self, client: Client) -> None:
        script = script_of(client, self.argument(0, "NAME"))
        rows = [
            [key, str(script[key])]
            for key in (
                "id",
                "path",
                "description",
                "interpreter",
                "owner",
                "visibility",
                "head_version_id",
                "published_version_id",
            )
        ]
        self.show(script, rows, ["FIELD", "VALUE"])


def version_id_of(client: Client, script: dict[str, Any], seq: str | None) -> int:
    """The id of a script's version by its number (``v3`` or ``3``); its head if None."""
    if not seq:
        if script["head_version_id"] is None:
            raise CommandError(f"{script['name']} has no version yet")
        return int(script["head_version_id"])
    number = int(seq.lstrip("v")) if seq.lstrip("v").isdigit() else -1
    # The newest version before number + 1: that one, if it exists.
    query = {"before": number + 1, "limit": 1}
    versions = client.call("GET", f"scripts/{script['id']}/versions", query=query)
    found = [v for v in versions["items"] if v["seq"] == number]
    if not found:
        raise CommandError(f"{script['name']} has no version {seq}")
    return int(found[0]["id"])


class CatCommand(ScriptForgeCommand):
    name = "cat"
    description = "A script's content: jupyter scriptforge cat NAME|ID [--version N]"
    aliases = {**ALIASES, "version": "CatCommand.version_seq"}
    version_seq = Unicode("", help="The version's number (v3 or 3); default: the head.").tag(
        config=True
    )

    def parse_command_line(self, argv: list[str] | None = None) -> None:
        # traitlets takes any "--version" for "print the program's version and exit": here
        # it names the script's version, as a user writes it.
        argv = list(sys.argv[1:] if argv is None else argv)
        for index, word in enumerate(argv[:-1]):
            if word == "--version":
                argv[index : index + 2] = [f"--CatCommand.version_seq={argv[index + 1]}"]
                break
        super().parse_command_line(argv)

    def run(self, client: Client) -> None:
        script = script_of(client, self.argument(0, "NAME"))
        version_id = version_id_of(client, script, self.version_seq or None)
        sys.stdout.write(client.call("GET", f"versions/{version_id}")["content"])


class RunCommand(ScriptForgeCommand):
    name = "run"
    description = """Run a script's published version: jupyter scriptforge run NAME [ARGS...]
    [--param NAME=VALUE ...] [--follow]. --param gives a value of a parameter the script
    declares (argparse or main); with --follow the output streams here and the command exits
    with the script's exit code; Ctrl-C cancels the run."""
    flags = {
        **FLAGS,
        "follow": ({"RunCommand": {"follow": True}}, "Stream the output until the run ends."),
    }
    aliases = {**ALIASES, "param": "RunCommand.params"}
    follow = Bool(False, help="Stream the output until the run ends.").tag(config=True)
    params = List(
        Unicode(),
        help="Parameter values, NAME=VALUE each (a list: a,b); repeat --param for each.",
    ).tag(config=True, multiplicity="append")

    def run(self, client: Client) -> int:
        script = script_of(client, self.argument(0, "NAME"))
        body: dict[str, Any] = {"script_id": script["id"]}
        args = [str(a) for a in self.extra_args[1:]]
        if self.params:
            if args:
                raise CommandError("give either ARGS or --param values, not both")
            version = script.get("published_version_id")
            found = client.call(
                "GET", f"scripts/{script['id']}/parameters", query={"version": version}
            )
            body["parameters"] = parameter_values(found.get("schema"), list(self.params))
        else:
            body["args"] = args
        run = client.call("POST", "runs", body)
        if not self.follow:
            self.show(run, [[str(run["id"]), run["status"]]], ["RUN", "STATUS"])
            return 0
        return follow_run(client, int(run["id"]))


def follow_run(client: Client, run_id: int) -> int:
    """Stream a run's output to this terminal; → its exit code (Ctrl-C: cancel, 130)."""
    previous = signal.getsignal(signal.SIGINT)
    try:
        signal.signal(signal.SIGINT, signal.default_int_handler)
        end: dict[str, Any] = {}
        for kind, data in client.events(f"runs/{run_id}/events"):
            if kind == "output":
                stream = sys.stderr if data["stream"] == "stderr" else sys.stdout
                stream.write(data["text"])
                stream.flush()
            elif kind == "end":
                end = data
    except KeyboardInterrupt:
        client.call("POST", f"runs/{run_id}/cancel")
        print(f"\nrun {run_id} cancelled", file=sys.stderr)
        return INTERRUPTED
    finally:
        signal.signal(signal.SIGINT, previous)
    if end.get("exit_code") is not None:
        return int(end["exit_code"])
    print(
        f"run {run_id} {end.get('status', 'ended')}: {end.get('error') or ''}".rstrip(": "),
        file=sys.stderr,
    )
    return FAILED


class DiffCommand(ScriptForgeCommand):
    name = "diff"
    description = """What changed between two versions: jupyter scriptforge diff NAME [FROM [TO]]
    (version numbers; default: the one before the head, and the head)."""

    def run(self, client: Client) -> None:
        script = script_of(client, self.argument(0, "NAME"))
        versions = client.call("GET", f"scripts/{script['id']}/versions", query={"limit": 2})
        items = versions["items"]
        if len(self.extra_args) > 1:
            older = version_id_of(client, script, str(self.extra_args[1]))
        elif len(items) == 2:
            older = int(items[1]["id"])
        else:
            raise CommandError(f"{script['name']} has one version only: nothing to compare")
        newer = version_id_of(
            client, script, str(self.extra_args[2]) if len(self.extra_args) > 2 else None
        )
        found = client.call(
            "GET", f"scripts/{script['id']}/diff", query={"from": older, "to": newer}
        )
        sys.stdout.write(found["diff"])


class PublishCommand(ScriptForgeCommand):
    name = "publish"
    description = """Publish a version (what runs and schedules run): jupyter scriptforge publish
    NAME [VERSION] (default: the head)."""

    def run(self, client: Client) -> None:
        script = script_of(client, self.argument(0, "NAME"))
        seq = str(self.extra_args[1]) if len(self.extra_args) > 1 else None
        version_id = version_id_of(client, script, seq)
        done = client.call("POST", f"scripts/{script['id']}/publish", {"version_id": version_id})
        published = done["published"]
        self.show(done, [[script["name"], f"v{published['seq']}"]], ["SCRIPT", "PUBLISHED"])


class PushCommand(ScriptForgeCommand):
    name = "push"
    description = """Save files as new versions of their scripts (a script named as the file, in
    --folder), creating the scripts that do not exist: jupyter scriptforge push PATH..."""
    aliases = {**ALIASES, "folder": "PushCommand.folder", "message": "PushCommand.message"}
    folder = Unicode("", help="The scripts' folder in the catalog; default: none.").tag(config=True)
    message = Unicode("Pushed from the command line", help="The versions' message.").tag(
        config=True
    )

    def run(self, client: Client) -> None:
        if not self.extra_args:
            raise CommandError("PATH is required (see --help)")
        rows, done = [], []
        for path in map(Path, self.extra_args):
            try:
                content = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as error:
                raise CommandError(f"cannot read {path}: {error}") from None
            name = path.stem
            found = [
                s
                for s in scripts_in(client, self.folder)
                if s["name"] == name and s["folder"] == self.folder
            ]
            if found:
                body = {"content": content, "message": self.message}
                version = client.call("POST", f"scripts/{found[0]['id']}/versions", body)
                state = f"v{version['seq']}"
                script_id = found[0]["id"]
            else:
                body = {"name": name, "folder": self.folder, "content": content}
                made = client.call("POST", "scripts", body)
                state, script_id = "new, v1", made["id"]
            rows.append([str(path), str(script_id), state])
            done.append({"path": str(path), "script_id": script_id, "state": state})
        self.show(done, rows, ["FILE", "SCRIPT", "SAVED"])


class PullCommand(ScriptForgeCommand):
    name = "pull"
    description = """Write the published version of every script you may see (or those in
    FOLDER) to files: jupyter scriptforge pull [FOLDER] [--to DIR]"""
    aliases = {**ALIASES, "to": "PullCommand.to"}
    to = Unicode(".", help="The folder the files go to (<folder>/<name>.py in it).").tag(
        config=True
    )

    def run(self, client: Client) -> None:
        folder = str(self.extra_args[0]) if self.extra_args else None
        target = Path(self.to).resolve()
        rows, written = [], []
        for script in scripts_in(client, folder):
            if script["published_version_id"] is None:
                continue  # nothing published to pull
            path = target.joinpath(*script["folder"].split("/"), f"{script['name']}.py")
            if target not in path.resolve().parents:
                raise CommandError(f"{script['folder']}/{script['name']} would leave {target}")
            content = client.call("GET", f"versions/{script['published_version_id']}")["content"]
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(content, encoding="utf-8")
            rows.append([str(path), str(script["id"])])
            written.append({"path": str(path), "script_id": script["id"]})
        self.show(written, rows, ["FILE", "SCRIPT"])


class GroupRunCommand(ScriptForgeCommand):
    name = "run"
    description = """Run a group: jupyter scriptforge group run NAME [--follow]. With --follow,
    wait for its scripts and exit 0 if all succeeded, else 1."""
    flags = {
        **FLAGS,
        "follow": ({"GroupRunCommand": {"follow": True}}, "Wait until the group run ends."),
    }
    follow = Bool(False, help="Wait until the group run ends.").tag(config=True)

    def run(self, client: Client) -> int:
        reference = self.argument(0, "NAME")
        groups = client.call("GET", "groups")["groups"]
        found = [g for g in groups if g["name"] == reference or str(g["id"]) == reference]
        if not found:
            raise CommandError(f"there is no group {reference!r}")
        run = client.call("POST", "runs", {"group_id": found[0]["id"]})
        if not self.follow:
            self.show(run, [[str(run["id"]), run["status"]]], ["RUN", "STATUS"])
            return 0
        for _ in client.events(f"runs/{run['id']}/events"):
            pass  # the group's own stream ends when the group run does
        done = client.call("GET", f"runs/{run['id']}")
        children = done.get("children") or []
        rows = [[str(c["id"]), str(c["script_id"]), c["status"]] for c in children]
        self.show(done, rows, ["RUN", "SCRIPT", "STATUS"])
        return 0 if done["status"] == "succeeded" else FAILED


class RunsCommand(ScriptForgeCommand):
    name = "runs"
    description = "Your latest runs: jupyter scriptforge runs [NAME]"

    def run(self, client: Client) -> None:
        query: dict[str, Any] = {"limit": 50}
        if self.extra_args:
            query["script_id"] = script_of(client, self.extra_args[0])["id"]
        runs = client.call("GET", "runs", query=query)["runs"]
        rows = [
            [
                str(r["id"]),
                r["status"],
                str(r["exit_code"] if r["exit_code"] is not None else ""),
                str(r["script_id"] or r["group_id"] or ""),
                when(r["created_at"]),
                f"schedule {r['schedule_id']}" if r.get("schedule_id") else "",
                str(r["artifact_files"] or ""),
            ]
            for r in runs
        ]
        self.show(runs, rows, ["RUN", "STATUS", "EXIT", "SCRIPT", "CREATED", "BY", "FILES"])


class VersionsCommand(ScriptForgeCommand):
    name = "versions"
    description = "A script's versions, newest first: jupyter scriptforge versions NAME|ID"

    def run(self, client: Client) -> None:
        script = script_of(client, self.argument(0, "NAME"))
        versions = client.call("GET", f"scripts/{script['id']}/versions", query={"limit": 200})
        items = versions["items"]
        rows = [
            [
                f"v{v['seq']}",
                str(v["id"]),
                v["author"],
                when(v["created_at"]),
                ",".join(v.get("labels") or []),
                v.get("message") or "",
            ]
            for v in items
        ]
        self.show(items, rows, ["VERSION", "ID", "AUTHOR", "SAVED", "LABELS", "MESSAGE"])


class ScheduleListCommand(ScriptForgeCommand):
    name = "list"
    description = "Your schedules: jupyter scriptforge schedule list"

    def run(self, client: Client) -> None:
        schedules = client.call("GET", "schedules")["schedules"]
        rows = [
            [
                str(s["id"]),
                s["name"],
                s["cron"],
                s["timezone"],
                "active" if s["active"] else "paused",
                when((s["next"] or [None])[0]),
            ]
            for s in schedules
        ]
        self.show(schedules, rows, ["ID", "NAME", "CRON", "ZONE", "STATE", "NEXT"])


class ScheduleAddCommand(ScriptForgeCommand):
    name = "add"
    description = """Schedule a script's published version: jupyter scriptforge schedule add
    NAME "CRON" [--timezone ZONE] [--missed skip|once]"""
    aliases = {
        **ALIASES,
        "timezone": "ScheduleAddCommand.timezone",
        "missed": "ScheduleAddCommand.missed",
    }
    timezone = Unicode("UTC", help="The IANA time zone the expression is read in.").tag(config=True)
    missed = Unicode("skip", help="Fire times missed while no server ran: skip, or once.").tag(
        config=True
    )

    def run(self, client: Client) -> None:
        script = script_of(client, self.argument(0, "NAME"))
        body = {
            "script_id": script["id"],
            "cron": self.argument(1, "CRON"),
            "timezone": self.timezone,
            "missed": self.missed,
        }
        made = client.call("POST", "schedules", body)
        rows = [[str(made["id"]), made["name"], when(time)] for time in made["next"]]
        self.show(made, rows, ["ID", "NAME", "NEXT"])


class SchedulePauseCommand(ScriptForgeCommand):
    name = "pause"
    description = "Pause a schedule: jupyter scriptforge schedule pause ID"
    active: ClassVar[bool] = False

    def run(self, client: Client) -> None:
        schedule_id = self.argument(0, "ID")
        changed = client.call("PATCH", f"schedules/{schedule_id}", {"active": self.active})
        state = "active" if changed["active"] else "paused"
        self.show(changed, [[str(changed["id"]), changed["name"], state]], ["ID", "NAME", "STATE"])


class ScheduleResumeCommand(SchedulePauseCommand):
    name = "resume"
    description = "Resume a paused schedule: jupyter scriptforge schedule resume ID"
    active: ClassVar[bool] = True


class _Subcommands(JupyterApp):
    """A command that only chooses among its subcommands."""

    def start(self) -> None:
        if self.subapp is not None:
            self.subapp.start()
            return
        self.print_subcommands()
        self.exit(FAILED)


class GroupCommand(_Subcommands):
    name = "group"
    description = "Groups: run"
    subcommands = {"run": (GroupRunCommand, GroupRunCommand.description)}


class ScheduleCommand(_Subcommands):
    name = "schedule"
    description = "Schedules: list, add, pause, resume"
    subcommands = {
        "list": (ScheduleListCommand, ScheduleListCommand.description),
        "add": (ScheduleAddCommand, ScheduleAddCommand.description),
        "pause": (SchedulePauseCommand, SchedulePauseCommand.description),
        "resume": (ScheduleResumeCommand, ScheduleResumeCommand.description),
    }


class ScriptForgeCommandLine(_Subcommands):
    name = "jupyter-scriptforge"
    version = __version__
    description = """ScriptForge from a terminal: list, show and run scripts, follow runs,
    manage schedules — through a running Jupyter server's REST API."""
    examples = """
    jupyter scriptforge list
    jupyter scriptforge run sales/report --follow
    jupyter scriptforge schedule add sales/report "30 2 * * *" --timezone Europe/Berlin
    """
    subcommands = {
        command.name: (command, command.description)
        for command in (
            ListCommand,
            ShowCommand,
            CatCommand,
            VersionsCommand,
            DiffCommand,
            PushCommand,
            PullCommand,
            PublishCommand,
            RunCommand,
            RunsCommand,
            ArtifactsCommand,
            GroupCommand,
            ScheduleCommand,
        )
    }


main = launch_new_instance = ScriptForgeCommandLine.launch_instance
