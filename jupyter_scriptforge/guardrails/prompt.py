"""Prompt-side filters: what may leave the server for a model.

``PromptFilter(max_chars).apply(text)`` refuses text over the size cap (``PromptTooLarge``,
a 413) and redacts secrets: well-known key and token formats wherever they appear, and
string values given to secret-looking names (``password = "..."``, ``api_key="..."``,
``{"token": "..."}``, ``user, password = "bob", "..."``, ``password = (\n "..."\n)``), secret
parameters of URLs and connection strings (``?api_key=...&``, ``;AccountKey=...;``) and
shell environment prefixes (``PGPASSWORD=... psql``), whose value becomes ``«redacted»``
while the name stays, so the model still understands the code. The result says which kinds
were redacted and how often, never what.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from ..errors import TooLarge

REDACTED = "«redacted»"


class PromptTooLarge(TooLarge):
    """A prompt (instruction, script and context together) over ``max_prompt_chars``."""


@dataclass(frozen=True)
class Redacted:
    text: str
    counts: dict[str, int] = field(default_factory=dict)  # kind → how many were redacted

    @property
    def total(self) -> int:
        return sum(self.counts.values())


# --- well-known formats, most specific first ----------------------------------------------
# Each pattern's group "secret" is what goes; the rest stays.

_KEY_BLOCK = re.compile(
    r"-----BEGIN (?P<kind>[A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?)-----"
    r"(?P<secret>.*?)"
    r"(?:-----END (?P=kind)-----|\Z)",
    re.DOTALL,
)
_FORMATS: list[tuple[str, re.Pattern[str]]] = [
    ("anthropic_key", re.compile(r"(?P<secret>\bsk-ant-[A-Za-z0-9_\-]{20,})")),
    (
        "openai_key",
        re.compile(r"(?P<secret>\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_\-]{20,})"),
    ),
    ("aws_access_key", re.compile(r"(?P<secret>\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b)")),
    (
        "aws_secret_key",
        re.compile(
            r"(?i:aws.{0,20}?secret.{0,20}?)\W{0,6}(?P<secret>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])"
        ),
    ),
    ("github_token", re.compile(r"(?P<secret>\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36,})")),
    ("github_token", re.compile(r"(?P<secret>\bgithub_pat_[A-Za-z0-9_]{22,})")),
    ("slack_token", re.compile(r"(?P<secret>\bxox[abposrce]-[A-Za-z0-9-]{10,})")),
    (
        "slack_webhook",
        re.compile(r"hooks\.slack\.com/services/(?P<secret>[A-Za-z0-9_/]{20,})"),
    ),
    ("google_api_key", re.compile(r"(?P<secret>\bAIza[0-9A-Za-z_\-]{35})")),
    ("huggingface_token", re.compile(r"(?P<secret>\bhf_[A-Za-z0-9]{30,})")),
    ("stripe_key", re.compile(r"(?P<secret>\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,})")),
    (
        "jwt",
        re.compile(r"(?P<secret>\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,})"),
    ),
    (
        "bearer_token",
        re.compile(
            r"(?i:\b(?:bearer|basic)[ \t]+|authorization[\"']?[ \t]*[:=][ \t]*[\"']?token[ \t]+)"
            r"(?P<secret>[A-Za-z0-9._~+/=\-]{16,})"
        ),
    ),
    (
        "url_password",
        re.compile(r"\b[A-Za-z][A-Za-z0-9+.\-]*://[^\s:/@\"']+:(?P<secret>[^\s@/\"']+)@"),
    ),
]

# --- secret-looking names given a string literal --------------------------------------------

_SECRET_WORDS = frozenset(
    {
        "password",
        "passwd",
        "passphrase",
        "pass",
        "pwd",
        "pw",
        "secret",
        "secrets",
        "token",
        "tokens",
        "apikey",
        "credential",
        "credentials",
        "auth",
        "authorization",
        "bearer",
        "cookie",
        "sessionid",
        "privatekey",
    }
)
_SECRET_PAIRS = frozenset(
    {
        ("api", "key"),
        ("access", "key"),
        ("secret", "key"),
        ("private", "key"),
        ("client", "secret"),
        ("session", "key"),
        ("signing", "key"),
        ("encryption", "key"),
        ("master", "key"),
        ("auth", "key"),
        ("account", "key"),
        ("license", "key"),
    }
)
# A name ending in one of these holds something about a secret, not the secret itself.
_NOT_SECRET_ENDINGS = frozenset(
    {
        "url",
        "uri",
        "endpoint",
        "host",
        "type",
        "field",
        "name",
        "names",
        "label",
        "header",
        "path",
        "file",
        "dir",
        "env",
        "var",
        "variable",
        "prompt",
        "length",
        "len",
        "count",
        "min",
        "max",
        "pattern",
        "regex",
        "re",
        "policy",
        "id",
        "expiry",
        "expires",
        "ttl",
        "hint",
        "format",
        "method",
        "mode",
        "scheme",
        "scope",
        "scopes",
        "kind",
    }
)
_NAME_PARTS = re.compile(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])")

_STRING = (
    r"""(?P<prefix>[rRbBuUfF]{0,2})(?P<quote>\"\"\"|'''|"|')"""
    # A backslash is only ever an escape: with one way to match it, a long run of them in
    # an unclosed string cannot make the engine try every split (exponential time).
    r"""(?P<value>(?:\\.|(?!(?P=quote))[^\\])*?)(?P=quote)"""
)
_LITERAL_ASSIGNMENTS = [
    # name = "...", name: str = "...", f(name="..."), def f(name="...")
    re.compile(
        r"(?<!\w)(?P<name>[A-Za-z_]\w*)[ \t]*(?::[ \t]*[\w\[\]., |]+?[ \t]*)?"
        r"(?<![=!<>])=(?!=)[ \t]*" + _STRING,
        re.DOTALL,
    ),
    # {"name": "..."} (dicts, JSON, YAML), ["name"] = "..." (os.environ, settings dicts)
    re.compile(
        r"(?P<q>[\"'])(?P<name>[A-Za-z_][\w\-]*)(?P=q)[ \t]*(?::|\][ \t]*=(?!=))[ \t]*" + _STRING,
        re.DOTALL,
    ),
]
# NAME=value and name: value lines with an unquoted value (.env files, shell, YAML, INI).
_UNQUOTED = re.compile(
    r"^(?P<lead>[ \t]*(?:export[ \t]+)?(?P<name>[A-Za-z_][\w\-]*)[ \t]*(?P<sep>[=:])[ \t]*)"
    r"(?P<value>[^\s\"'#][^\s#]*)[ \t]*$",
    re.MULTILINE,
)
# name=value inside a URL's query or a connection string: ?api_key=...&, ;AccountKey=...;
_PARAMETER = re.compile(
    r"(?P<lead>[?&;][ \t]*(?P<name>[A-Za-z_][\w\-]*)[ \t]*=[ \t]*)"
    r"(?P<value>[^&;\s\"'#<>`]+)"
)
# NAME=value before a command or another assignment, in shell-like text: PGPASSWORD=x psql
_ENV_PREFIX = re.compile(
    r"(?:(?<=^)|(?<=[\s;&|(`!'\"]))(?P<lead>(?P<name>[A-Z_][A-Z0-9_]*)=)"
    r"(?P<value>[^\s\"'`;&|()]+)(?=[ \t]*[;&|]|[ \t]+[\w./~$-])",
    re.MULTILINE,
)
# a, b = "...", "..." (tuple assignments: each name gets its own value)
_TUPLE_ASSIGNMENT = re.compile(
    r"(?<![\w.])\(?[ \t]*(?P<names>[A-Za-z_]\w*(?:[ \t]*,[ \t]*[A-Za-z_]\w*){1,7})"
    r"[ \t]*,?[ \t]*\)?[ \t]*"
    r"=(?!=)[ \t]*\(?[ \t]*(?P<values>"
    + _STRING.replace("(?P<", "(?P<t1_").replace("(?P=", "(?P=t1_")
    + r"(?:[ \t]*,[ \t]*"
    + _STRING.replace("(?P<", "(?P<t2_").replace("(?P=", "(?P=t2_")
    + r")+)",
)
# name = (\n "..." \n "..." \n): a value in parentheses, over several lines
_PARENTHESISED = re.compile(
    r"(?<!\w)(?P<name>[A-Za-z_]\w*)[ \t]*(?::[ \t]*[\w\[\]., |]+?[ \t]*)?"
    r"(?<![=!<>])=(?!=)[ \t]*\((?P<values>\s*(?:"
    + _STRING.replace("(?P<", "(?P<p_").replace("(?P=", "(?P=p_")
    + r"\s*)+)\)",
)
_STRING_RE = re.compile(_STRING, re.DOTALL)
_PLACEHOLDER = re.compile(r"[{%$<]|\*+$|x+$|\.\.\.$", re.IGNORECASE)
_CODE_VALUE = re.compile(
    r"[A-Z][A-Z0-9_]*|[A-Za-z_]\w*(?:\.\w+)+|[\d.]+|None|True|False|.*[(\[{].*"
)
_TYPE_VALUE = re.compile(r"(?:str|bytes|int|Any|SecretStr|Optional\[.*\]|.*\|.*|.*\[.*\])")


