"""A script's parameters read from its code without running it: argparse's arguments, or a
``main`` signature, as the JSON Schema a run form is drawn from."""

from __future__ import annotations

import json
import keyword

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jupyter_scriptforge.errors import InvalidInput
from jupyter_scriptforge.parameters.reader import read_parameters
from jupyter_scriptforge.parameters.values import argv_of, check_values

ARGPARSE = """
import argparse
from pathlib import Path

def build():
    parser = argparse.ArgumentParser(description="Nightly report")
    parser.add_argument("region", choices=["eu", "us"], help="Where to report on")
    parser.add_argument("-n", "--count", type=int, default=3, help="How many rows")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--ratio", type=float)
    parser.add_argument("--dry-run", action="store_true", help="Print only")
    parser.add_argument("--tag", action="append", default=[])
    parser.add_argument("files", nargs="*")
    parser.add_argument("-v", "--verbose", action="count")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--fast", action="store_true")
    parser.add_argument("--version", action="version", version="1")
    return parser.parse_args()
"""


def test_argparse_arguments_become_a_schema_in_argv_order():
    found = read_parameters(ARGPARSE)

    assert found is not None
    assert found.style == "argparse"
    schema = found.json_schema()
    assert list(schema["properties"]) == [
        "region",
        "files",
        "count",
        "out",
        "ratio",
        "dry_run",
        "tag",
        "verbose",
        "fast",
    ]
    properties = schema["properties"]
    assert properties["region"] == {
        "title": "region",
        "type": "string",
        "enum": ["eu", "us"],
        "description": "Where to report on",
    }
    assert properties["count"]["type"] == "integer"
    assert properties["count"]["default"] == 3
    assert properties["out"] == {"title": "out", "type": "string", "format": "path"}
    assert properties["ratio"]["type"] == "number"
    assert properties["dry_run"] == {
        "title": "dry_run",
        "type": "boolean",
        "default": False,
        "description": "Print only",
    }
    assert properties["tag"] == {
        "title": "tag",
        "type": "array",
        "items": {"type": "string"},
        "default": [],
    }
    assert properties["files"]["type"] == "array"
    assert properties["verbose"]["type"] == "integer"
    assert schema["required"] == ["region", "out"]
    assert schema["additionalProperties"] is False
    flags = {item.name: item.flag for item in found.items}
    assert flags["count"] == "--count"
    assert flags["region"] is None
    assert flags["dry_run"] == "--dry-run"


def test_a_main_signature_becomes_a_schema():
    source = """
from datetime import date
from typing import Literal, Optional

def main(name: str, count: int = 3, when: date | None = None, *,
         mode: Literal["a", "b"] = "a", ratio: "float" = 0.5, tags: list[str] = (),
         flag: bool = False, other: Optional[int] = None):
    pass
"""
    found = read_parameters(source)

    assert found is not None
    assert found.style == "main"
    schema = found.json_schema()
    properties = schema["properties"]
    assert properties["name"]["type"] == "string"
    assert properties["count"] == {"title": "count", "type": "integer", "default": 3}
    assert properties["when"] == {"title": "when", "type": "string", "format": "date"}
    assert properties["mode"] == {"title": "mode", "enum": ["a", "b"], "default": "a"}
    assert properties["ratio"]["type"] == "number"
    assert properties["tags"] == {
        "title": "tags",
        "type": "array",
        "items": {"type": "string"},
        "default": [],
    }
    assert properties["flag"]["type"] == "boolean"
    assert properties["other"]["type"] == "integer"
    assert schema["required"] == ["name"]


def test_argparse_wins_over_a_main_that_parses_its_own_arguments():
    source = "import argparse\ndef main():\n    p = argparse.ArgumentParser()\n"
    source += "    p.add_argument('--day')\n    return p.parse_args()\n"
    found = read_parameters(source)
    assert found is not None
    assert found.style == "argparse"
    assert [item.name for item in found.items] == ["day"]


def test_scripts_without_readable_parameters_keep_free_form_arguments():
    for source in (
        "print('hello')\n",
        "def main():\n    pass\n",
        "def main(*args, **kwargs):\n    pass\n",
        "import sys\nprint(sys.argv[1])\n",
        "def broken(:\n",
        "import argparse\nargparse.ArgumentParser().add_argument(NAME)\n",
    ):
        assert read_parameters(source) is None, source


def test_computed_values_are_read_as_text_not_run():
    source = (
        "import argparse, os\np = argparse.ArgumentParser()\n"
        "p.add_argument('--when', type=parse_day, default=os.environ['HOME'])\n"
    )
    found = read_parameters(source)
    assert found is not None
    assert found.json_schema()["properties"]["when"] == {"title": "when", "type": "string"}


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_text_reads_without_error_into_valid_json(source):
    found = read_parameters(source)
    if found is not None:
        json.dumps(found.json_schema())


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True).filter(
                lambda name: not keyword.iskeyword(name)
            ),
            st.sampled_from(["int", "float", "str", "bool", "Path", "date"]),
            st.one_of(st.none(), st.integers(-5, 5), st.text(max_size=5)),
        ),
        min_size=1,
        max_size=6,
        unique_by=lambda item: item[0],
    )
)
def test_every_main_argument_is_a_field_in_order(arguments):
    signature = ", ".join(
        f"{name}: {kind}" + (f" = {default!r}" if default is not None else "")
        for name, kind, default in sorted(arguments, key=lambda a: a[2] is not None)
    )
    found = read_parameters(f"def main({signature}):\n    pass\n")
    assert found is not None
    ordered = sorted(arguments, key=lambda a: a[2] is not None)
    assert [item.name for item in found.items] == [name for name, _, _ in ordered]
    assert found.json_schema()["required"] == [n for n, _, d in ordered if d is None]


