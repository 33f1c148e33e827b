"""Credentials on command lines: ``curl -u user:...``, ``mysql -p...``, ``sshpass -p ...``,
and ``--password=...``, ``--api-key ...`` in any command."""

from __future__ import annotations

import re

from .marks import Scan
from .secret_names import ends_in_a_secret
from .values import is_placeholder

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


def redact_command_credentials(text: str, scan: Scan) -> str:
    """The credentials of ``curl``, ``sshpass`` and the MySQL clients' options."""

    def command(match: re.Match[str]) -> str:
        name = match.group("command")
        pattern = _COMMAND_OPTIONS.get(name) or _COMMAND_OPTIONS["mysql"]
        base = match.start("args")
        spans = []
        for option in pattern.finditer(match.group("args")):
            span = _option_value(option)
            if span is None or (name == "sshpass" and option.string[slice(*span)].isdigit()):
                continue  # sshpass -e ssh -p 2222: ssh's port
            spans.append((base + span[0], base + span[1]))
        if not spans:
            return match.group(0)
        scan.counts["shell_credential"] += len(spans)
        return scan.hide(match.group(0), match.start(), spans)

    text = _COMMAND.sub(command, text)
    return text


def redact_long_options(text: str, scan: Scan) -> str:
    """``--password=...``, ``--api-key ...``: a secret-named long option's value."""

    def long_option(match: re.Match[str]) -> str:
        span = _option_value(match) if ends_in_a_secret(match.group("name")) else None
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
        scan.counts["shell_credential"] += 1
        return scan.hide(match.group(0), match.start(), [span])

    text = _LONG_OPTION.sub(long_option, text)
    return text


def _option_value(option: re.Match[str]) -> tuple[int, int] | None:
    """The span of an option's value, if it is a secret (not ``$PW``, ``{pw}``...)."""
    group = "bare" if option.group("bare") is not None else "quoted"
    return None if is_placeholder(option.group(group)) else option.span(group)
