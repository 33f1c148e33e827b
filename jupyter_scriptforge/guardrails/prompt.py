"""Prompt-side filters: what may leave the server for a model.

``PromptFilter(max_chars).apply(text)`` refuses text over the size cap (``PromptTooLarge``,
a 413) and redacts secrets: well-known key and token formats wherever they appear, and
string values given to secret-looking names (``password = "..."``, ``api_key="..."``,
``{"token": "..."}``, ``user, password = get_user(), "..."``, ``password = (\n "..."\n)``),
secret parameters of URLs and connection strings (``?api_key=...&``, ``;AccountKey=...;``,
``"dbname=x password=... host=h"``, ``-o user=u,password=...``), shell environment prefixes
(``PGPASSWORD=... psql``), secret defaults of environment lookups
(``os.getenv("API_KEY", "...")``), strings compared with secret names
(``password == "..."``) and credentials on command lines (``curl -u user:...``,
``mysql -p...``, ``sshpass -p ...``, ``--password=...``), whose value becomes ``«redacted»``
while the name stays, so the model still understands the code. The result says which kinds
were redacted and how often, never what.

That is one-way (the audit log, ``redact``). A request to the model whose answer comes back
into the user's script uses a ``Redaction``: each secret becomes a numbered placeholder
(``«redacted-1»``, the same number for the same value in every part of the prompt), and
``restore`` puts the values back into the answer, so applying it keeps the real secrets.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from ..errors import TooLarge

REDACTED = "«redacted»"
# What redaction leaves: the bare placeholder or a numbered one. Checks for "redacted
# already" use this, so that redacting twice changes nothing.
_REDACTED_ANY = re.compile(r"«redacted(?:-[0-9]+)?»")
# A Redaction's own placeholders (at most 9 digits: ``int`` of a longer run is refused).
_NUMBERED = re.compile(r"«redacted-([1-9][0-9]{0,8})»")


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
# An optional annotation before "=": ": str ", ": dict[str, str] ". Spaces only ever come
# between words, so a run of them matches one way (it was cubic time: "x:" + spaces + "y").
_ANNOTATION = r"(?::[ \t]*[\w\[\].,|]+(?:[ \t]+[\w\[\].,|]+)*[ \t]*)?"
_LITERAL_ASSIGNMENTS = [
    # name = "...", name: str = "...", f(name="..."), def f(name="...")
    re.compile(
        r"(?<!\w)(?P<name>[A-Za-z_]\w*)[ \t]*" + _ANNOTATION + r"(?<![=!<>])=(?!=)[ \t]*" + _STRING,
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
    r"(?P<value>[^\s\"'#=][^\s#]*)(?P<trail>[ \t]*)$",
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
# The targets of a tuple assignment, up to its "=": "a, b =", "(host, token) =". Its values
# (string literals or any other expressions) are read by ``_tuple_values``.
_TUPLE_TARGETS = re.compile(
    r"(?<![\w.])(?:\([ \t]*)?(?P<names>[A-Za-z_]\w*(?:[ \t]*,[ \t]*[A-Za-z_]\w*){1,7})"
    r"[ \t]*(?:,[ \t]*)?(?:\)[ \t]*)?=(?!=)"
)
_MAX_TARGETS = 8  # as many names as _TUPLE_TARGETS takes
# One token of a tuple's values: a run of ordinary characters, a comparison (not an "="),
# or one character that matters (a bracket, a comma, a quote, "=", a line's end...).
_TOKEN = re.compile(r"""[^"'()\[\]{},;#=\n\\!<>:]+|[=!<>:]=|[\s\S]""")
# A string literal in a statement: quoted on one line (as Python has them: an apostrophe in
# prose then fails at the line's end, not pages later), or triple-quoted over several.
_STATEMENT_STRINGS = {
    '"""': re.compile(r'"""(?:\\.|(?!""")[^\\])*?"""', re.DOTALL),
    "'''": re.compile(r"'''(?:\\.|(?!''')[^\\])*?'''", re.DOTALL),
    '"': re.compile(r'"(?:\\.|[^\\"\n])*"', re.DOTALL),
    "'": re.compile(r"'(?:\\.|[^\\'\n])*'", re.DOTALL),
}
# name = (\n "..." \n "..." \n): a value in parentheses, over several lines
_PARENTHESISED = re.compile(
    r"(?<!\w)(?P<name>[A-Za-z_]\w*)[ \t]*" + _ANNOTATION + r"(?<![=!<>])=(?!=)[ \t]*"
    r"\((?P<values>\s*(?:"
    + _STRING.replace("(?P<", "(?P<p_").replace("(?P=", "(?P=p_")
    + r"\s*)+)\)",
)
_STRING_RE = re.compile(_STRING, re.DOTALL)
_PLACEHOLDER = re.compile(r"[{%$<]|\*+$|x+$|.*(?:\.\.\.|…)$", re.IGNORECASE)
_CODE_VALUE = re.compile(
    r"[A-Z][A-Z0-9_]*|[A-Za-z_]\w*(?:\.\w+)+|[\d.]+|None|True|False|.*[(\[{].*"
)
_TYPE_VALUE = re.compile(r"(?:str|bytes|int|Any|SecretStr|Optional\[.*\]|.*\|.*|.*\[.*\])")

