"""Code in newer syntax than the server's Python (PEP 695, PEP 701, PEP 696) is analysed with
the grammar of the interpreter it runs on: the real CPython 3.12 and 3.13 of this machine."""

from __future__ import annotations

import ast
import asyncio
import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from jupyter_scriptforge.execution.interpreters import Interpreter, discover
from jupyter_scriptforge.guardrails import GuardrailService
from jupyter_scriptforge.guardrails.findings import Report
from jupyter_scriptforge.guardrails.parsing import LoweringError, rebuild
from tests.conftest import unavailable

OWN = f"{sys.version_info.major}.{sys.version_info.minor}"
HELPER = Path(__file__).parents[2] / "jupyter_scriptforge" / "guardrails" / "ast_export.py"
CORPUS = Path(__file__).with_name("corpus")


@pytest.fixture(scope="module")
def found() -> dict[str, Interpreter]:
    """This machine's CPythons by minor version, as the server discovers them."""
    interpreters = asyncio.run(discover({}, search=True))
    by_minor = {
        i.version.rsplit(".", 1)[0]: i
        for i in reversed(interpreters)
        if i.implementation == "CPython" and i.path
    }
    for minor in ("3.12", "3.13"):
        if minor not in by_minor:
            unavailable(f"no CPython {minor} found (pyenv install {minor})")
    return by_minor


@pytest.fixture
def service(found: dict[str, Interpreter]) -> GuardrailService:
    """In-process analyses (the workers are tested on their own), knowing every CPython."""
    return GuardrailService(bandit_skips=[], interpreters=lambda: list(found.values()))


def where(report: Report) -> list[tuple[str, int, int, bool]]:
    return [(f.rule, f.line, f.column, f.blocks) for f in report.findings]


# Each pair: code in newer syntax, and the same code as Python 3.11 writes it.
SAME_CODE = [
    pytest.param(
        'import os\ntype X = int\nos.system("id")\n',
        'import os\nX = int\nos.system("id")\n',
        id="pep695-alias-beside-a-denied-call",
    ),
    pytest.param(
        'import os\ntype Runner = os.system\nRunner("id")\n',
        'import os\nRunner =      os.system\nRunner("id")\n',  # same columns
        id="pep695-alias-of-a-denied-call",
    ),
    pytest.param(
        "import os\ndef first[T](items: list[T]) -> T:\n    return os.popen(items[0])\n",
        "import os\ndef first(items: list) -> object:\n    return os.popen(items[0])\n",
        id="pep695-generic-function",
    ),
    pytest.param(
        "import subprocess\nclass Box[T]:\n    def run(self):\n        subprocess.Popen('sh')\n",
        "import subprocess\nclass Box:\n    def run(self):\n        subprocess.Popen('sh')\n",
        id="pep695-generic-class",
    ),
    pytest.param(
        'import os\nprint(f"{os.system("id")}")\n',
        "import os\nprint(f\"{os.system('id')}\")\n",
        id="pep701-same-quotes",
    ),
    pytest.param(
        'import pickle\nd = {"k": b""}\nprint(f"{pickle.loads(d["k"])!r:>{10}}")\n',
        'import pickle\nd = {"k": b""}\nprint(f"{pickle.loads(d[\'k\'])!r:>{10}}")\n',
        id="pep701-nested-quotes-and-format-spec",
    ),
]


@pytest.mark.parametrize(("newer", "older"), SAME_CODE)
def test_newer_syntax_gets_the_findings_of_the_same_code_in_older_syntax(service, newer, older):
    with pytest.raises(SyntaxError):
        compile(newer, "<newer>", "exec")  # the server's own Python cannot parse it

    report = service.analyze(newer)
    same = service.analyze(older)

    assert report.verdict == "blocked"
    assert where(report) == where(same)
    assert report.parser == "cpython-3.13"  # the newest CPython here
    assert same.parser is None
    assert same.notes == ()