# --- values → the command line ----------------------------------------------------------

PARSER = """
import argparse
parser = argparse.ArgumentParser(exit_on_error=False)
parser.add_argument("region")
parser.add_argument("files", nargs="*")
parser.add_argument("-n", "--count", type=int, default=3)
parser.add_argument("--ratio", type=float)
parser.add_argument("--dry-run", action="store_true")
parser.add_argument("--keep", action="store_false")
parser.add_argument("--tag", action="append")
parser.add_argument("--pair", nargs=2)
parser.add_argument("-v", action="count", default=0)
parser.add_argument("-s")
"""
TEXT = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=8
).filter(lambda text: text != "--")  # refused: argparse drops it (see below)


@settings(max_examples=300, deadline=None)
@given(
    region=TEXT,
    files=st.lists(TEXT, max_size=3),
    count=st.integers(-(10**6), 10**6),
    ratio=st.floats(allow_nan=False, allow_infinity=False, width=32),
    dry_run=st.booleans(),
    keep=st.booleans(),
    tag=st.lists(TEXT, min_size=1, max_size=3),
    # A list option's values cannot start with "-" (argparse would take them for options).
    pair=st.lists(TEXT.filter(lambda text: not text.startswith("-")), min_size=2, max_size=2),
    v=st.integers(0, 4),
    s=TEXT,
)
def test_the_command_line_reads_back_as_the_values(**values):
    """Whatever the values (a text starting with "-" included), the script's own parser
    reads back exactly them from the command line ScriptForge passes."""
    found = read_parameters(PARSER)
    assert found is not None
    check_values(found, values)
    namespace: dict[str, object] = {}
    exec(PARSER, namespace)
    parsed = vars(namespace["parser"].parse_args(argv_of(found, values)))  # type: ignore[attr-defined]
    assert parsed == values


def test_values_the_schema_refuses_name_their_field():
    found = read_parameters(ARGPARSE)
    assert found is not None
    for values, field in (
        ({"region": "mars", "out": "x"}, "region"),
        ({"region": "eu", "out": "x", "count": "three"}, "count"),
        ({"region": "eu"}, "out"),  # required
        ({"region": "eu", "out": "x", "colour": "red"}, "colour"),  # no such parameter
    ):
        with pytest.raises(InvalidInput) as refused:
            check_values(found, values)
        assert refused.value.details.get("field") == field, refused.value.message
        assert repr(field) in refused.value.message


def test_parsers_not_read_whole_keep_free_form_arguments():
    """A form missing one argument would only give command lines the parser refuses."""
    base = "import argparse\np = argparse.ArgumentParser()\np.add_argument('--day')\n"
    for extra in (
        "sub = p.add_subparsers()\n",
        "def more(parser):\n    parser.add_argument('--other')\n",
        "p.add_argument('--f', action=argparse.BooleanOptionalAction)\n",
        "p.add_argument('--f', nargs=argparse.ONE_OR_MORE)\n",
        "p.add_argument('--f', action=Mine)\n",
        "p.add_argument('--f', action='store_const', const=1)\n",
        "p.add_argument('--f', action='extend')\n",
        "p.add_argument('--f', action='store_true', default=True)\n",
        "p.add_argument('--f', **options)\n",
    ):
        assert read_parameters(base + extra) is None, extra
    assert read_parameters(base) is not None


def test_what_argparse_itself_decides_is_kept():
    source = (
        "import argparse\np = argparse.ArgumentParser()\n"
        "p.add_argument('when', default='today')\n"  # still required by argparse
        "p.add_argument('--yes', type=bool)\n"  # bool('False') is True: text
        "p.add_argument('--pair', nargs=2, type=int)\n"
        "p.add_argument('-v', action='count')\n"
        "p.add_argument('--quiet', action='store_true', default=argparse.SUPPRESS)\n"
    )
    found = read_parameters(source)
    assert found is not None
    schema = found.json_schema()
    assert schema["required"] == ["when"]
    assert schema["properties"]["yes"] == {"title": "yes", "type": "string"}
    pair = schema["properties"]["pair"]
    assert (pair["minItems"], pair["maxItems"], pair["items"]) == (2, 2, {"type": "integer"})
    assert schema["properties"]["v"]["maximum"] == 100
    assert schema["properties"]["quiet"]["default"] is False


def test_values_no_command_line_can_carry_are_refused_naming_the_field():
    found = read_parameters(
        "import argparse\np = argparse.ArgumentParser()\n"
        "p.add_argument('first', nargs='?')\np.add_argument('second', nargs='?')\n"
        "p.add_argument('--name')\np.add_argument('--pair', nargs=2)\n"
    )
    assert found is not None
    for values, field in (
        ({"second": "x"}, "first"),  # argparse would read it as the first
        ({"name": "--"}, "name"),  # argparse drops "--" wherever it stands
        ({"pair": ["-a", "b"]}, "pair"),  # taken for an option
    ):
        with pytest.raises(InvalidInput) as refused:
            argv_of(found, values)
        assert refused.value.details["field"] == field


def test_an_integer_written_as_5_point_0_reaches_the_script_as_5():
    found = read_parameters(
        "import argparse\np = argparse.ArgumentParser()\np.add_argument('--n', type=int)\n"
    )
    assert found is not None
    check_values(found, {"n": 5.0})
    assert argv_of(found, {"n": 5.0}) == ["--n=5"]
