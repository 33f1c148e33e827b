"""The AST policy: alias resolution, dynamic access, allowed exceptions, unparsable code."""

from __future__ import annotations

import ast
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jupyter_scriptforge.errors import TooLarge
from jupyter_scriptforge.guardrails import GuardrailService, Policy, analyze, modules
from jupyter_scriptforge.guardrails.modules import held_modules
from jupyter_scriptforge.guardrails.names import Names
from jupyter_scriptforge.guardrails.paths import is_system_path


def policy_rules(code: str, policy: Policy | None = None) -> list[tuple[str, int]]:
    return [(f.rule, f.line) for f in analyze(code, policy).findings if f.source == "policy"]


def resolve(code: str) -> frozenset[str]:
    """What the last line's expression may stand for."""
    tree = ast.parse(code)
    last = tree.body[-1]
    assert isinstance(last, ast.Expr)
    return Names(tree).resolve(last.value)


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("import subprocess as sp\nsp.run", "subprocess.run"),
        ("from os import system as s\ns", "os.system"),
        ("import os.path\nos.system", "os.system"),
        ("import os.path as p\np.join", "os.path.join"),
        ("import os\nx = os\ny = x.system\ny", "os.system"),
        ("import os\na, b = os.system, 1\na", "os.system"),
        ("import os\ngetattr(os, 'system')", "os.system"),
        ("import os\nn = 'sys' + 'tem'\ngetattr(os, n)", "os.system"),
        ("import os\ngetattr(os, f'{\"sys\"}tem')", "os.system"),
        ("import os\ngetattr(os, 'metsys'[::-1])", "os.system"),
        ("import os\ngetattr(os, ''.join(['sy', 'stem']))", "os.system"),
        ("import os\nos.__dict__['system']", "os.system"),
        ("import os\nvars(os)['system']", "os.system"),
        ("import os\nos.__getattribute__('system')", "os.system"),
        ("import os\nobject.__getattribute__(os, 'system')", "os.system"),
        ("import os\ntype.__getattribute__(os, 'sys' + 'tem')", "os.system"),
        ("import platform\nobject.__getattribute__(platform, 'os').popen", "os.popen"),
        ("import inspect, os\ninspect.getmembers(os)", "os.__dict__"),
        ("import os\n[os][0].system", "os.system"),
        ("import os\n(os,)[0].system", "os.system"),
        ("import os\n{'m': os}['m'].system", "os.system"),
        ("import os\nmods = [os]\nmods[0].system", "os.system"),
        ("import os\nmods = [len, os]\nmods[i].system", "os.system"),
        ("import os\n[[os]][0][0].system", "os.system"),
        ("import os\n[*[os]][0].system", "os.system"),
        ("import os\n[os][1:][0].system", "os.system"),
        ("import os\nmods = []\nmods.append(os)\nmods[0].system", "os.system"),
        ("import os\nmods = []\nmods += [os]\nmods[0].system", "os.system"),
        ("import os\nd = {}\nd['m'] = os\nd['m'].system", "os.system"),
        ("import os\nd = {}\nd.update(m=os)\nd['m'].system", "os.system"),
        ("eval", "builtins.eval"),
        ("__builtins__.__dict__['eval']", "builtins.eval"),
        ("__builtins__.__dict__.get('exec')", "builtins.exec"),
        ("globals()['__builtins__']['exec']", "builtins.exec"),
        ("globals()['__builtins__'].exec", "builtins.exec"),
        ("import builtins as b\nb.compile", "builtins.compile"),
        ("import sys\nsys.modules['os'].system", "os.system"),
        ("__import__('os').system", "os.system"),
        ("import importlib\nimportlib.import_module('os').popen", "os.popen"),
        ("from os import *\nsystem", "os.system"),
        ("import os\n(f := os.system)", "os.system"),
        ("import os\nos.system if x else print", "os.system"),
        ("import logging\nlogging.os.system", "os.system"),
        ("import tempfile\ntempfile._os.system", "os.system"),
        ("import shutil\nshutil.posix.system", "posix.system"),
        ("import platform\ngetattr(platform, 'os').system", "os.system"),
        ("import platform\nplatform.__dict__['o' + 's'].popen", "os.popen"),
        ("from logging import os\nos.system", "os.system"),
        ("import platform\nplatform.subprocess.run", "subprocess.run"),
        ("[logging][0].os.system", "os.system"),
        ("import logging\nlogging.sys.modules['os'].system", "os.system"),
        ("holder.sys.modules['os'].system", "os.system"),
        ("import ftplib\nftplib.socket", "socket"),
        ("conn.socket.create_connection", "socket.create_connection"),
        ("import numpy as np\nnp.ctypeslib.ctypes.CDLL", "ctypes.CDLL"),
        ("import pdb\npdb.code.interact", "code.interact"),
        ("from pdb import code\ncode.interact", "code.interact"),
        ("import operator, os\noperator.attrgetter('system')(os)", "os.system"),
        ("import operator, logging\noperator.attrgetter('os.popen')(logging)", "os.popen"),
        (
            "from operator import attrgetter\nget = attrgetter('os')\nget(shutil).system",
            "os.system",
        ),
        ("import asyncio\nasyncio.subprocess", "asyncio.subprocess"),  # its own module
    ],
)
def test_names_resolve_aliases_and_lookups(code: str, expected: str) -> None:
    assert expected in resolve(code)