def test_the_whole_corpus_gets_the_same_findings_through_a_newer_parser(service):
    """Each corpus script (every trick the policy knows) with one PEP 695 line added at its
    end, so that Python 3.13 parses it and its tree is rebuilt: the same findings, at the
    same lines and columns, policy and bandit alike."""
    scripts = sorted(CORPUS.glob("*/*.py"))

    def compare(path: Path) -> tuple[str, list, list] | None:
        code = path.read_text(encoding="utf-8")
        own = service.analyze(code)
        if any(f.rule == "SF100" for f in own.findings):
            return None  # nothing parses it (Python 2, NUL bytes...)
        newer = service.analyze(code + "\ntype _Added = int\n")
        assert newer.parser == "cpython-3.13", path.name
        return path.name, where(own), where(newer)

    with ThreadPoolExecutor(2) as pool:
        compared = [c for c in pool.map(compare, scripts) if c is not None]

    assert len(compared) > 150
    assert [(name, newer) for name, _, newer in compared] == [(n, o) for n, o, _ in compared]


def test_the_report_says_which_interpreter_parsed_the_code_and_how(service, found):
    report = service.analyze('import os\ntype X = int\nos.system("id")\n').to_json()

    assert report["parser"] == "cpython-3.13"
    [note] = report["notes"]
    assert f"Parsed by cpython-3.13 (Python {found['3.13'].version})" in note
    assert f"syntax Python {OWN}, the server's, lacks" in note
    assert "Type aliases are checked as assignments" in note
    assert "Bandit checked the same tree" in note


def test_line_numbers_and_quoted_lines_survive_the_lowering(service):
    code = (
        "import os\n"
        "type Pair[K, V] = tuple[\n"
        "    K,\n"
        "    V,\n"
        "]\n"
        "def ident[T](x: T) -> T:\n"
        "    return x\n"
        'names = {"a": "b"}\n'
        'print(f"{names["a"]} {\'\\n\'.join(names)} {names[  # a comment in a field\n'
        '    "a"]}")\n'
        "os.system('id')\n"
        "value = f'{os.popen(\"ls\")}'\n"
    )

    report = service.analyze(code)

    policy = [(f.rule, f.line, f.column, f.code) for f in report.findings if f.source == "policy"]
    assert policy == [
        ("SF102", 11, 1, "os.system('id')"),
        ("SF102", 12, 12, "value = f'{os.popen(\"ls\")}'"),
    ]
    assert {f.line for f in report.findings} == {11, 12}  # bandit's too
    assert report.parser == "cpython-3.13"


def test_code_in_type_parameter_bounds_and_defaults_is_checked(service):
    code = (
        "import os\n"
        "def f[T: os.system('id')](x: T) -> T:\n"
        "    return x\n"
        "class C[T = os.popen]:\n"  # PEP 696 defaults: Python 3.13
        "    pass\n"
    )

    report = service.analyze(code)

    assert report.parser == "cpython-3.13"
    assert [(f.rule, f.line, f.column) for f in report.findings if f.source == "policy"] == [
        ("SF102", 2, 10),
        ("SF102", 4, 13),
    ]
    assert "bounds and defaults are checked as expressions" in report.notes[0]


def test_benign_newer_code_is_ok(service):
    code = (
        "type Point = tuple[float, float]\n"
        "def mid[T: (int, float)](a: T, b: T) -> float:\n"
        "    return (a + b) / 2\n"
        'd = {"x": 1}\n'
        'print(f"{d["x"]} {"\\n".join(["a", "b"])}")\n'
    )

    report = service.analyze(code)

    assert report.to_json()["verdict"] == "ok"
    assert report.parser == "cpython-3.13"


def test_the_scripts_own_interpreter_judges_its_syntax(service, found):
    alias = 'import os\ntype X = int\nos.system("id")\n'
    old = Interpreter("cpython-3.11", "CPython", "3.11.7", sys.executable)

    on_311 = service.analyze(alias, interpreter=old)
    on_313 = service.analyze(alias, interpreter=found["3.13"])

    [finding] = on_311.findings
    assert (finding.rule, finding.line, finding.blocks) == ("SF100", 2, True)
    assert "for cpython-3.11 (Python 3.11.7), the script's interpreter" in finding.message
    assert "invalid syntax" in finding.message
    assert on_313.parser == "cpython-3.13"
    assert [(f.rule, f.line) for f in on_313.findings if f.source == "policy"] == [("SF102", 3)]


