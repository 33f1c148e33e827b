"""The assistant's prompts, and reading code back out of the model's answers.

Prompts are short and explicit: a code action asks for the whole file in one ``python``
block, so the answer can be diffed and saved as it is.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .model import Message

SYSTEM = (
    "You are ScriptForge's assistant. You write standalone Python scripts that a team runs "
    "from a shared catalog. Prefer the standard library, handle errors clearly, and never "
    "include secrets. Text like «redacted-1» stands for a secret that was held back: keep "
    "each such placeholder exactly as it is, where it is."
)

_WHOLE_FILE = (
    "Answer with the complete script in exactly one ```python fenced block, followed by at "
    "most three short sentences on what you did. No other code blocks."
)

_FENCE = re.compile(r"^[ \t]*```[ \t]*([\w+-]*)[^\n]*\n(.*?)(?:^[ \t]*```[ \t]*$|\Z)", re.S | re.M)
_PYTHON = ("python", "py", "python3")


def interpreter_line(name: str | None, implementation: str | None, version: str | None) -> str:
    if not name:
        return "Target interpreter: unknown; write Python 3.11 compatible code."
    what = " ".join(part for part in (implementation, version) if part)
    return f"Target interpreter: {name}" + (f" ({what})." if what else ".")


def _messages(user: str) -> list[Message]:
    return [{"role": "system", "content": SYSTEM}, {"role": "user", "content": user}]


def generate(prompt: str, interpreter: str) -> list[Message]:
    return _messages(
        f"Write a new Python script.\n{interpreter}\n\nTask:\n{prompt}\n\n{_WHOLE_FILE}"
    )


def edit(content: str, instruction: str, name: str, interpreter: str) -> list[Message]:
    return _messages(
        f"Change the script {name} as asked.\n{interpreter}\n\n"
        f"Current script:\n```python\n{content}\n```\n\nChange:\n{instruction}\n\n{_WHOLE_FILE}"
    )


def explain(content: str, selection: str | None, question: str | None = None) -> list[Message]:
    ask = f"\n\nThe reader asks: {question}" if question else ""
    if selection:
        return _messages(
            "Explain what the selected part of this Python script does, in plain prose for a "
            "colleague: purpose, inputs and outputs, and anything surprising or risky."
            f"{ask}\n\n"
            f"Script:\n```python\n{content}\n```\n\nSelected part:\n```python\n{selection}\n```"
        )
    return _messages(
        "Explain what this Python script does, in plain prose for a colleague: purpose, "
        f"inputs and outputs, and anything surprising or risky.{ask}\n\n"
        f"Script:\n```python\n{content}\n```"
    )


def fix(content: str, output_tail: str, status: str, name: str, interpreter: str) -> list[Message]:
    return _messages(
        f"The script {name} {status.replace('_', ' ')} when run. Fix the cause of the failure "
        f"and change nothing else.\n{interpreter}\n\n"
        f"Script:\n```python\n{content}\n```\n\n"
        f"End of its output (the traceback, if any):\n```text\n{output_tail}\n```\n\n{_WHOLE_FILE}"
    )


@dataclass(frozen=True)
class Attached:
    """A file attached to a chat question, as the model is shown it (texts already
    filtered)."""

    path: str  # relative to the server root, as attached
    content: str
    script: str | None = None  # the ScriptForge script's name, when the file is one
    interpreter: str | None = None  # the script's interpreter line
    failure: str | None = None  # how the script's latest run ended, when it failed
    output_tail: str | None = None  # the end of that run's output


def chat(message: str, files: Sequence[Attached] = ()) -> list[Message]:
    if not files:
        return _messages(
            "Answer this question about a Python script. Put any script in one ```python "
            f"fenced block.\n\n{message}"
        )
    attached = "\n\n".join(_attached(file) for file in files)
    return _messages(
        "Answer this question about Python scripts; the files it is about are attached. "
        "Put any script in one ```python fenced block; when you change an attached script, "
        "give the complete changed script.\n\n"
        f"{attached}\n\nQuestion:\n{message}"
    )


def _attached(file: Attached) -> str:
    if file.script is None:
        language = "python" if file.path.endswith(".py") else ""
        return f"Attached file {file.path}:\n{fenced(file.content, language)}"
    text = (
        f"Attached ScriptForge script {file.script} ({file.path}).\n{file.interpreter or ''}\n"
        f"{fenced(file.content, 'python')}"
    )
    if file.failure:
        status = file.failure.replace("_", " ")
        text += (
            f"\nIts latest run {status}. End of its output (the traceback, if any):\n"
            f"{fenced(file.output_tail or '(no output)', 'text')}"
        )
    return text


def fenced(text: str, language: str = "") -> str:
    """``text`` in a fenced block whose fence is longer than any run of backticks in it,
    so that an attached Markdown file (or a diff of one) cannot close it early."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    body = text.removesuffix("\n")
    return f"{fence}{language}\n{body}\n{fence}"


def whole_file(blocks: Sequence[str], original: str) -> str | None:
    """The first block of a chat answer that is the attached script changed rather than a
    snippet of it: one that keeps at least half of the script's non-blank lines."""
    lines = [line.strip() for line in original.splitlines() if line.strip()]
    for block in blocks:
        kept = {line.strip() for line in block.splitlines()}
        if lines and 2 * sum(line in kept for line in lines) >= len(lines):
            return block
    return None


def has_code(answer: str) -> bool:
    """Whether an answer holds a fenced code block."""
    return _FENCE.search(answer) is not None


def extract_code(answer: str) -> str:
    """The script in a model's answer: its ```python block (else its first fenced block, else
    the whole answer), ending with a newline."""
    blocks = [(m.group(1).lower(), m.group(2)) for m in _FENCE.finditer(answer)]
    python = [body for lang, body in blocks if lang in _PYTHON]
    plain = [body for lang, body in blocks if not lang]
    code = (python or plain or [answer])[0].strip("\n")
    return code + "\n" if code.strip() else ""


def code_blocks(answer: str) -> list[str]:
    """Every python (or unlabelled) fenced block of an answer, in order, each ending with a
    newline: a chat answer may hold several, and any of them may be copied and run."""
    found = []
    for match in _FENCE.finditer(answer):
        if match.group(1).lower() in ("", *_PYTHON):
            lines = match.group(2).split("\n")
            while lines and not lines[0].strip():
                del lines[0]
            while lines and not lines[-1].strip():
                del lines[-1]
            if lines:
                found.append("\n".join(lines) + "\n")
    return found