@pytest.mark.parametrize(
    "code",
    [
        "from re import compile\ncompile",  # re.compile, not the builtin
        "def eval(x):\n    return x\neval",  # the script's own function
        "model.eval",  # a method of something unknown
        "import os\ngetattr(os, name)",  # unknown name: nothing resolved (SF103 covers it)
        "from . import subprocess\nsubprocess.run",  # the script's own package
        "self.socket.send",  # a connection kept in an attribute called socket
        "ctx.socket",  # zmq: a method that makes a socket object
        "self._socket.close",
        "array.ctypes.data",  # numpy's
        "error.code",
        "settings.sys.path",
        "device.os.lower",
        "import operator\noperator.attrgetter('os')(machine)",
        "xs = [1, 2]\nxs[0].system",  # a list of ordinary values
        "import os\nfuncs = [os.getcwd, os.listdir]\nfuncs[0]",
        "import os\npaths = [os.getcwd()]\npaths[0].system",
        "import os\nmods = [os]\nmods.system",  # the list, not an element
        "a = [a[0]]\na[0].system",  # a cycle
        "super().__getattribute__('system')",  # one argument: the receiver is the owner
    ],
)
def test_names_resolve_nothing_denied(code: str) -> None:
    assert not {q for q in resolve(code) if Policy().judge(q)}


def test_every_use_of_an_alias_is_reported_with_its_line() -> None:
    code = "import subprocess as sp\n\nsp.run(['ls'])\nx = sp.Popen\n"
    assert policy_rules(code) == [("SF101", 1), ("SF101", 3), ("SF101", 4)]


def test_a_denied_call_is_reported_once_per_expression() -> None:
    report = analyze("import os\nos.system('a'); os.system('b')\n")
    policy = [f for f in report.findings if f.source == "policy"]
    assert [(f.rule, f.line, f.column) for f in policy] == [("SF102", 2, 1), ("SF102", 2, 17)]
    assert policy[0].message.startswith("uses os.system: denied")
    assert policy[0].code == "os.system('a'); os.system('b')"