# --- secrets in lookups, comparisons, connection strings and command lines -----------------

# The default of an environment or settings lookup: os.environ.get("DB_PASSWORD", "..."),
# os.getenv("API_KEY", default="..."), os.environ.setdefault("TOKEN", "..."), os.putenv(...)
_LOOKUP_DEFAULT = re.compile(
    r"(?<!\w)(?:getenv|putenv|setenv|setdefault|get|pop)[ \t]*\(\s*"
    r"(?P<q>[\"'])(?P<name>[A-Za-z_][\w\-]*)(?P=q)\s*,\s*"
    r"(?:(?:default|fallback|value)[ \t]*=[ \t]*)?" + _STRING,
    re.DOTALL,
)
# A string literal on one line, for comparisons (an apostrophe in prose must not reach into
# the next lines for a "==").
_LINE_STRING = (
    r"""(?P<prefix>[rRbBuUfF]{0,2})(?P<quote>\"\"\"|'''|"|')"""
    r"""(?P<value>(?:\\.|(?!(?P=quote))[^\\\n])*?)(?P=quote)"""
)
# password == "...", self.token != "...", cfg["api_key"] == "..."; and "..." == password
_COMPARED = re.compile(
    r"(?:(?<!\w)(?P<name>[A-Za-z_]\w*)|(?P<q>[\"'])(?P<key>[A-Za-z_][\w\-]*)(?P=q)\])"
    r"[ \t]*[!=]=[ \t]*" + _LINE_STRING
)
# "..." == password: found at its closing quote, whose opening ``_reversed_comparisons``
# looks for on the same line, a bounded way back (a regex starting at every quote would read
# to the line's end from each: quadratic time on a line of escaped quotes).
_COMPARED_REVERSED = re.compile(
    r"(?P<quote>[\"'])[ \t]*[!=]=[ \t]*(?P<name>[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)"
)
_MAX_COMPARED = 1000  # characters of a string compared with a secret name
# Space-separated name=value pairs of a libpq or ODBC connection string (or an ssh -o
# option): "dbname=x user=y password=... host=h", "PWD=...;SERVER=s". A keyword argument of
# Python is no such pair: it ends in "," or ")", never in a quote or in " name=".
_PAIR_NAME = r"[A-Za-z_][\w.\-]*"
_CONNINFO = re.compile(
    r"(?P<lead>(?:(?P<open>[\"'])|(?<!\S))(?P<name>" + _PAIR_NAME + r")=)"
    r"(?P<value>[^\s\"'`=,;(){}\[\]<>|&:?@][^\s\"'`,;(){}\[\]<>|&]*)"
    r"(?(open)(?=[ \t]+" + _PAIR_NAME + r"=|[\"';])|(?=[ \t]+" + _PAIR_NAME + r"=|[\"']))"
)
# -o with a comma-separated list of options: mount -o username=u,password=..., sshfs -o ...
_OPTION_LIST = re.compile(
    r"(?<=[\s\"'])-o(?:[ \t]*[\"']?|[\"'][ \t]*,[ \t]*[\"'])(?P<options>[^\s\"'`;|&]+)"
)
_OPTION = re.compile(r"(?:^|(?<=,))(?P<name>" + _PAIR_NAME + r")=(?P<value>[^,]+)")
# Values that are a setting, not a secret: PasswordAuthentication=no, auth == "none"
_NO_SECRET = re.compile(r"(?i:yes|no|true|false|on|off|none|null|nil|empty|unset)")
# The value of a command-line option: quoted, or a word (not another option).
_OPTION_VALUE = (
    r"(?:(?P<quote>[\"'])(?P<quoted>[^\s\"',\-][^\"'\n]*)(?P=quote)"
    r"|(?P<bare>[^\s\"'`,;|&=\-\[(][^\s\"'`;|&]*))"
)
# Between an option and its value: spaces or "=" (--user=...), nothing (-phunter2), or the
# end of one string and the start of the next in an argument list ("-p", "...").
_SPACED = r"(?:[ \t]*(?:=[ \t]*)?|[\"'][ \t]*,[ \t]*(?=[\"']))"
# A command whose short options carry credentials, and its arguments up to the next command
# (a line's end, ";", "|", "&&"; a line continued with "\" goes on).
_COMMAND = re.compile(
    r"(?<![\w.\-])(?P<command>curl|sshpass|mysql|mysqldump|mysqladmin|mysqlimport|mysqlcheck"
    r"|mysqlsh|mariadb(?:-dump|-admin)?)(?![\w.\-])"
    r"(?P<args>(?:[^\n;|&\\]|&(?!&)|\\(?:\r?\n|.))*)"
)
_COMMAND_OPTIONS = {
    # curl -u user:..., --user user:..., -U / --proxy-user: the part after the first ":"
    "curl": re.compile(
        r"(?<=[\s\"'])(?:-[A-Za-z]*[uU]|--(?:proxy-)?user(?![\w\-]))" + _SPACED + r"[\"']?"
        r"[^\s:\"'`]*:(?P<bare>[^\s\"'`;|&]+)"
    ),
    # sshpass -p ..., -p... (with or without a space)
    "sshpass": re.compile(r"(?<=[\s\"'])-p" + _SPACED + _OPTION_VALUE),
    # mysql -p... only attached: "mysql -p db" asks for the password and opens db
    "mysql": re.compile(r"(?<=[\s\"'])-p" + _OPTION_VALUE),
}
# --password=..., --api-key ..., --db-password "..." in any command
_LONG_OPTION = re.compile(
    r"(?<=[\s\"'])--(?P<name>[A-Za-z][\w\-]*)"
    r"(?:(?P<equals>=)|[ \t]+|[\"'][ \t]*,[ \t]*(?=[\"']))" + _OPTION_VALUE
)
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def is_secret_name(name: str) -> bool:
    """``DB_PASSWORD``, ``DB_PASS``, ``PGPASSWORD``, ``apiKey``, ``client_secret``, ``auth`` —
    not ``author``, not ``bypass``, not ``token_url``, not ``password_file``."""
    parts = [p.lower() for p in _NAME_PARTS.findall(name.replace("-", "_"))]
    if not parts or parts[-1] in _NOT_SECRET_ENDINGS:
        return False
    if any(p in _SECRET_WORDS or p.endswith(("password", "passwd")) for p in parts):
        return True
    return any(pair in _SECRET_PAIRS for pair in itertools.pairwise(parts))