def is_secret_name(name: str) -> bool:
    """``DB_PASSWORD``, ``DB_PASS``, ``PGPASSWORD``, ``apiKey``, ``client_secret``, ``auth`` —
    not ``author``, not ``bypass``, not ``token_url``, not ``password_file``."""
    parts = [p.lower() for p in _NAME_PARTS.findall(name.replace("-", "_"))]
    if not parts or parts[-1] in _NOT_SECRET_ENDINGS:
        return False
    if any(p in _SECRET_WORDS or p.endswith(("password", "passwd")) for p in parts):
        return True
    return any(pair in _SECRET_PAIRS for pair in itertools.pairwise(parts))


def redact(text: str) -> Redacted:
    """``text`` with every secret it holds replaced by ``«redacted»``."""
    counts: Counter[str] = Counter()

    def replace_group(kind: str) -> Callable[[re.Match[str]], str]:
        def replace(match: re.Match[str]) -> str:
            if match.group("secret") in ("", REDACTED):
                return match.group(0)
            counts[kind] += 1
            start, end = match.span("secret")
            whole = match.group(0)
            offset = match.start()
            return whole[: start - offset] + REDACTED + whole[end - offset :]

        return replace

    text = _KEY_BLOCK.sub(replace_group("private_key"), text)
    for kind, pattern in _FORMATS:
        text = pattern.sub(replace_group(kind), text)

    def parameter(match: re.Match[str]) -> str:
        value = match.group("value")
        if (
            not is_secret_name(match.group("name"))
            or _is_placeholder(value)
            or re.search(r"[(\[{]", value)  # code after a semicolon: x = 1; token = get()
        ):
            return match.group(0)
        counts["secret_parameter"] += 1
        return match.group("lead") + REDACTED

    text = _PARAMETER.sub(parameter, text)

    def tuple_assignment(match: re.Match[str]) -> str:
        names = [n.strip() for n in match.group("names").split(",")]
        values = list(_STRING_RE.finditer(match.group("values")))
        if len(names) != len(values) or not any(is_secret_name(n) for n in names):
            return match.group(0)
        whole, base = match.group(0), match.start("values") - match.start()
        for name, value in reversed(list(zip(names, values, strict=True))):
            if is_secret_name(name) and _redactable(value):
                counts["secret_assignment"] += 1
                start, end = base + value.start("value"), base + value.end("value")
                whole = whole[:start] + REDACTED + whole[end:]
        return whole

    text = _TUPLE_ASSIGNMENT.sub(tuple_assignment, text)

    def parenthesised(match: re.Match[str]) -> str:
        values = list(_STRING_RE.finditer(match.group("values")))
        if not is_secret_name(match.group("name")) or not any(_redactable(v) for v in values):
            return match.group(0)
        counts["secret_assignment"] += 1
        whole, base = match.group(0), match.start("values") - match.start()
        for value in reversed(values):
            if _redactable(value):
                start, end = base + value.start("value"), base + value.end("value")
                whole = whole[:start] + REDACTED + whole[end:]
        return whole

    text = _PARENTHESISED.sub(parenthesised, text)

    def literal(match: re.Match[str]) -> str:
        value = match.group("value")
        if (
            not is_secret_name(match.group("name"))
            or not value.strip()
            or REDACTED in value  # a known format inside was redacted already
            or ("f" in match.group("prefix").lower() and "{" in value)  # built from names
            or _in_tuple(match)  # a, password = "user", "..." was handled above
        ):
            return match.group(0)
        counts["secret_assignment"] += 1
        start, end = match.span("value")
        offset = match.start()
        return match.group(0)[: start - offset] + REDACTED + match.group(0)[end - offset :]

    for pattern in _LITERAL_ASSIGNMENTS:
        text = pattern.sub(literal, text)

    def unquoted(match: re.Match[str]) -> str:
        value = match.group("value")
        if (
            not is_secret_name(match.group("name"))
            or REDACTED in value
            or _CODE_VALUE.fullmatch(value)
            or (match.group("sep") == ":" and _TYPE_VALUE.fullmatch(value))
        ):
            return match.group(0)
        counts["secret_assignment"] += 1
        return match.group("lead") + REDACTED

    def env_prefix(match: re.Match[str]) -> str:
        value = match.group("value")
        if (
            not is_secret_name(match.group("name"))
            or REDACTED in value
            or _is_placeholder(value)
            or _CODE_VALUE.fullmatch(value)
        ):
            return match.group(0)
        counts["secret_assignment"] += 1
        return match.group("lead") + REDACTED

    text = _ENV_PREFIX.sub(env_prefix, text)
    text = _UNQUOTED.sub(unquoted, text)
    return Redacted(text, dict(counts))


