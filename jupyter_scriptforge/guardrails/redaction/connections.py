"""Secret parameters of URLs, connection strings and mount options: ``?api_key=...&``,
``;AccountKey=...;``, ``"dbname=x password=... host=h"``, ``-o user=u,password=...``."""

from __future__ import annotations

import re

from .marks import Scan
from .secret_names import ends_in_a_secret, is_secret_name
from .values import NO_SECRET, is_placeholder

# name=value inside a URL's query or a connection string: ?api_key=...&, ;AccountKey=...;
_PARAMETER = re.compile(
    r"(?P<lead>[?&;][ \t]*(?P<name>[A-Za-z_][\w\-]*)[ \t]*=[ \t]*)"
    r"(?P<value>[^&;\s\"'#<>`]+)"
)
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


def redact_url_parameters(text: str, scan: Scan) -> str:
    """``?api_key=...&``, ``;AccountKey=...;``: the value goes."""

    def parameter(match: re.Match[str]) -> str:
        value = match.group("value")
        if (
            not is_secret_name(match.group("name"))
            or is_placeholder(value)
            or re.search(r"[(\[{]", value)  # code after a semicolon: x = 1; token = get()
        ):
            return match.group(0)
        scan.counts["secret_parameter"] += 1
        return match.group("lead") + scan.placeholder(value)

    text = _PARAMETER.sub(parameter, text)
    return text


def redact_connection_strings(text: str, scan: Scan) -> str:
    """``dbname=x password=... host=h``, ``PWD=...;SERVER=s``."""

    def conninfo(match: re.Match[str]) -> str:
        value = match.group("value")
        if (
            not ends_in_a_secret(match.group("name"))
            or is_placeholder(value)
            or NO_SECRET.fullmatch(value.rstrip("."))  # "... api_key=None."
            or re.fullmatch(r"[rRbBuUfF]{1,2}|[\d.]+", value)  # f(password=b"..."), MAX_TOKENS=8
        ):
            return match.group(0)
        scan.counts["secret_parameter"] += 1
        return match.group("lead") + scan.placeholder(value)

    text = _CONNINFO.sub(conninfo, text)
    return text


def redact_option_lists(text: str, scan: Scan) -> str:
    """``mount -o username=u,password=...``: each secret option's value."""

    def option_list(match: re.Match[str]) -> str:
        base = match.start("options")
        spans = [
            (base + option.start("value"), base + option.end("value"))
            for option in _OPTION.finditer(match.group("options"))
            if ends_in_a_secret(option.group("name"))
            and not is_placeholder(option.group("value"))
            and not NO_SECRET.fullmatch(option.group("value"))
            and not option.group("value").startswith(("/", "~", "."))  # credentials=/root/.smb
        ]
        if not spans:
            return match.group(0)
        scan.counts["secret_parameter"] += len(spans)
        return scan.hide(match.group(0), match.start(), spans)

    text = _OPTION_LIST.sub(option_list, text)
    return text