# Tokens of a tokenizer, a parser or a paginated API, counted or compared: eos_token,
# max_tokens, next_token, current_token.
_NOT_SECRET_TOKENS = frozenset(
    {
        *("max", "min", "num", "n", "total", "input", "output", "prompt", "completion"),
        *("current", "cur", "next", "prev", "previous", "last", "first", "start", "end"),
        *("type", "eos", "bos", "pad", "unk", "sep", "cls", "mask", "special", "stop"),
    }
)


def _ends_in_a_secret(name: str) -> bool:
    """A secret name whose last word is the secret: ``db_password``, ``API_KEY_2``,
    ``self.token``, not ``secrets_dir_missing``, ``pass_through``, ``passphrase_fd``. For a
    value only compared with the name or given as its default, where ``is_secret_name``
    alone finds too many settings *about* secrets."""
    name = name.rpartition(".")[2]
    parts = [p.lower() for p in _NAME_PARTS.findall(name.replace("-", "_")) if not p.isdigit()]
    if not parts or not is_secret_name(name):
        return False
    last = parts[-1]
    if last in ("token", "tokens") and len(parts) > 1 and parts[-2] in _NOT_SECRET_TOKENS:
        return False
    return (
        last in _SECRET_WORDS
        or last.endswith(("password", "passwd"))
        or tuple(parts[-2:]) in _SECRET_PAIRS
    )