def test_a_312_script_is_parsed_by_312(service, found):
    code = 'import os\ndef f[T: os.popen](x: T) -> T:\n    return x\nprint(f"{"x"}")\n'

    report = service.analyze(code, interpreter="cpython-3.12")  # by name, as the assistant has it

    assert report.parser == "cpython-3.12"
    assert [(f.rule, f.line, f.column) for f in report.findings] == [("SF102", 2, 10)]


def test_a_312_script_is_not_given_313_syntax(service, found):
    code = "class C[T = int]:\n    pass\n"  # type parameter defaults came with 3.13

    on_312 = service.analyze(code, interpreter=found["3.12"])
    unknown = service.analyze(code)

    [finding] = on_312.findings
    assert finding.rule == "SF100"
    assert f"for cpython-3.12 (Python {found['3.12'].version})" in finding.message
    assert unknown.verdict == "ok"
    assert unknown.parser == "cpython-3.13"


def test_an_older_interpreter_is_held_to_its_own_grammar(service):
    code = "match command:\n    case 'go':\n        pass\n"
    python39 = Interpreter("cpython-3.9", "CPython", "3.9.18", None)

    report = service.analyze(code, interpreter=python39)

    [finding] = report.findings
    assert finding.rule == "SF100"
    assert "for cpython-3.9 (Python 3.9.18), the script's interpreter" in finding.message
    assert service.analyze(code).verdict == "ok"


def test_an_interpreter_only_in_an_image_is_parsed_by_one_of_its_version_here(service, found):
    image_only = Interpreter("cpython-3.13", "CPython", "3.13.0", None, "scriptforge/py:3.13")

    report = service.analyze("type X = int\n", interpreter=image_only)

    assert report.verdict == "ok"
    assert report.parser == found["3.13"].name


def test_code_no_grammar_parses_stays_unanalysable(service):
    report = service.analyze("import os\ndef broken(:\n    os.system('id')\n")

    [finding] = report.findings
    assert (finding.rule, finding.line, finding.blocks) == ("SF100", 2, True)
    assert f"on Python {OWN} nor on cpython-3.13" in finding.message


def test_without_a_newer_interpreter_newer_syntax_is_unanalysable():
    report = GuardrailService().analyze("type X = int\n")

    [finding] = report.findings
    assert finding.rule == "SF100"
    assert f"cannot be analysed on Python {OWN} (invalid syntax)" in finding.message


# --- a parser helper that misbehaves: real processes, each failing its own way ---------


def fake_python(tmp_path: Path, body: str) -> Interpreter:
    path = tmp_path / "python3.99"
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(0o755)
    return Interpreter("cpython-3.99", "CPython", "3.99.0", str(path))


@pytest.mark.parametrize(
    ("body", "why"),
    [
        ("exec sleep 30", "its parser did not answer within 0.5 s"),
        ("kill -SEGV $$", "its parser stopped with SIGSEGV"),
        ("exit 3", "its parser stopped with exit status 3"),
        ("echo '[not a tree'", "its parser answered something that is not a tree"),
        ('echo \'{"fields": {}, "nodes": [["Bogus", null]], "root": 0}\'', "cannot read"),
    ],
    ids=["hangs", "crashes", "fails", "garbage", "bad-tree"],
)
@pytest.mark.timeout(20)  # a helper that hangs sleeps 30 s: only the parser timeout ends it
def test_a_helper_that_fails_gives_a_clear_blocking_finding(tmp_path, body, why):
    python = fake_python(tmp_path, body)
    service = GuardrailService(interpreters=lambda: [python], parser_timeout=0.5)

    report = service.analyze("import os\ntype X = int\n")

    [finding] = report.findings
    assert (finding.rule, finding.blocks) == ("SF100", True)
    assert f"on Python {OWN} nor on cpython-3.99 (Python 3.99.0)" in finding.message
    assert why in finding.message