@pytest.mark.parametrize(
    ("code", "rule"),
    [
        ("import os\ngetattr(os, input())('id')", "SF103"),
        ("import builtins\nvars(builtins)[name]", "SF103"),
        ("__builtins__.__dict__[name]", "SF103"),
        ("import sys\nsys.modules[name]", "SF103"),
        ("().__class__.__bases__[0].__subclasses__()", "SF105"),
        ("f.__globals__", "SF105"),
        ("getattr(f, '__glob' + 'als__')", "SF105"),
        ("import sys\nsys._getframe().f_globals", "SF105"),
        ("import os\nobject.__getattribute__(os, input())('id')", "SF103"),
        ("import os\ntype.__getattribute__(os, name)", "SF103"),
        ("import os\nobject.__getattribute__(os, '__dict__')", "SF103"),
        ("object.__getattribute__(f, '__glob' + 'als__')", "SF105"),
        # getattr passed, not called: applied to the call's other arguments
        ("import functools, os\nfunctools.reduce(getattr, ['system'], os)('id')", "SF103"),
        ("import os\nlist(map(getattr, [os], ['system']))", "SF103"),
        ("import os\nmods = (os,)\nlist(map(getattr, mods, names))", "SF103"),
        ("import os\ng = getattr\nmap(g, *[[os], ['system']])", "SF103"),
        ("import functools, builtins\nfunctools.partial(getattr, builtins)", "SF103"),
        ("import os\nmap(os.__getattribute__, ['system'])", "SF103"),
        ("import os\nmap(object.__getattribute__, [os], ['system'])", "SF103"),
        # inspect.getmembers is vars
        ("import inspect, os\ndict(inspect.getmembers(os))['system']('id')", "SF103"),
        ("from inspect import getmembers_static as members\nmembers(__builtins__)", "SF103"),
        # what a computed name took from a module holding a sensitive one (logging.os,
        # random._os), used the way that module would be
        ("import logging\ngetattr(logging, input()).system('id')", "SF103"),
        ("import logging\nm = getattr(logging, input())\nm.popen('id')", "SF103"),
        ("import logging\ngetattr(getattr(logging, a), b)('id')", "SF103"),
        ("import logging\ngetattr(getattr(logging, a), 'system')('id')", "SF103"),
        ("import random\nobject.__getattribute__(random, name).system('id')", "SF103"),
        ("import ftplib\nftplib.__getattribute__(name).__dict__", "SF103"),
        ("import logging\nvars(logging)[name]", "SF103"),
        ("import functools, logging\nfunctools.reduce(getattr, names, logging)", "SF103"),
    ],
)
def test_dynamic_access_and_escapes(code: str, rule: str) -> None:
    assert rule in {r for r, _ in policy_rules(code)}


@pytest.mark.parametrize(
    "code",
    [
        "getattr(obj, name)",
        "import math\ngetattr(math, name)",  # math and string hold no dangerous module
        # How scripts read a log level: the lookup alone on a module holding os is fine.
        "import logging\nlogging.basicConfig(level=getattr(logging, level_name, logging.INFO))",
        "import logging\nlevel = getattr(logging, name.upper())\nlog.setLevel(level)",
        "import logging\nh = getattr(logging, kind)\nh.info('x')",
        "import string\ngetattr(string, name)",
        "import json\nobject.__getattribute__(json, name)",
        "import functools\nfunctools.reduce(getattr, 'a.b'.split('.'), config)",
        "import functools\nfunctools.reduce(getattr, path.split('.'), settings)",
        "list(map(getattr, records, ['name'] * len(records)))",
        "import inspect\ninspect.getmembers(Settings)",
        "import no_such_module_anywhere\ngetattr(no_such_module_anywhere, name)",
        "class A:\n    def __getattr__(self, n):\n        return object.__getattribute__(self, n)",
        "globals()[name]()",  # dispatch on the script's own functions
        "data[key]",
        "os_like = {}\nos_like[name]",
    ],
)
def test_computed_lookups_on_ordinary_objects_are_fine(code: str) -> None:
    assert policy_rules(code) == []


def test_computed_lookups_name_the_owner_and_what_it_holds() -> None:
    def messages(code: str) -> list[str]:
        return [f.message for f in analyze(code).findings if f.source == "policy"]

    assert messages("import logging\ngetattr(logging, input()).system('id')") == [
        "looks up .system on what a computed name took from logging (which holds os),"
        " which may reach something denied"
    ]
    assert messages("import functools, os\nfunctools.reduce(getattr, ['system'], os)") == [
        "passes getattr along with os: a lookup on it by names out of sight, which may be denied"
    ]
    assert messages("import inspect, os\ninspect.getmembers(os)") == [
        "takes the namespace of os, which holds denied members"
    ]