def redact(text: str, *, keep_lines: bool = False) -> Redacted:
    """``text`` with every secret it holds replaced by ``«redacted»``: one-way, for what
    nobody restores (the audit log). A prompt whose answer is applied uses a ``Redaction``.

    With ``keep_lines``, a secret over several lines (a private key, a triple-quoted string)
    leaves its line breaks after the placeholder, so that line N of the result is line N of
    ``text``: for reports that quote lines by number."""
    if keep_lines:
        return _redact(text, lambda secret: REDACTED + "".join(_LINE_BREAK.findall(secret)))
    return _redact(text, lambda secret: REDACTED)


class Redaction:
    """The secrets of one request to a model, each behind a numbered placeholder.

    A request has several parts (the instruction, the script, a run's output); numbers run
    across all of them, and the same value gets the same number everywhere, so the model
    can tell them apart and ``restore`` can put each back into its answer (``conceal`` takes
    them out again, for the audit). The values live only in this object (its ``repr`` does
    not show them): never logged, never stored.

    A placeholder a part already holds keeps its number to itself; one a later part holds
    with a number given out already is read as that secret (they cannot be told apart)."""

    def __init__(self) -> None:
        self._secrets: dict[int, str] = {}  # number → value
        self._numbers: dict[str, int] = {}  # value → number
        self._taken: set[int] = set()  # numbers the texts themselves hold: never ours
        self._next = 1
        self._counts: Counter[str] = Counter()
        self._concealer: re.Pattern[str] | None = None  # the secrets, for conceal

    def __repr__(self) -> str:
        return f"Redaction({len(self._secrets)} secrets, counts={dict(self._counts)})"

    @property
    def counts(self) -> dict[str, int]:
        """Kind → how many were redacted, over every part so far."""
        return dict(self._counts)

    @property
    def total(self) -> int:
        return sum(self._counts.values())

    def redact(self, text: str) -> Redacted:
        """``text`` with every secret replaced by ``«redacted-N»``."""
        # A placeholder already in the text (from an earlier redaction the user pasted) keeps
        # its number to itself, so that restoring never turns it into one of our secrets.
        self._taken.update(int(n) for n in _NUMBERED.findall(text))
        result = _redact(text, self._placeholder)
        self._counts.update(result.counts)
        return result

    def restore(self, text: str) -> str:
        """``text`` (the model's answer) with each of our placeholders back to its secret;
        an unknown number and the bare ``«redacted»`` stay as they are."""
        if not self._secrets:
            return text

        def secret(match: re.Match[str]) -> str:
            return self._secrets.get(int(match[1]), match[0])

        return _NUMBERED.sub(secret, text)

    def conceal(self, text: str) -> str:
        """``text`` with every secret of this request turned back into its placeholder:
        for what is recorded about the restored answer (its analysis quotes lines of it).
        Every occurrence goes, the longest secret first (one may hold another)."""
        if not self._numbers:
            return text
        if self._concealer is None:
            secrets = sorted(self._numbers, key=len, reverse=True)
            self._concealer = re.compile("|".join(map(re.escape, secrets)))
        return self._concealer.sub(lambda match: f"«redacted-{self._numbers[match[0]]}»", text)

    def _placeholder(self, secret: str) -> str:
        # A secret can hold one redacted before it (a token in a URL's password): the value
        # kept is the original, so one restore gives the original back.
        secret = self.restore(secret)
        number = self._numbers.get(secret)
        if number is None:
            while self._next in self._taken:
                self._next += 1
            number, self._next = self._next, self._next + 1
            self._numbers[secret] = number
            self._secrets[number] = secret
            self._concealer = None
        return f"«redacted-{number}»"