def _is_placeholder(value: str) -> bool:
    """``{token}``, ``%s``, ``$TOKEN``, ``<your-key>``, ``***``: no secret to hide."""
    return REDACTED in value or bool(_PLACEHOLDER.match(value))


def _redactable(string: re.Match[str]) -> bool:
    value = string.group("value")
    formatted = "f" in string.group("prefix").lower() and "{" in value
    return bool(value.strip()) and REDACTED not in value and not formatted


_TUPLE_BEFORE = re.compile(r",[ \t]*\Z")
# After a keyword argument come only others, *args, a parenthesis or the line's end.
_TUPLE_AFTER = re.compile(r"[ \t]*,[ \t]*(?![A-Za-z_]\w*[ \t]*=(?!=)|[*)#\r\n]|\Z)")


def _in_tuple(match: re.Match[str]) -> bool:
    """Whether ``name = "..."`` is the middle of ``a, name = "...", ...`` (a tuple
    assignment, whose values the tuple pass matched to their names), not a keyword argument."""
    text = match.string
    line_start = text.rfind("\n", 0, match.start()) + 1
    return bool(
        _TUPLE_BEFORE.search(text, line_start, match.start())
        and _TUPLE_AFTER.match(text, match.end())
    )


class PromptFilter:
    """The size cap and the redaction, as one step before a prompt leaves."""

    def __init__(self, max_chars: int = 40_000) -> None:
        self.max_chars = max_chars

    def check_size(self, *parts: str) -> None:
        size = sum(len(p) for p in parts)
        if self.max_chars and size > self.max_chars:
            raise PromptTooLarge(
                f"The prompt is {size:,} characters; at most {self.max_chars:,} may be sent "
                "to the model. Select less code or shorten the instruction.",
                size=size,
                max_chars=self.max_chars,
            )

    def apply(self, text: str) -> Redacted:
        self.check_size(text)
        return redact(text)

    @staticmethod
    def redact(text: str) -> Redacted:
        return redact(text)
