"""String values given to secret names, in code and configuration: ``password = "..."``,
``{"token": "..."}``, ``user, password = get_user(), "..."``, ``password = (\n "..."\n)``,
``API_KEY=...`` lines, shell prefixes (``PGPASSWORD=... psql``) and the defaults of
environment lookups (``os.getenv("API_KEY", "...")``)."""

from __future__ import annotations

import re

from .marks import REDACTED_ANY, Scan
from .secret_names import ends_in_a_secret, is_secret_name
from .values import STRING, STRING_RE, is_placeholder, redactable

# An optional annotation before "=": ": str ", ": dict[str, str] ". Spaces only ever come
# between words, so a run of them matches one way (it was cubic time: "x:" + spaces + "y").
_ANNOTATION = r"(?::[ \t]*[\w\[\].,|]+(?:[ \t]+[\w\[\].,|]+)*[ \t]*)?"
_LITERAL_ASSIGNMENTS = [
    # name = "...", name: str = "...", f(name="..."), def f(name="...")
    re.compile(
        r"(?<!\w)(?P<name>[A-Za-z_]\w*)[ \t]*" + _ANNOTATION + r"(?<![=!<>])=(?!=)[ \t]*" + STRING,
        re.DOTALL,
    ),
    # {"name": "..."} (dicts, JSON, YAML), ["name"] = "..." (os.environ, settings dicts)
    re.compile(
        r"(?P<q>[\"'])(?P<name>[A-Za-z_][\w\-]*)(?P=q)[ \t]*(?::|\][ \t]*=(?!=))[ \t]*" + STRING,
        re.DOTALL,
    ),
]
# NAME=value and name: value lines with an unquoted value (.env files, shell, YAML, INI).
_UNQUOTED = re.compile(
    r"^(?P<lead>[ \t]*(?:export[ \t]+)?(?P<name>[A-Za-z_][\w\-]*)[ \t]*(?P<sep>[=:])[ \t]*)"
    r"(?P<value>[^\s\"'#=][^\s#]*)(?P<trail>[ \t]*)$",
    re.MULTILINE,
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
    + STRING.replace("(?P<", "(?P<p_").replace("(?P=", "(?P=p_")
    + r"\s*)+)\)",
)
_CODE_VALUE = re.compile(
    r"[A-Z][A-Z0-9_]*|[A-Za-z_]\w*(?:\.\w+)+|[\d.]+|None|True|False|.*[(\[{].*"
)
_TYPE_VALUE = re.compile(r"(?:str|bytes|int|Any|SecretStr|Optional\[.*\]|.*\|.*|.*\[.*\])")

# The default of an environment or settings lookup: os.environ.get("DB_PASSWORD", "..."),
# os.getenv("API_KEY", default="..."), os.environ.setdefault("TOKEN", "..."), os.putenv(...)
_LOOKUP_DEFAULT = re.compile(
    r"(?<!\w)(?:getenv|putenv|setenv|setdefault|get|pop)[ \t]*\(\s*"
    r"(?P<q>[\"'])(?P<name>[A-Za-z_][\w\-]*)(?P=q)\s*,\s*"
    r"(?:(?:default|fallback|value)[ \t]*=[ \t]*)?" + STRING,
    re.DOTALL,
)


def redact_tuples(text: str, scan: Scan) -> str:
    """``user, password = get_user(), "..."``: each value matched to its name."""
    pieces: list[str] = []
    done = position = 0
    while match := _TUPLE_TARGETS.search(text, position):
        targets = [[n.strip() for n in match.group("names").split(",")]]
        values, position = _tuple_values(text, match.end(), targets)
        spans = []
        for index, value in enumerate(values or ()):
            if value is not None and any(is_secret_name(t[index]) for t in targets):
                scan.counts["secret_assignment"] += 1
                spans.append(value.span("value"))
        if spans:
            pieces.append(text[done : spans[0][0]])
            pieces.append(scan.hide(text[spans[0][0] : spans[-1][1]], spans[0][0], spans))
            done = spans[-1][1]
    text = "".join([*pieces, text[done:]])
    return text


def redact_parenthesised(text: str, scan: Scan) -> str:
    """``password = (\n "..."\n "..."\n)``."""

    def parenthesised(match: re.Match[str]) -> str:
        values = [v for v in STRING_RE.finditer(match.group("values")) if redactable(v)]
        if not is_secret_name(match.group("name")) or not values:
            return match.group(0)
        scan.counts["secret_assignment"] += 1
        base = match.start("values") - match.start()
        return scan.hide(match.group(0), -base, [v.span("value") for v in values])

    text = _PARENTHESISED.sub(parenthesised, text)
    return text


def redact_literals(text: str, scan: Scan) -> str:
    """``password = "..."``, ``f(token="...")``, ``{"api_key": "..."}``."""

    def literal(match: re.Match[str]) -> str:
        if (
            not is_secret_name(match.group("name"))
            or not redactable(match)  # empty, redacted already, or built from names
            or _in_tuple(match)  # a, password = "user", "..." was handled above
        ):
            return match.group(0)
        scan.counts["secret_assignment"] += 1
        return scan.hide(match.group(0), match.start(), [match.span("value")])

    for pattern in _LITERAL_ASSIGNMENTS:
        text = pattern.sub(literal, text)
    return text


def redact_env_prefixes(text: str, scan: Scan) -> str:
    """``PGPASSWORD=... psql``."""

    def env_prefix(match: re.Match[str]) -> str:
        value = match.group("value")
        if (
            not is_secret_name(match.group("name"))
            or is_placeholder(value)
            or _CODE_VALUE.fullmatch(value)
        ):
            return match.group(0)
        scan.counts["secret_assignment"] += 1
        return match.group("lead") + scan.placeholder(value)

    text = _ENV_PREFIX.sub(env_prefix, text)
    return text


def redact_unquoted(text: str, scan: Scan) -> str:
    """``API_KEY=...`` and ``token: ...`` lines (.env, shell, YAML, INI)."""

    def unquoted(match: re.Match[str]) -> str:
        value = match.group("value")
        if (
            not is_secret_name(match.group("name"))
            or REDACTED_ANY.search(value)
            or _CODE_VALUE.fullmatch(value)
            or (match.group("sep") == ":" and _TYPE_VALUE.fullmatch(value))
        ):
            return match.group(0)
        scan.counts["secret_assignment"] += 1
        return match.group("lead") + scan.placeholder(value) + match.group("trail")

    text = _UNQUOTED.sub(unquoted, text)
    return text


def redact_lookup_defaults(text: str, scan: Scan) -> str:
    """``os.getenv("API_KEY", "...")``, ``settings.get("token", "...")``."""

    def lookup_default(match: re.Match[str]) -> str:
        if (
            not ends_in_a_secret(match.group("name"))
            or not redactable(match)
            or is_placeholder(match.group("value"))  # fields.get("token", "<not set>")
        ):
            return match.group(0)
        scan.counts["secret_assignment"] += 1
        return scan.hide(match.group(0), match.start(), [match.span("value")])

    text = _LOOKUP_DEFAULT.sub(lookup_default, text)
    return text


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
        string = STRING_RE.fullmatch(text, a, b)
        values.append(string if string and redactable(string) else None)
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
