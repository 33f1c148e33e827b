"""Which names hold a secret: ``DB_PASSWORD``, ``apiKey``, ``client_secret`` — not
``author``, ``token_url`` or ``max_tokens``. Every kind of redaction but the known formats
starts from a name."""

from __future__ import annotations

import itertools
import re

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


def ends_in_a_secret(name: str) -> bool:
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