def _redact(text: str, placeholder: Callable[[str], str]) -> Redacted:
    """``text`` with every secret replaced by ``placeholder(secret)``."""
    counts: Counter[str] = Counter()

    def hide(whole: str, offset: int, spans: list[tuple[int, int]]) -> str:
        """``whole`` (at ``offset`` in the text) with each span, in order, a placeholder."""
        pieces, done = [], 0
        for start, end in spans:
            start, end = start - offset, end - offset
            pieces += [whole[done:start], placeholder(whole[start:end])]
            done = end
        return "".join([*pieces, whole[done:]])

    def replace_group(kind: str) -> Callable[[re.Match[str]], str]:
        def replace(match: re.Match[str]) -> str:
            secret = match.group("secret")
            if not secret or _REDACTED_ANY.fullmatch(secret):
                return match.group(0)
            counts[kind] += 1
            return hide(match.group(0), match.start(), [match.span("secret")])

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
        return match.group("lead") + placeholder(value)

    text = _PARAMETER.sub(parameter, text)

    pieces: list[str] = []
    done = position = 0
    while match := _TUPLE_TARGETS.search(text, position):
        targets = [[n.strip() for n in match.group("names").split(",")]]
        values, position = _tuple_values(text, match.end(), targets)
        spans = []
        for index, value in enumerate(values or ()):
            if value is not None and any(is_secret_name(t[index]) for t in targets):
                counts["secret_assignment"] += 1
                spans.append(value.span("value"))
        if spans:
            pieces.append(text[done : spans[0][0]])
            pieces.append(hide(text[spans[0][0] : spans[-1][1]], spans[0][0], spans))
            done = spans[-1][1]
    text = "".join([*pieces, text[done:]])

    def parenthesised(match: re.Match[str]) -> str:
        values = [v for v in _STRING_RE.finditer(match.group("values")) if _redactable(v)]
        if not is_secret_name(match.group("name")) or not values:
            return match.group(0)
        counts["secret_assignment"] += 1
        base = match.start("values") - match.start()
        return hide(match.group(0), -base, [v.span("value") for v in values])

    text = _PARENTHESISED.sub(parenthesised, text)

    def literal(match: re.Match[str]) -> str:
        if (
            not is_secret_name(match.group("name"))
            or not _redactable(match)  # empty, redacted already, or built from names
            or _in_tuple(match)  # a, password = "user", "..." was handled above
        ):
            return match.group(0)
        counts["secret_assignment"] += 1
        return hide(match.group(0), match.start(), [match.span("value")])

    for pattern in _LITERAL_ASSIGNMENTS:
        text = pattern.sub(literal, text)

    def unquoted(match: re.Match[str]) -> str:
        value = match.group("value")
        if (
            not is_secret_name(match.group("name"))
            or _REDACTED_ANY.search(value)
            or _CODE_VALUE.fullmatch(value)
            or (match.group("sep") == ":" and _TYPE_VALUE.fullmatch(value))
        ):
            return match.group(0)
        counts["secret_assignment"] += 1
        return match.group("lead") + placeholder(value) + match.group("trail")

    def env_prefix(match: re.Match[str]) -> str:
        value = match.group("value")
        if (
            not is_secret_name(match.group("name"))
            or _is_placeholder(value)
            or _CODE_VALUE.fullmatch(value)
        ):
            return match.group(0)
        counts["secret_assignment"] += 1
        return match.group("lead") + placeholder(value)

    text = _ENV_PREFIX.sub(env_prefix, text)
    text = _UNQUOTED.sub(unquoted, text)

    def lookup_default(match: re.Match[str]) -> str:
        if (
            not _ends_in_a_secret(match.group("name"))
            or not _redactable(match)
            or _is_placeholder(match.group("value"))  # fields.get("token", "<not set>")
        ):
            return match.group(0)
        counts["secret_assignment"] += 1
        return hide(match.group(0), match.start(), [match.span("value")])

    text = _LOOKUP_DEFAULT.sub(lookup_default, text)

    def compared(match: re.Match[str]) -> str:
        name = match.group("name") or match.groupdict()["key"]
        if (
            not _ends_in_a_secret(name)
            or not _redactable(match)
            or _no_compared_secret(match["value"])
        ):
            return match.group(0)
        counts["secret_comparison"] += 1
        return hide(match.group(0), match.start(), [match.span("value")])

    text = _COMPARED.sub(compared, text)
    spans = [
        span for span in _reversed_comparisons(text) if not _no_compared_secret(text[slice(*span)])
    ]
    if spans:
        counts["secret_comparison"] += len(spans)
        text = hide(text, 0, spans)

    def conninfo(match: re.Match[str]) -> str:
        value = match.group("value")
        if (
            not _ends_in_a_secret(match.group("name"))
            or _is_placeholder(value)
            or _NO_SECRET.fullmatch(value.rstrip("."))  # "... api_key=None."
            or re.fullmatch(r"[rRbBuUfF]{1,2}|[\d.]+", value)  # f(password=b"..."), MAX_TOKENS=8
        ):
            return match.group(0)
        counts["secret_parameter"] += 1
        return match.group("lead") + placeholder(value)

    text = _CONNINFO.sub(conninfo, text)

    def option_list(match: re.Match[str]) -> str:
        base = match.start("options")
        spans = [
            (base + option.start("value"), base + option.end("value"))
            for option in _OPTION.finditer(match.group("options"))
            if _ends_in_a_secret(option.group("name"))
            and not _is_placeholder(option.group("value"))
            and not _NO_SECRET.fullmatch(option.group("value"))
            and not option.group("value").startswith(("/", "~", "."))  # credentials=/root/.smb
        ]
        if not spans:
            return match.group(0)
        counts["secret_parameter"] += len(spans)
        return hide(match.group(0), match.start(), spans)

    text = _OPTION_LIST.sub(option_list, text)

    def option_value(option: re.Match[str]) -> tuple[int, int] | None:
        """The span of an option's value, if it is a secret (not ``$PW``, ``{pw}``...)."""
        group = "bare" if option.group("bare") is not None else "quoted"
        return None if _is_placeholder(option.group(group)) else option.span(group)

    def command(match: re.Match[str]) -> str:
        name = match.group("command")
        pattern = _COMMAND_OPTIONS.get(name) or _COMMAND_OPTIONS["mysql"]
        base = match.start("args")
        spans = []
        for option in pattern.finditer(match.group("args")):
            span = option_value(option)
            if span is None or (name == "sshpass" and option.string[slice(*span)].isdigit()):
                continue  # sshpass -e ssh -p 2222: ssh's port
            spans.append((base + span[0], base + span[1]))
        if not spans:
            return match.group(0)
        counts["shell_credential"] += len(spans)
        return hide(match.group(0), match.start(), spans)

    text = _COMMAND.sub(command, text)

    def long_option(match: re.Match[str]) -> str:
        span = option_value(match) if _ends_in_a_secret(match.group("name")) else None
        if span is None:
            return match.group(0)
        value = match.string[slice(*span)]
        if not re.search(r"[^\W_]", value) or (
            match.group("bare") is not None
            and (
                re.fullmatch(r"[A-Z][A-Z0-9_]*", value)  # --token TOKEN in a usage line
                or (match.group("equals") is None and re.fullmatch(r"[a-z]+", value))  # prose
            )
        ):
            return match.group(0)
        counts["shell_credential"] += 1
        return hide(match.group(0), match.start(), [span])

    text = _LONG_OPTION.sub(long_option, text)
    return Redacted(text, dict(counts))