# --- modules held by real modules -------------------------------------------------------


def test_what_a_module_holds_is_read_from_the_real_module() -> None:
    assert "os" in held_modules("logging")
    assert held_modules("math") == frozenset()
    assert Policy().holds("logging") == ("os",)
    assert Policy().holds("ftplib") == ("socket",)
    assert Policy(allowed=("socket",)).holds("ftplib") == ()
    assert not Policy().sensitive("string")
    assert not Policy().sensitive("math")


@pytest.mark.parametrize(
    "name",
    [
        "no_such_module_anywhere",
        "json.loads",  # not a module
        "logging.__main__",
        "__main__",
        "antigravity",  # opens a browser when imported
        "this",
        "msvcrt",  # Windows only
        "<globals>",
        "",
    ],
)
def test_modules_not_imported_or_failing_to_hold_nothing(name: str) -> None:
    loaded = name in sys.modules
    assert held_modules(name) == frozenset()
    assert (name in sys.modules) is loaded


def test_a_module_failing_to_import_is_not_sensitive(monkeypatch: pytest.MonkeyPatch) -> None:
    import_module = modules.importlib.import_module

    def fail(name: str) -> ModuleType:
        if name == "tabnanny":
            raise SystemExit("tabnanny exits when imported")
        return import_module(name)

    monkeypatch.delitem(sys.modules, "tabnanny", raising=False)
    monkeypatch.setattr(modules.importlib, "import_module", fail)
    held_modules.cache_clear()
    try:
        assert held_modules("tabnanny") == frozenset()
        assert policy_rules("import tabnanny\ngetattr(tabnanny, name)") == []
    finally:
        held_modules.cache_clear()


def test_a_file_shadowing_a_standard_module_is_never_imported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "pyclbr.py").write_text("import os\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "pyclbr", raising=False)
    held_modules.cache_clear()
    try:
        assert held_modules("pyclbr") == frozenset()
        assert "pyclbr" not in sys.modules
    finally:
        held_modules.cache_clear()


@pytest.mark.parametrize(
    ("code", "deleted"),
    [
        ("import shutil\nshutil.rmtree('/')", True),
        ("import shutil\nshutil.rmtree(path='/srv/data')", True),
        ("import shutil\nfrom pathlib import Path\nshutil.rmtree(Path('/') / 'etc')", True),
        ("import shutil, os\nshutil.rmtree(os.path.join('/var', 'lib'))", True),
        ("import shutil, os\nshutil.rmtree(os.getenv('HOME'))", True),
        ("import os\nos.unlink('C:\\\\Windows\\\\win.ini')", True),
        ("from pathlib import Path\nPath('~/.ssh').expanduser().rmdir()", True),
        ("import shutil\nshutil.rmtree('build')", False),
        ("import shutil\nshutil.rmtree('/tmp/job-42')", False),
        ("import shutil\nshutil.rmtree(out_dir)", False),
        ("import os\nos.remove('report.csv')", False),
        ("from pathlib import Path\nPath('out/x.txt').unlink()", False),
    ],
)
def test_destructive_paths(code: str, deleted: bool) -> None:
    assert ("SF104" in {r for r, _ in policy_rules(code)}) is deleted


def test_system_paths() -> None:
    assert is_system_path("/")
    assert is_system_path("/etc/passwd")
    assert is_system_path("~")
    assert is_system_path("/tmp")
    assert is_system_path("/tmp/../etc")
    assert not is_system_path("/tmp/job")
    assert not is_system_path("data/out")


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("from posix import system as s\ns('id')", [("SF102", 1), ("SF102", 2)]),
        ("import posix\nposix.system('id')", [("SF102", 2)]),
        ("import nt\nnt.popen('dir')", [("SF102", 2)]),
        ("import posix\ngetattr(posix, name)('id')", [("SF103", 2)]),
        ("import posix, shutil\nposix.remove('/etc/hosts')", [("SF104", 2)]),
        ("import posix\nposix.getcwd()", []),
    ],
)
def test_posix_and_nt_are_os(code: str, expected: list[tuple[str, int]]) -> None:
    assert policy_rules(code) == expected