def test_the_helper_gets_no_environment_and_no_site(tmp_path, found, monkeypatch):
    """What the helper process sees: ``-I -S``, an empty environment, ``/``."""
    spy = tmp_path / "python3.13"
    record = tmp_path / "seen.json"
    spy.write_text(
        f"#!/bin/sh\n{found['3.13'].path} -c 'import json, os, sys; "
        f'json.dump({{"argv": sys.argv, "env": dict(os.environ), "cwd": os.getcwd()}}, '
        f'open("{record}", "w"))\' "$@"\n'
        f'exec {found["3.13"].path} "$@"\n'
    )
    spy.chmod(0o755)
    monkeypatch.setenv("SCRIPTFORGE_TEST_SECRET", "hunter2")
    python = Interpreter("cpython-3.13", "CPython", found["3.13"].version, str(spy))

    report = GuardrailService(interpreters=lambda: [python]).analyze("type X = int\n")

    assert report.verdict == "ok"
    seen = json.loads(record.read_text())
    assert seen["argv"][1:] == ["-I", "-S", str(HELPER)]
    assert "SCRIPTFORGE_TEST_SECRET" not in seen["env"]
    assert seen["cwd"] == "/"


# --- the lowering itself ---------------------------------------------------------------


def exported(found: dict[str, Interpreter], code: str) -> dict:
    path = found["3.13"].path
    assert path is not None
    answer = subprocess.run(
        [path, "-I", "-S", str(HELPER)], input=code.encode(), capture_output=True, check=True
    )
    return json.loads(answer.stdout)


def test_an_unknown_node_is_never_dropped(found):
    answer = exported(found, "x = 1\n")
    answer["fields"]["Shiny"] = answer["fields"].pop("Constant")
    answer["nodes"] = [
        ["Shiny", *entry[1:]] if entry[0] == "Constant" else entry for entry in answer["nodes"]
    ]

    with pytest.raises(LoweringError, match="it uses Shiny"):
        rebuild(answer)


def test_an_unknown_field_holding_code_is_never_dropped(found):
    answer = exported(found, "print(1)\n")
    answer["fields"]["Call"].append("extra")
    answer["nodes"] = [[*entry, [0]] if entry[0] == "Call" else entry for entry in answer["nodes"]]

    with pytest.raises(LoweringError, match=r"Call\.extra"):
        rebuild(answer)


def test_t_strings_become_f_strings():
    """PEP 750 (Python 3.14, not on this machine): a t-string's interpolations run like an
    f-string's; the document is what 3.14's helper writes for ``t"{os.system('id')}"``."""
    answer = {
        "fields": {
            "Load": [],
            "Name": ["id", "ctx"],
            "Attribute": ["value", "attr", "ctx"],
            "Constant": ["value", "kind"],
            "Call": ["func", "args", "keywords"],
            "Interpolation": ["value", "str", "conversion", "format_spec"],
            "TemplateStr": ["values"],
            "Expr": ["value"],
            "Module": ["body", "type_ignores"],
        },
        "nodes": [
            ["Load", None],
            ["Name", [1, 3, 1, 5], "os", 0],
            ["Attribute", [1, 3, 1, 12], 1, "system", 0],
            ["Constant", [1, 13, 1, 17], "id", None],
            ["Call", [1, 3, 1, 18], 2, [3], []],
            ["Interpolation", [1, 2, 1, 19], 4, "os.system('id')", {"#": -1}, None],
            ["TemplateStr", [1, 0, 1, 20], [5]],
            ["Expr", [1, 0, 1, 20], 6],
            ["Module", None, [7], []],
        ],
        "root": 8,
    }

    tree, lowered = rebuild(answer)

    assert lowered == {"TemplateStr": 1}
    assert ast.dump(tree) == ast.dump(ast.parse("f\"{os.system('id')}\""))
    report = GuardrailService().analyze("t\"{os.system('id')}\"\n")  # not on 3.11: SF100
    assert report.findings[0].rule == "SF100"