def _reversed_comparisons(text: str) -> list[tuple[int, int]]:
    """The spans of the string values in ``"..." == password`` (or ``!=``), in order: from
    the closing quote back to the last one like it on the line, neither of them escaped."""
    spans: list[tuple[int, int]] = []
    for match in _COMPARED_REVERSED.finditer(text):
        if not _ends_in_a_secret(match.group("name")):
            continue
        end = match.start()
        start = text.rfind(match.group("quote"), max(0, end - _MAX_COMPARED), end) + 1
        value = text[start:end]
        escaped = len(value) - len(value.rstrip("\\"))
        prefix = text[max(0, start - 3) : start - 1].lower()
        if (
            not start
            or not value.strip()
            or "\n" in value
            or escaped % 2  # the closing quote is escaped: no string ends there
            or text[start - 2 : start - 1] == "\\"  # nor starts at an escaped one
            or (spans and start <= spans[-1][1])
            or _REDACTED_ANY.search(value)
            or ("{" in value and "f" in prefix)  # f"{user}" == token: built from names
        ):
            continue
        spans.append((start, end))
    return spans


def _no_compared_secret(value: str) -> bool:
    """Whether a string compared with a secret name holds nothing secret: a placeholder, or
    no letter or digit once its escapes are gone (``token == "("``, ``token != "\\n"``), or
    an option (``token != "-i"``)."""
    return (
        _is_placeholder(value)
        or _NO_SECRET.fullmatch(value) is not None
        or value.startswith("-")
        or not re.search(r"[^\W_]", re.sub(r"\\.", "", value))
    )


def _is_placeholder(value: str) -> bool:
    """``{token}``, ``%s``, ``$TOKEN``, ``<your-key>``, ``***``, ``«redacted»``: no secret
    to hide."""
    return bool(_REDACTED_ANY.search(value) or _PLACEHOLDER.match(value))


def _redactable(string: re.Match[str]) -> bool:
    value = string.group("value")
    formatted = "f" in string.group("prefix").lower() and "{" in value
    return bool(value.strip()) and not _REDACTED_ANY.search(value) and not formatted