@pytest.mark.parametrize(
    "code",
    [
        "import pydoc\npydoc.pipepager(text, 'less')",
        "import pydoc\npydoc.tempfilepager(text, 'less')",
        "import timeit\ntimeit.timeit('x = 1')",
        "from timeit import repeat\nrepeat('x = 1')",
        "import timeit\ntimeit.Timer('x = 1').timeit()",
        "import cProfile\ncProfile.run('main()')",
        "import cProfile\ncProfile.runctx('main()', {}, {})",
        "import profile\nprofile.run('main()')",
        "import profile\nprofile.runctx('main()', {}, {})",
        "import pdb\npdb.run('main()')",
        "import pdb\npdb.runeval('main()')",
        "import pdb\npdb.runctx('main()', {}, {})",
        "import pkgutil\npkgutil.resolve_name('os:system')",
        "import multiprocessing.util\nmultiprocessing.util.spawnv_passfds('/bin/sh', [], [])",
        "loop.subprocess_exec(factory, 'sh')",
        "self.loop.subprocess_shell(factory, 'id')",
        "start = asyncio.get_event_loop().subprocess_shell",
        "server = await loop.create_server(Proto, '0.0.0.0', 80)",
        "getattr(loop, 'subprocess_' + 'exec')(factory, 'sh')",
    ],
)
def test_calls_that_run_strings_or_programs_are_denied(code: str) -> None:
    assert {rule for rule, _ in policy_rules(code)} == {"SF102"}


@pytest.mark.parametrize(
    "code",
    [
        "import os\nnamespace = vars(os)",
        "import os\nfor name, value in os.__dict__.items(): print(name)",
        "import os\nhelper(os.__dict__)",
        "import posix\nd = dict(vars(posix))",
        "import builtins\nb = vars(builtins)",
        "b = __builtins__.__dict__",
        "import subprocess\nns = subprocess.__dict__",
        "import os\nns = getattr(os, '__dict__')",
    ],
)
def test_the_namespace_of_a_sensitive_module_is_dynamic_access(code: str) -> None:
    assert "SF103" in {rule for rule, _ in policy_rules(code)}


@pytest.mark.parametrize(
    "code",
    [
        "import json\nns = vars(json)",
        "vars(self)",
        "obj.__dict__",
        "import timeit\ntimeit.default_timer()",
        "import pdb\npdb.set_trace()",
        "websocket.create_connection('wss://example.org')",  # websocket-client, not a loop
        "reader, writer = await loop.create_connection(Proto, 'db', 5432)",
    ],
)
def test_namespaces_and_methods_of_ordinary_objects_are_fine(code: str) -> None:
    assert policy_rules(code) == []


