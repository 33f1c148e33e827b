"""ScriptForgeConfig: everything a deployment sets (``c.ScriptForgeApp.<name>``), apart from
the server extension that reads it, so that ``build_services`` and the tests wire from the
same settings."""

import os
from typing import Any

from jupyter_core.paths import jupyter_data_dir
from traitlets import (
    Bool,
    Dict,
    Enum,
    Float,
    Int,
    List,
    TraitError,
    Type,
    Unicode,
    default,
    validate,
)
from traitlets.config import LoggingConfigurable

from .db.engine import default_db_url
from .db.store import Store
from .execution.runners.base import USER_LIMIT_NAMES
from .execution.runners.docker import DockerRunner
from .execution.runners.local import LocalRunner
from .guardrails import DEFAULT_DENIED_CALLS, DEFAULT_DENIED_IMPORTS


class ScriptForgeConfig(LoggingConfigurable):
    """ScriptForge's settings. ``ScriptForgeApp`` inherits them, so they are configured as
    ``ScriptForgeApp.<name>`` (this class's own name works too)."""

    db_url = Unicode(
        help="""SQLAlchemy URL of the ScriptForge store.

        Defaults to the ``SCRIPTFORGE_DB_URL`` environment variable, or else to a SQLite
        file ``scriptforge/scriptforge.db`` in the Jupyter data directory. In team mode,
        every user server points at the same PostgreSQL database, e.g.
        ``postgresql+psycopg://scriptforge@db.example/scriptforge``.
        """,
    ).tag(config=True)

    @default("db_url")
    def _default_db_url(self) -> str:
        return os.environ.get("SCRIPTFORGE_DB_URL") or default_db_url(jupyter_data_dir())

    scripts_dir = Unicode(
        "scripts",
        help="""Folder, relative to the server root, that holds the scripts' working copies.

        Defaults to ``scripts``: a script ``report`` in folder ``sales`` is edited as
        ``scripts/sales/report.py``.
        """,
    ).tag(config=True)

    max_script_bytes = Int(
        1 << 20,
        help="Largest script content accepted, in bytes. Defaults to 1 MiB.",
    ).tag(config=True)

    scan_interval = Float(
        10.0,
        help="""Seconds between scans of the scripts folder for files edited outside Jupyter.

        A scan also runs at start-up. Defaults to 10; 0 scans only at start-up.
        """,
    ).tag(config=True)

    interpreters = Dict(
        key_trait=Unicode(),
        value_trait=Unicode(),
        help="""Interpreters to offer by name, as ``{name: path to the executable}``.

        They come first; interpreters found on this machine (``PATH`` and pyenv versions)
        are added after them unless ``discover_interpreters`` is False.
        """,
    ).tag(config=True)

    discover_interpreters = Bool(
        True,
        help="Look for Python interpreters on PATH and in pyenv's versions. Defaults to True.",
    ).tag(config=True)

    docker_url = Unicode(
        "",
        help="""Address of the Docker Engine used by the Docker runner.

        Defaults to empty, which means ``DOCKER_HOST`` or the local socket.
        """,
    ).tag(config=True)

    freeze_startup_heap = Bool(
        True,
        help="""Once the server has started, exempt the objects it holds from garbage collection.

        Jupyter AI and litellm bring hundreds of thousands of long-lived objects; every full
        collection would walk them all, pausing each request for about half a second.
        The server's objects made later are collected as usual. Defaults to True.
        """,
    ).tag(config=True)

    # --- runs ----------------------------------------------------------------------

    default_runner = Enum(
        ["local", "docker"],
        "local",
        help="Runner of a run that names none, when it can run the interpreter.",
    ).tag(config=True)

    local_isolation = Enum(
        ["auto", "bwrap", "process"],
        "auto",
        help="""How the local runner boxes a script in.

        ``bwrap``: bubblewrap's namespaces, a read-only file system with the server's
        secrets hidden, and an unprivileged user id per run when the server is root (a user
        namespace otherwise; an error if neither works). ``process``: a session with rlimits,
        as the server's own user. ``auto`` (the default): the strongest this machine allows;
        ``GET health`` says which, and what would make it stronger.
        """,
    ).tag(config=True)

    local_network = Bool(
        True,
        help="""Whether the local runner's scripts reach the network. False gives each bwrap
        sandbox an empty network namespace of its own (the process mode cannot).""",
    ).tag(config=True)

    local_warm_sandboxes = Int(
        2,
        help="""Sandboxes the local runner keeps started, their interpreter waiting for a
        script, per kind of run lately made (interpreter, runtime policy or not): a run then
        starts in a millisecond instead of bubblewrap's set-up and an interpreter start.
        bwrap modes only; 0 starts a sandbox for every run.""",
    ).tag(config=True)

    local_first_uid = Int(
        0,
        help="""First of the 1,024 user ids the bwrap sandbox lends to runs, one per
        concurrent run. 0 (the default) derives a range from ``runs_instance``, so servers
        sharing a host do not take (or, at start-up, clean up) each other's user ids.""",
    ).tag(config=True)

    hidden_paths = List(
        Unicode(),
        help="""More folders the bwrap sandbox hides from scripts (mounted empty).

        The server user's home, the Jupyter runtime and config folders and the SQLite
        store's folder are always hidden.
        """,
    ).tag(config=True)

    docker_network = Enum(
        ["none", "host"],
        "none",
        help="""Network of the Docker runner's containers: ``none`` (default) gives a script
        no network at all; ``host`` shares the host's.""",
    ).tag(config=True)

    warm_pool_size = Int(
        2,
        help="""Containers kept started and waiting, per interpreter image, so a Docker run
        starts in milliseconds. 0 starts a container for every run.""",
    ).tag(config=True)

    max_runs = Int(
        help="Runs executing at once on this server; more wait in line. Defaults to 2 x CPUs."
    ).tag(config=True)

    @default("max_runs")
    def _default_max_runs(self) -> int:
        return 2 * (os.cpu_count() or 1)

    max_runs_per_user = Int(0, help="Runs one user may execute at once; 0 means max_runs.").tag(
        config=True
    )

    run_timeout = Float(
        300.0, help="Wall-clock seconds a run may take unless it asks for less or more."
    ).tag(config=True)
    max_run_timeout = Float(3600.0, help="The longest timeout a run may ask for, in seconds.").tag(
        config=True
    )
    run_cpu_seconds = Int(300, help="CPU seconds per process of a run.").tag(config=True)
    run_memory_bytes = Int(
        1 << 30,
        help="Memory of a run: address space per process (local), the container's memory (docker).",
    ).tag(config=True)
    run_processes = Int(64, help="Processes (and threads) a run may have at once.").tag(config=True)
    run_file_bytes = Int(
        64 << 20, help="Largest file a run may write; also the size of its working directory."
    ).tag(config=True)
    run_open_files = Int(256, help="Open files per process of a run.").tag(config=True)
    run_cpus = Float(1.0, help="CPUs a run may use at once (the Docker runner's quota).").tag(
        config=True
    )
    user_limits = Dict(
        key_trait=Unicode(),
        value_trait=Dict(),
        help="""Limits of some users' runs, each over the ``run_*`` settings above, by user
        name: ``{"alice": {"memory_bytes": 2 << 30, "cpus": 2, "processes": 128}}``. Keys
        are the ``run_*`` names without ``run_``: cpu_seconds, memory_bytes, processes,
        file_bytes, open_files, cpus (a run's timeout is its own, up to max_run_timeout).""",
    ).tag(config=True)

    @validate("user_limits")
    def _valid_user_limits(self, proposal: dict[str, Any]) -> dict[str, dict[str, Any]]:
        for user, limits in proposal["value"].items():
            unknown = set(limits) - set(USER_LIMIT_NAMES)
            if unknown:
                raise TraitError(
                    f"user_limits[{user!r}]: no limit named {', '.join(sorted(unknown))}; "
                    f"the limits are {', '.join(USER_LIMIT_NAMES)}"
                )
            for name, value in limits.items():
                _check_user_limit(f"user_limits[{user!r}][{name!r}]", name, value)
        return proposal["value"]  # type: ignore[no-any-return]

    max_output_chars = Int(
        1 << 20,
        help="Output kept per run; what comes after is dropped and the run marked truncated.",
    ).tag(config=True)

    # --- guardrails ------------------------------------------------------------------

    runtime_policy = Enum(
        ["assistant", "all", "off"],
        "assistant",
        help="""Which runs the guardrails also enforce while the code runs (audit hooks in
        the script's interpreter refuse starting programs, loading native code, opening
        sockets, changing files outside the run's folders, unpickling classes, running code
        built at run time, forking), each refusal named in the run's output and audited.

        ``assistant`` (the default): versions the assistant wrote. ``all``: every run.
        ``off``: none. The team's exceptions (``guardrail_allowed``) lift the matching rules.
        """,
    ).tag(config=True)

    guardrail_denied_imports = List(
        Unicode(),
        list(DEFAULT_DENIED_IMPORTS),
        help="""Modules a script may not import, by prefix: ``ctypes`` denies ``ctypes.util``.

        Defaults to process spawning (``subprocess``, ``pty``...), raw sockets and servers
        (``socket``, ``http.server``...), native code (``ctypes``, ``cffi``) and dynamic code
        (``runpy``, ``code``). Any use of a denied module blocks a script's one-click run.
        """,
    ).tag(config=True)

    guardrail_denied_calls = List(
        Unicode(),
        list(DEFAULT_DENIED_CALLS),
        help="""Calls a script may not make, by qualified name; a bare name is a builtin and
        ``*`` ends a pattern (``os.exec*``). Defaults to ``os.system``, ``os.popen``,
        ``os.exec*``, ``os.spawn*``, ``os.fork``, ``eval``, ``exec``, ``compile``,
        ``__import__``, ``importlib.import_module``, ``pickle.load(s)``, ``marshal.load(s)``
        and the like. Any use counts (passing ``os.system`` as a callback too), through any
        alias, ``getattr`` or ``__dict__`` lookup.
        """,
    ).tag(config=True)

    guardrail_allowed = List(
        Unicode(),
        [],
        help="""Exceptions for this team: names the policy allows despite the denied lists.

        ``subprocess.run`` allows that function (and the import it needs) while
        ``subprocess.Popen`` stays denied; ``socket`` allows the whole module;
        ``shutil.rmtree`` allows deleting absolute paths. Defaults to none.
        """,
    ).tag(config=True)

    guardrail_bandit_skips = List(
        Unicode(),
        ["B101"],
        help="""Bandit tests not run on scripts, by id. Defaults to ``B101`` (assert used):
        asserts are how scripts check their own data.""",
    ).tag(config=True)

    max_prompt_chars = Int(
        40_000,
        help="""Largest prompt, in characters, sent to a model (instruction, code and
        context together); a larger one is refused with a 413. Defaults to 40,000.""",
    ).tag(config=True)

    analysis_workers = Int(
        help="""Processes that run the guardrail analyses (policy, bandit, redaction for the
        audit), so that their CPU work does not hold the server's GIL and stall other
        requests. Defaults to the number of CPUs, at least 2 and at most 4; 0 analyses in
        the server's own threads.""",
    ).tag(config=True)

    @default("analysis_workers")
    def _default_analysis_workers(self) -> int:
        return max(2, min(4, os.cpu_count() or 1))

    analysis_per_user = Int(
        1,
        help="""Analyses (``POST analyze``) one user may have under way at once; up to 8 more
        wait their turn, any beyond get a 429 with Retry-After. Defaults to 1.""",
    ).tag(config=True)

    analysis_timeout = Float(
        60.0,
        help="""Seconds an analysis may take before its worker is stopped and the code
        reported as unanalysable (SF100, which blocks). Defaults to 60.""",
    ).tag(config=True)

    # --- assistant -------------------------------------------------------------------

    assistant_model = Unicode(
        "",
        help="""litellm model id the assistant uses instead of the chat model chosen in
        Jupyter AI's settings, e.g. ``openai/gpt-4o-mini``. Its parameters are the ones
        Jupyter AI keeps for that model, if any; its key comes from Jupyter AI's secrets or
        the environment. Defaults to empty: use Jupyter AI's chat model.""",
    ).tag(config=True)

    assistant_timeout = Float(
        120.0,
        help="""Seconds the assistant waits for the model's answer to start, and between two
        of its pieces, before it gives up with a clear error.""",
    ).tag(config=True)

    runs_instance = Unicode(
        help="""This server's name in the run records and on its containers; after a restart
        it marks the runs it left unfinished as interrupted and removes its leftover
        containers. Defaults to ``user@host``, or ``user/server-name`` under JupyterHub: two servers
        that share a store and a host need different names, and different
        ``local_first_uid`` ranges."""
    ).tag(config=True)

    # --- language servers -----------------------------------------------------------

    lsp_idle_timeout = Float(
        600.0,
        help="""Seconds a language server may go unused before it is stopped (its documents
        stay known: the next request starts it again). Defaults to 10 minutes.""",
    ).tag(config=True)

    lsp_max_servers = Int(
        4,
        help="""Language servers (one per interpreter in use) running at once; the least
        recently used stops first. Defaults to 4.""",
    ).tag(config=True)

    lsp_tools_dir = Unicode(
        help="""Folder of python-lsp-server installed for each local interpreter (uv installs
        it on first use). Defaults to ``scriptforge/language-tools`` in the Jupyter data
        directory.""",
    ).tag(config=True)

    @default("lsp_tools_dir")
    def _default_lsp_tools_dir(self) -> str:
        return os.path.join(jupyter_data_dir(), "scriptforge", "language-tools")

    lsp_package_index_url = Unicode(
        "",
        help="""Package index uv installs python-lsp-server from. Defaults to empty: uv's own
        configuration (``UV_INDEX_URL``, ``uv.toml``), else PyPI.""",
    ).tag(config=True)

    lsp_offline = Bool(
        False,
        help="""Install python-lsp-server from uv's cache only, never from an index (the
        tests do; ``make`` fills the cache).""",
    ).tag(config=True)

    # --- per-script dependencies (PEP 723) ------------------------------------------

    env_cache_dir = Unicode(
        help="""Folder of the environments installed for scripts' declared dependencies (one
        per interpreter kind and set of pins, shared). Defaults to
        ``scriptforge/environments`` in the Jupyter data directory.""",
    ).tag(config=True)

    @default("env_cache_dir")
    def _default_env_cache_dir(self) -> str:
        return os.path.join(jupyter_data_dir(), "scriptforge", "environments")

    env_cache_bytes = Int(
        5 << 30,
        help="""Size the environments may take together; above it the least recently used
        ones not in use are removed. Defaults to 5 GiB.""",
    ).tag(config=True)

    package_index_url = Unicode(
        "",
        help="""Package index scripts' dependencies are installed from. Defaults to empty: the
        index configured for uv (``UV_INDEX_URL``, ``uv.toml``) or pip (``PIP_INDEX_URL``,
        pip.conf) on this machine, else PyPI.""",
    ).tag(config=True)

    # --- schedules -------------------------------------------------------------------

    schedule_tick_seconds = Float(
        1.0,
        help="""Seconds between looks for schedules due; a schedule starts at most this late.
        Every server sharing the store looks; each fire time starts once.""",
    ).tag(config=True)

    schedule_min_seconds = Float(
        60.0,
        help="Shortest time between two fires of a schedule a user may set. Defaults to 60.",
    ).tag(config=True)

    schedule_grace_seconds = Float(
        60.0,
        help="""A fire time missed by more than this (no server ran then) is skipped by a
        schedule whose missed fires are skipped. Defaults to 60.""",
    ).tag(config=True)

    # --- artifacts -------------------------------------------------------------------

    artifacts_dir = Unicode(
        help="""Folder where the files runs leave in their output folder
        (``$SCRIPTFORGE_OUTPUT``) are kept, one folder per run. Defaults to
        ``scriptforge/artifacts`` in the Jupyter data directory. Hidden from scripts.""",
    ).tag(config=True)

    @default("artifacts_dir")
    def _default_artifacts_dir(self) -> str:
        return os.path.join(jupyter_data_dir(), "scriptforge", "artifacts")

    artifact_run_bytes = Int(
        32 << 20,
        help="""Most bytes kept of one run's output folder; files beyond are left out (the
        run's output says so). Defaults to 32 MiB.""",
    ).tag(config=True)

    artifact_run_files = Int(
        1000, help="Most files kept of one run's output folder. Defaults to 1,000."
    ).tag(config=True)

    artifact_total_bytes = Int(
        2 << 30,
        help="""Most bytes all runs' artifacts may take together; above it the oldest runs'
        go first. Defaults to 2 GiB.""",
    ).tag(config=True)

    artifact_retention_days = Float(
        30.0,
        help="""Days a run's artifacts are kept; 0 keeps them until the total cap needs the
        room. Defaults to 30.""",
    ).tag(config=True)

    # --- notifications -------------------------------------------------------------

    webhooks = List(
        Dict(),
        help="""Where a run that failed or timed out is POSTed as JSON: a list of
        ``{"url": "https://…", "users": ["alice"], "statuses": ["failed", "timed_out"]}``
        (``users`` left out: every user's runs; ``statuses`` left out: failed and timed out).
        The body: ``{"event": "run.failed", "run": {…}, "script": {"id", "name"},
        "output_tail": "…"}``. Sent in the background, retried with back-off.""",
    ).tag(config=True)

    @validate("webhooks")
    def _valid_webhooks(self, proposal: Any) -> Any:
        from .notifications.webhooks import webhooks_of

        try:
            webhooks_of(proposal["value"])
        except ValueError as error:
            raise TraitError(str(error)) from None
        return proposal["value"]

    webhook_attempts = Int(
        5, help="Deliveries tried per webhook and run before giving up. Defaults to 5."
    ).tag(config=True)

    webhook_retry_seconds = Float(
        1.0,
        help="Seconds before a webhook's second try; each later wait doubles. Defaults to 1.",
    ).tag(config=True)

    # --- backends a deployment may swap --------------------------------------------

    store_class = Type(
        Store,
        klass=Store,
        help="""The store: a subclass of ``jupyter_scriptforge.db.store.Store``, built with the
        SQLAlchemy engine of ``db_url``.""",
    ).tag(config=True)

    local_runner_class = Type(
        LocalRunner,
        klass=LocalRunner,
        help="""The runner of ``"runner": "local"``: a subclass of
        ``jupyter_scriptforge.execution.runners.local.LocalRunner``, built with its
        arguments from the ``local_*`` settings.""",
    ).tag(config=True)

    docker_runner_class = Type(
        DockerRunner,
        klass=DockerRunner,
        help="""The runner of ``"runner": "docker"``: a subclass of
        ``jupyter_scriptforge.execution.runners.docker.DockerRunner``, built with its
        arguments from the ``docker_*`` settings.""",
    ).tag(config=True)


def _check_user_limit(where: str, name: str, value: object) -> None:
    """A whole number of at least 1 (0 would mean no limit to Docker); CPUs: a positive
    number up to this machine's (Docker refuses more at a run's start)."""
    if name == "cpus":
        cpus = os.cpu_count() or 1
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= cpus:
            raise TraitError(f"{where} must be a number of CPUs above 0 and at most {cpus}")
    elif isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise TraitError(f"{where} must be a whole number of at least 1")
