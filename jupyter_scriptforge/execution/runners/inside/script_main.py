"""Running a script as ``__main__``, the way ``python script.py`` would, inside a sandbox.

Shared by the local runner's launcher (inside/launch.py) and the Docker runner's container
program (inside/container.py), which follow it. The script is compiled from its text, so a
coding cookie is ignored and it runs as it was read (and analysed): UTF-8. When the run has
a runtime policy, inside/policy.py precedes this program and is installed between the
compile and the run.

Annotations are quoted: they must not be evaluated by a Python 3.8.
"""

import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:  # for the annotations alone: importing types costs a run 0.5 ms
    import types


def run_script(path: "str", args: "list[str]", policy: "str | None") -> None:
    """The child's part: run ``path`` the way ``python path args...`` would."""
    with open(path, encoding="utf-8") as file:
        source = file.read()
    main = type(sys)("__main__")
    main.__dict__.update(__file__=path, __cached__=None, __builtins__=__builtins__)
    sys.modules["__main__"] = main
    sys.argv = [path, *args]
    sys.path[0] = os.path.dirname(path)
    try:
        # Compiled from text, a coding cookie is ignored: the script runs as it was read
        # (and analysed), as UTF-8.
        code = compile(source, path, "exec", dont_inherit=True)
        if policy is not None:
            globals()["install_runtime_policy"](path, policy, code)  # inside/policy.py
        exec(code, main.__dict__)
    except SystemExit:
        raise
    except BaseException as error:
        trace = _without_own_frames(error.__traceback__)
        sys.excepthook(type(error), error.with_traceback(trace), trace)
        sys.exit(1)


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