def test_a_team_may_allow_a_loop_method_and_posix_follows_os() -> None:
    code = "loop.subprocess_exec(factory, 'git')\nimport posix\nposix.system('make')\n"
    allowed = ("asyncio.AbstractEventLoop.subprocess_exec", "os.system")
    assert policy_rules(code, Policy(allowed=allowed)) == []
    assert policy_rules(code, Policy(allowed=("posix.system",))) == [("SF102", 1)]


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("import logging\nlogging.os.system('id')", [("SF102", 2)]),
        ("import shutil\nshutil.os.system('id')", [("SF102", 2)]),
        ("import platform\nplatform.os.system('id')", [("SF102", 2)]),
        ("import posixpath\nposixpath.os.system('id')", [("SF102", 2)]),
        ("import glob\nglob.os.popen('id').read()", [("SF102", 2)]),
        ("import tempfile\ntempfile._os.system('id')", [("SF102", 2)]),
        ("import platform\ngetattr(platform, 'os').system('id')", [("SF102", 2)]),
        ("import platform\nf = getattr(platform, 'os')\nf.spawnv(0, 'sh', [])", [("SF102", 3)]),
        ("from logging import os\nos.system('id')", [("SF102", 2)]),
        ("import platform\nplatform.subprocess.run(['id'])", [("SF101", 2)]),
        ("from platform import subprocess", [("SF101", 1)]),
        ("import ssl\nssl._socket.socket()", [("SF101", 2)]),
        ("import logging.handlers as h\nh.socket.socket()", [("SF101", 2)]),
        ("import shutil\nshutil.rmtree('/tmp/x')\nshutil.os.remove('/etc/hosts')", [("SF104", 3)]),
        ("import logging\nvars(logging.os)", [("SF103", 2)]),
        ("import logging\ngetattr(logging.os, name)('id')", [("SF103", 2)]),
        ("import importlib._bootstrap as b\nb._gcd_import('os')", [("SF101", 1), ("SF101", 2)]),
        # ordinary uses of the same modules
        ("import os\nos.path.join('a', 'b')", []),
        ("import logging\nlogging.getLogger(__name__)", []),
        ("import shutil\nshutil.copy('a', 'b')", []),
        ("import tempfile\ntempfile.mkdtemp()", []),
        ("import platform\nplatform.system()", []),
        ("import shutil\nshutil.os.getcwd()", []),
        ("import logging\nlogging.sys.stderr.write('x')", []),
        (
            "import urllib.error\ntry:\n    pass\nexcept urllib.error.HTTPError as e:\n    e.code",
            [],
        ),
    ],
)
def test_a_module_held_by_another_is_that_module(
    code: str, expected: list[tuple[str, int]]
) -> None:
    assert policy_rules(code) == expected


@pytest.mark.parametrize(
    ("code", "rules"),
    [
        ("import operator, os\noperator.methodcaller('system', 'id')(os)", {"SF103"}),
        ("import operator, os\noperator.methodcaller('popen', 'id')(os).read()", {"SF103"}),
        ("from operator import methodcaller\nrun = methodcaller('execv', 'sh', [])", {"SF103"}),
        ("import operator, os\noperator.attrgetter('system')(os)('id')", {"SF102", "SF103"}),
        ("import operator\noperator.attrgetter('eval')(__builtins__)('1')", {"SF102", "SF103"}),
        ("import operator\noperator.attrgetter(input())(thing)", {"SF103"}),
        ("import operator\noperator.methodcaller(name)(thing)", {"SF103"}),
        ("import operator\noperator.attrgetter('__globals__')(f)", {"SF105"}),
        ("import _operator\n_operator.methodcaller('subprocess_shell', f, 'id')", {"SF102"}),
    ],
)
def test_operator_getters_are_dynamic_access(code: str, rules: set[str]) -> None:
    assert {rule for rule, _ in policy_rules(code)} == rules


@pytest.mark.parametrize(
    "code",
    [
        "import operator\nsorted(rows, key=operator.itemgetter(1))",
        "import operator\nsorted(people, key=operator.attrgetter('name'))",
        "import operator\nsorted(hosts, key=operator.attrgetter('os', 'name.first'))",
        "from operator import methodcaller\nlist(map(methodcaller('strip'), lines))",
        "import operator\nfield = 'size'\nmax(files, key=operator.attrgetter(field))",
    ],
)
def test_operator_getters_on_data_are_fine(code: str) -> None:
    assert policy_rules(code) == []


@pytest.mark.parametrize(
    ("code", "rule"),
    [
        ("import importlib.util\nimportlib.util.module_from_spec(spec)", "SF102"),
        ("import importlib.util\nimportlib.util.find_spec('os').loader.exec_module(m)", "SF102"),
        ("__loader__.load_module('subprocess')", "SF102"),
        ("import importlib.machinery as m\nm.SourceFileLoader('x', 'x.py').load_module()", "SF102"),
        ("import importlib.machinery as m\nm.ExtensionFileLoader('x', 'x.so')", "SF102"),
        ("__spec__.loader.get_code('subprocess')", "SF102"),
        ("__loader__.source_to_code('import os')", "SF102"),
        ("import imp\nimp.load_source('x', 'x.py')", "SF102"),
        ("import _imp", "SF101"),
        ("import gc\ngc.get_objects()", "SF105"),
        ("from gc import get_referrers as refs\nrefs(f)", "SF105"),
        ("import gc\ngetattr(gc, 'get_' + 'referents')(x)", "SF105"),
        ("import gc\ngetattr(gc, name)()", "SF103"),
    ],
)
def test_loaders_and_object_searches_are_denied(code: str, rule: str) -> None:
    assert rule in {r for r, _ in policy_rules(code)}