def _tuple_values(
    text: str, start: int, targets: list[list[str]]
) -> tuple[list[re.Match[str] | None] | None, int]:
    """The values of the tuple assignment whose targets end at ``start`` (each a string
    literal's match, or None for any other expression: ``get_user(), "..."``), and where
    reading stopped. None if they are not one value per target; ``targets`` gets the further
    target lists of a chain (``a, b = c, d = ...``).

    One pass over the statement, each character read once, and the caller goes on from where
    this stopped: linear time, whatever the text."""
    items, stop, chained = _tuple_items(text, start)
    if items is None:
        return None, stop
    if len(items) == 1 and text[items[0][0]] == "(" and text[items[0][1] - 1] == ")":
        # ("db", "t0k3n"): the values in parentheses.
        inner, end, inner_chained = _tuple_items(text, items[0][0] + 1)
        if inner is not None and not inner_chained and end == items[0][1] - 1:
            items = inner
    targets.extend([text[a:b].strip() for a, b in chain] for chain in chained)
    if any(len(t) != len(items) for t in targets):
        return None, stop
    values = []
    for a, b in items:
        string = _STRING_RE.fullmatch(text, a, b)
        values.append(string if string and _redactable(string) else None)
    return values, stop


def _tuple_items(
    text: str, position: int
) -> tuple[list[tuple[int, int]] | None, int, list[list[tuple[int, int]]]]:
    """The spans (stripped) of the comma-separated expressions from ``position`` to the
    statement's end (a line's end, ";", "#", or a closing bracket not opened here), where
    reading stopped, and the target lists before each further "=" of a chain. None for the
    spans if they are no list of expressions (an unclosed bracket or string, a stray "\\")."""
    items: list[tuple[int, int]] = []
    chained: list[list[tuple[int, int]]] = []
    depth, start, end = 0, position, len(text)
    while position < end:
        quote = text[position]
        if quote in "\"'":
            triple = text.startswith(quote * 3, position)
            string = _STATEMENT_STRINGS[quote * 3 if triple else quote].match(text, position)
            if string is None:
                return None, position + 1, chained  # the rest is searched again
            position = string.end()
            continue
        token = _TOKEN.match(text, position)
        assert token is not None  # [\s\S] matches any character
        kind, position = token[0], token.end()
        if kind in "([{" and len(kind) == 1:
            depth += 1
        elif kind in ")]}" and len(kind) == 1:
            if not depth:
                position -= 1
                break
            depth -= 1
        elif kind == "\\" and text.startswith(("\n", "\r\n"), position):
            position = text.index("\n", position) + 1  # a line continued
        elif kind in ("\n", ";", "#", "\\"):
            if depth or kind == "\\":
                return None, position, chained
            position -= 1
            break
        elif depth:
            continue
        elif kind in (",", "="):
            items.append(_strip(text, start, position - 1))
            start = position
            if kind == "=":
                chained.append(items)
                items = []
            if len(items) > _MAX_TARGETS or len(chained) > _MAX_TARGETS:
                return None, position, chained
    if depth:
        return None, position, chained
    items.append(_strip(text, start, position))
    if len(items) > 1 and items[-1][0] == items[-1][1]:
        items.pop()  # a trailing comma
    if any(a == b for a, b in items) or any(a == b for c in chained for a, b in c):
        return None, position, chained
    return items, position, chained


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in " \t\r\f\\\n":
        start += 1
    while end > start and text[end - 1] in " \t\r\f\\\n":
        end -= 1
    return start, end


_TUPLE_BEFORE = re.compile(r",[ \t]*\Z")
# After a keyword argument come only others, *args, a parenthesis or the line's end. (The
# spaces are inside the look-ahead: outside, giving them back let ", b=1)" pass for a tuple.)
_TUPLE_AFTER = re.compile(r"[ \t]*,(?![ \t]*(?:[A-Za-z_]\w*[ \t]*=(?!=)|[*)#\r\n]|\Z))")


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

    def redaction(self, *parts: str) -> tuple[Redaction, list[str]]:
        """All parts of one prompt, capped together (``PromptTooLarge``), each redacted by
        one ``Redaction``, which then restores the model's answer."""
        self.check_size(*parts)
        redaction = Redaction()
        return redaction, [redaction.redact(part).text for part in parts]
