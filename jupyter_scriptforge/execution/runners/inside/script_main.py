"""Running a script as ``__main__``, the way ``python script.py`` would, inside a sandbox.

Shared by the local runner's launcher (inside/launch.py) and the Docker runner's container
program (inside/container.py), which follow it. The script is compiled from its text, so a
coding cookie is ignored and it runs as it was read (and analysed): UTF-8. When the run has
a runtime policy, inside/policy.py precedes this program and is installed between the
compile and the run.

A run given parameter values for the script's ``def main(...)`` (Windmill's convention)
loads the script as a module named ``__script__`` instead: its ``if __name__ ==
"__main__":`` block stays out of the way, and ``main`` is then called with the values, dates
and paths made from their text, and what it returns printed.

Annotations are quoted: they must not be evaluated by a Python 3.8.
"""

import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:  # for the annotations alone: importing types costs a run 0.5 ms
    import types


def run_script(
    path: "str", args: "list[str]", policy: "str | None", call: "str | None" = None
) -> None:
    """The child's part: run ``path`` the way ``python path args...`` would; with ``call``
    (JSON: ``values`` by name, ``kinds`` of those to convert), call its ``main``."""
    with open(path, encoding="utf-8") as file:
        source = file.read()
    main = type(sys)("__main__" if call is None else "__script__")
    main.__dict__.update(__file__=path, __cached__=None, __builtins__=__builtins__)
    sys.modules["__main__"] = sys.modules[main.__name__] = main
    sys.argv = [path, *args]
    sys.path[0] = os.path.dirname(path)
    try:
        # Compiled from text, a coding cookie is ignored: the script runs as it was read
        # (and analysed), as UTF-8.
        code = compile(source, path, "exec", dont_inherit=True)
        if policy is not None:
            globals()["install_runtime_policy"](path, policy, code)  # inside/policy.py
        exec(code, main.__dict__)
        if call is not None:
            _call_main(main.__dict__, call)
    except SystemExit:
        raise
    except BaseException as error:
        trace = _without_own_frames(error.__traceback__)
        sys.excepthook(type(error), error.with_traceback(trace), trace)
        sys.exit(1)


def _call_main(namespace: "dict[str, object]", call: "str") -> None:
    import json

    request = json.loads(call)
    kinds = request["kinds"]
    values = {name: _converted(value, kinds.get(name)) for name, value in request["values"].items()}
    function = namespace.get("main")
    if not callable(function):
        raise TypeError("the script has no function main() to call with its parameters")
    result = function(**values)
    if hasattr(result, "__await__"):  # async def main
        import asyncio

        result = asyncio.run(result)
    if result is not None:
        print(result)


def _converted(value: "object", kind: "str | None") -> "object":
    """A value of JSON as ``main``'s annotation asks (the server sent ISO texts)."""
    if kind is None or value is None:
        return value
    if isinstance(value, list):
        return [_converted(item, kind) for item in value]
    import datetime
    import pathlib

    makers = {
        "date": datetime.date.fromisoformat,
        "date-time": datetime.datetime.fromisoformat,
        "time": datetime.time.fromisoformat,
        "path": pathlib.Path,
    }
    return makers[kind](value)  # type: ignore[arg-type]


def _without_own_frames(trace: "types.TracebackType | None") -> "types.TracebackType | None":
    """The traceback `python script.py` would print: without this program's frames (the
    launcher's before the script, the runtime policy's hook after it)."""
    while trace is not None and trace.tb_frame.f_globals is globals():
        trace = trace.tb_next
    link = trace
    while link is not None and link.tb_next is not None:
        if link.tb_next.tb_frame.f_globals is globals():
            link.tb_next = None
        else:
            link = link.tb_next
    return trace