@pytest.mark.parametrize(
    "code",
    [
        "import importlib.util\nimportlib.util.find_spec('pandas') is not None",
        "import importlib.metadata\nimportlib.metadata.version('requests')",
        "import importlib.resources\nimportlib.resources.files('pkg').joinpath('a.txt')",
        "import importlib\nimportlib.reload(module)",
        "import gc\ngc.collect()\ngc.get_count()\ngc.disable()",
    ],
)
def test_looking_for_packages_and_collecting_garbage_are_fine(code: str) -> None:
    assert policy_rules(code) == []


# --- allowed exceptions and custom lists ------------------------------------------------


def test_a_team_may_allow_one_function_of_a_denied_module() -> None:
    policy = Policy(allowed=("subprocess.run",))
    code = (
        "import subprocess\n"
        "from subprocess import run, Popen\n"
        "subprocess.run(['git', 'status'], check=True)\n"
        "subprocess.Popen(['sh'])\n"
    )
    assert policy_rules(code, policy) == [("SF101", 2), ("SF101", 4)]
    messages = [f.message for f in analyze(code, policy).findings if f.source == "policy"]
    assert messages[0].startswith("imports subprocess.Popen: module subprocess is denied")
    assert messages[1].startswith("uses subprocess.Popen")


def test_an_allowed_function_reached_through_another_module_is_still_only_that_one() -> None:
    policy = Policy(allowed=("subprocess.run",))
    code = (
        "import platform\n"
        "import asyncio.base_events as events\n"
        "platform.subprocess.run(['git', 'status'])\n"
        "getattr(events, 'subprocess').run(['git', 'log'])\n"
        "platform.subprocess.Popen(['sh'])\n"
        "from platform import subprocess\n"  # what "import subprocess" is: it holds run
    )
    assert policy_rules(code, policy) == [("SF101", 5)]
    assert policy_rules(code) == [("SF101", 3), ("SF101", 4), ("SF101", 5), ("SF101", 6)]


def test_allowing_a_call_or_an_escape_lifts_the_operator_and_gc_rules() -> None:
    code = "import operator, os\noperator.methodcaller('system', 'make')(os)\n"
    assert policy_rules(code) == [("SF103", 2)]
    assert policy_rules(code, Policy(allowed=("os.system",))) == []
    code = "import gc\ngc.get_referrers(obj)\n"
    assert policy_rules(code) == [("SF105", 2)]
    assert policy_rules(code, Policy(allowed=("gc.get_referrers",))) == []


def test_a_team_may_allow_a_whole_module_or_a_builtin() -> None:
    code = "import socket\nsocket.create_connection(('db', 5432))\neval('1')\n"
    assert policy_rules(code, Policy(allowed=("socket",))) == [("SF102", 3)]
    assert policy_rules(code, Policy(allowed=("socket", "eval"))) == []


def test_allowing_shutil_rmtree_lifts_the_destructive_path_rule() -> None:
    code = "import shutil\nshutil.rmtree('/srv/cache')\n"
    assert policy_rules(code) == [("SF104", 2)]
    assert policy_rules(code, Policy(allowed=("shutil.rmtree",))) == []


def test_custom_denied_lists() -> None:
    policy = Policy(denied_imports=("requests",), denied_calls=("open", "os.chmod"))
    code = "import requests\nimport os\nopen('x')\nos.chmod('x', 0o777)\nos.system('ls')\n"
    assert policy_rules(code, policy) == [("SF101", 1), ("SF102", 3), ("SF102", 4)]
    message = analyze(code, policy).findings[0].message
    assert "denied by this server's guardrail policy" in message


# --- reports ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "line"),
    [
        ("x = 1\ndef f(:\n    pass\n", 2),
        ("print 'python 2'\n", 1),
        ("x = (\n", 1),
        ("x = 1\x00\n", 1),
        ("(" * 300 + ")" * 300, 1),
        ("x = " + "-" * 100_000 + "1\n", 1),
    ],
)
def test_code_that_does_not_parse_is_a_blocking_finding(code: str, line: int) -> None:
    report = analyze(code)
    assert report.verdict == "blocked"
    assert [(f.rule, f.line) for f in report.findings] == [("SF100", line)]
    assert "cannot be analysed on Python 3." in report.findings[0].message


def test_an_empty_script_is_ok() -> None:
    assert analyze("").to_json()["verdict"] == "ok"
    assert analyze("\n# nothing\n").findings == ()


def test_the_report_is_json_sorted_by_line_and_bandit_is_not_silenced_by_nosec() -> None:
    code = "import os\nimport hashlib\nhashlib.md5(b'x')  # nosec\nos.system('ls')  # nosec\n"
    report = analyze(code)
    data = json.loads(json.dumps(report.to_json()))
    assert data["verdict"] == "blocked"
    lines = [f["line"] for f in data["findings"]]
    assert lines == sorted(lines)
    rules = {f["rule"] for f in data["findings"]}
    assert {"B324", "SF102", "B605"} <= rules
    bandit = next(f for f in data["findings"] if f["rule"] == "B324")
    assert bandit["source"] == "bandit"
    assert bandit["confidence"] == "high"
    assert bandit["blocks"] is False  # a weak hash is hygiene, not a danger
    policy = next(f for f in data["findings"] if f["rule"] == "SF102")
    assert "confidence" not in policy
    assert policy["blocks"] is True
    assert policy["column"] == 1
    assert policy["code"] == "os.system('ls')  # nosec"


def test_bandit_high_findings_block_and_others_warn() -> None:
    unsafe_yaml = analyze("import yaml\nyaml.load(open('c.yml'))\n")
    assert unsafe_yaml.verdict == "warn"  # B506 is medium severity
    jinja = "import jinja2\nenv = jinja2.Environment(autoescape=False)\n"
    assert analyze(jinja).verdict == "blocked"  # B701: high severity, high confidence


def test_bandit_skips() -> None:
    code = "assert ready\n"
    assert GuardrailService(bandit_skips=()).analyze(code).verdict == "warn"
    assert GuardrailService().analyze(code).verdict == "ok"  # B101 is skipped by default


def test_content_over_the_limit_is_too_large() -> None:
    service = GuardrailService(max_content_bytes=100)
    service.analyze("x = 1\n" * 16)
    with pytest.raises(TooLarge) as error:
        service.analyze("é" * 51)
    assert error.value.status_code == 413


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_text_gives_a_report(text: str) -> None:
    report = analyze(text)
    assert report.verdict in ("ok", "warn", "blocked")
    json.dumps(report.to_json())


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "import os\n",
                "x = os\n",
                "y = getattr(x, 'path')\n",
                "z = y.join('a', 'b')\n",
                "a = b\n",
                "b = a\n",
                "def f(os):\n    return os.system\n",
                "f = lambda: f\n",
                "for os in []: pass\n",
                "globals()['a'] = 1\n",
            ]
        ),
        max_size=12,
    )
)
def test_binding_cycles_and_rebindings_never_fail(lines: list[str]) -> None:
    analyze("".join(lines))


def test_a_typical_script_is_analysed_in_milliseconds() -> None:
    script = (
        Path(__file__).with_name("corpus") / "benign" / "thread_pool_downloads.py"
    ).read_text()
    script = "\n".join([script] * 4)  # about 100 lines
    service = GuardrailService()
    service.analyze(script)
    timings = sorted(service.analyze(script).duration_ms for _ in range(20))
    print(f"\n100-line script: median {timings[10]:.2f} ms")
    assert timings[10] < 50
