"""Prompt-side filters: secrets redacted (the value gone, the name kept), the size cap."""

from __future__ import annotations

import pytest

from jupyter_scriptforge.guardrails import (
    REDACTED,
    GuardrailService,
    PromptFilter,
    PromptTooLarge,
    redact,
)
from jupyter_scriptforge.guardrails.prompt import is_secret_name

# Made-up values in each real format (none of them is a live credential).
OPENAI = "sk-proj-" + "Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z"
ANTHROPIC = "sk-ant-api03-" + "Zz9Yy8Xx7Ww6Vv5Uu4Tt3Ss2Rr1Qq0Pp"
AWS_ID = "AKIA" + "IOSFODNN7EXAMPLE"
AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
GITHUB = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"
GITHUB_PAT = "github_pat_" + "11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz"
SLACK = "xoxb-" + "123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx"
GOOGLE = "AIza" + "SyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q"
JWT = (
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"
    ".eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ"
    ".SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
)
KEY_BODY = (
    "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\n"
    "VJTUt9Us8cKjMzEfYyjiWA4R4/M2bS1+fWIcPm15j9"
)
BEARER = "abcDEF123456ghiJKL789mnoPQR"


@pytest.mark.parametrize(
    ("text", "secret", "kind", "kept"),
    [
        (f'client = OpenAI(api_key="{OPENAI}")', OPENAI, None, "client = OpenAI(api_key="),
        (f"export KEY={ANTHROPIC}", ANTHROPIC, "anthropic_key", "export KEY="),
        (f"Use {OPENAI} for the calls", OPENAI, "openai_key", "Use "),
        (f"aws_access_key_id = {AWS_ID}", AWS_ID, "aws_access_key", "aws_access_key_id = "),
        (f"aws_secret_access_key={AWS_SECRET}", AWS_SECRET, "aws_secret_key", "aws_secret"),
        (f"AWS secret: {AWS_SECRET}", AWS_SECRET, "aws_secret_key", "AWS secret: "),
        (f"git clone https://{GITHUB}@github.com/o/r", GITHUB, "github_token", "git clone"),
        (f"GH={GITHUB_PAT}", GITHUB_PAT, "github_token", "GH="),
        (f"slack = WebClient({SLACK!r})", SLACK, "slack_token", "slack = WebClient("),
        (f"url = '...?key={GOOGLE}'", GOOGLE, "google_api_key", "url = '...?key="),
        (f"session cookie {JWT}", JWT, "jwt", "session cookie "),
        (
            f"-----BEGIN RSA PRIVATE KEY-----\n{KEY_BODY}\n-----END RSA PRIVATE KEY-----",
            KEY_BODY,
            "private_key",
            "-----BEGIN RSA PRIVATE KEY-----",
        ),
        (f"-----BEGIN OPENSSH PRIVATE KEY-----\n{KEY_BODY}", KEY_BODY, "private_key", "BEGIN"),
        (f"Authorization: Bearer {BEARER}", BEARER, "bearer_token", "Authorization: Bearer "),
        (
            f'headers = {{"Authorization": "token {BEARER}"}}',
            BEARER,
            "bearer_token",
            '"Authorization": "token ',
        ),
        (
            "engine = create_engine('postgresql://app:s3cr3t-pw@db:5432/prod')",
            "s3cr3t-pw",
            "url_password",
            "postgresql://app:",
        ),
        (
            "requests.post('https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXXXXXXXXXXXXXX')",
            "T000/B000/XXXXXXXXXXXXXXXXXXXXXXXX",
            "slack_webhook",
            "hooks.slack.com/services/",
        ),
    ],
)
def test_known_formats_are_redacted(text: str, secret: str, kind: str | None, kept: str) -> None:
    result = redact(text)
    assert secret not in result.text
    assert REDACTED in result.text
    assert kept in result.text
    assert result.total >= 1
    if kind:
        assert result.counts.get(kind, 0) >= 1, result.counts
    assert secret not in repr(result.counts)


@pytest.mark.parametrize(
    ("text", "value", "kept"),
    [
        ('password = "hunter2"', "hunter2", "password = "),
        ("DB_PASSWORD: str = 'p@ss w0rd'", "p@ss w0rd", "DB_PASSWORD: str = "),
        ('connect(host="db", passwd="letmein")', "letmein", 'connect(host="db", passwd='),
        ('def login(user, pwd="changeme"):', "changeme", "def login(user, pwd="),
        ('config = {"api_key": "abc123xyz", "region": "eu"}', "abc123xyz", '"api_key": '),
        ("{'clientSecret': 'cs-9f8e7d'}", "cs-9f8e7d", "'clientSecret': "),
        (
            'os.environ["GITHUB_TOKEN"] = "tok-123456"',
            "tok-123456",
            'os.environ["GITHUB_TOKEN"] = ',
        ),
        ('self.access_key = "AK-local-1"', "AK-local-1", "self.access_key = "),
        ('auth = "user:secretpass"', "user:secretpass", "auth = "),
        ('CREDENTIALS = """line1\nline2"""', "line1\nline2", "CREDENTIALS = "),
        ("SECRET_KEY=django-insecure-0a9b8c", "django-insecure-0a9b8c", "SECRET_KEY="),
        ("password: hunter2", "hunter2", "password: "),
        ("export API_TOKEN=9f8e7d6c5b4a", "9f8e7d6c5b4a", "export API_TOKEN="),
    ],
)
def test_secret_names_keep_the_name_and_lose_the_value(text: str, value: str, kept: str) -> None:
    result = redact(text)
    assert value not in result.text
    assert result.text.startswith(kept) or kept in result.text
    assert REDACTED in result.text
    assert result.counts == {"secret_assignment": 1}


@pytest.mark.parametrize(
    "text",
    [
        'author = "Jane Doe"',
        'token_url = "https://auth.example.com/token"',
        'password_file = "secrets/pw.txt"',
        'TOKEN_ENV = "GITHUB_TOKEN"',
        'password = ""',
        "password = getpass.getpass()",
        "token = os.environ['API_TOKEN']",
        "api_key = settings.API_KEY",
        "password: str",
        'if password == "admin":',
        'keyword = "python"',
        'tokenizer = "bert-base"',
        'sort_key = "name"',
        "see https://docs.python.org:443/3/library/os.html",
    ],
)
def test_ordinary_code_is_left_alone(text: str) -> None:
    result = redact(text)
    assert result.text == text
    assert result.counts == {}


def test_secret_names() -> None:
    for name in ("password", "DB_PASSWORD", "apiKey", "api_key", "x-api-key", "client_secret"):
        assert is_secret_name(name), name
    for name in ("author", "token_url", "password_file", "keyboard", "passenger", "key"):
        assert not is_secret_name(name), name


def test_a_script_keeps_its_shape() -> None:
    script = (
        "import requests\n"
        f'API_KEY = "{OPENAI}"\n'
        'password = "hunter2"\n'
        "r = requests.get(url, headers={'Authorization': f'Bearer {API_KEY}'}, timeout=5)\n"
    )
    result = redact(script)
    assert result.text == (
        "import requests\n"
        f'API_KEY = "{REDACTED}"\n'
        f'password = "{REDACTED}"\n'
        "r = requests.get(url, headers={'Authorization': f'Bearer {API_KEY}'}, timeout=5)\n"
    )
    assert result.counts == {"openai_key": 1, "secret_assignment": 1}
    assert redact(result.text).counts == {}  # redacting twice changes nothing


def test_the_size_cap() -> None:
    prompts = PromptFilter(max_chars=100)
    assert prompts.apply("x" * 100).text == "x" * 100
    with pytest.raises(PromptTooLarge) as error:
        prompts.apply("x" * 101)
    assert error.value.status_code == 413
    assert "101" in error.value.message
    assert "100" in error.value.message
    assert error.value.details == {"size": 101, "max_chars": 100}


def test_the_service_caps_all_parts_together() -> None:
    service = GuardrailService(max_prompt_chars=50)
    parts = service.filter_prompt("fix this", 'password = "hunter2"')
    assert [p.text for p in parts] == ["fix this", f'password = "{REDACTED}"']
    with pytest.raises(PromptTooLarge):
        service.filter_prompt("x" * 30, "y" * 30)


def test_long_text_is_redacted_quickly() -> None:
    import time

    text = ('value = "' + "a" * 30 + '"\n') * 1500 + 'password = "x' + "b" * 5000
    started = time.perf_counter()
    redact(text)
    assert time.perf_counter() - started < 1.0


def test_the_assistant_seams() -> None:
    service = GuardrailService(max_prompt_chars=40)
    assert service.redact_prompt('token = "abc123"') == f'token = "{REDACTED}"'
    with pytest.raises(PromptTooLarge):
        service.redact_prompt("x" * 41)
    assert service.report("import os\nos.system('id')\n")["verdict"] == "blocked"


# --- the reviewer's misses ---------------------------------------------------------------

HF = "hf_" + "AbCdEfGhIjKlMnOpQrStUvWxYz01234567"


@pytest.mark.parametrize(
    ("text", "value", "kept", "kind"),
    [
        ('DB_PASS = "hunter2"', "hunter2", "DB_PASS = ", "secret_assignment"),
        ('db_pass="hunter2"', "hunter2", "db_pass=", "secret_assignment"),
        ("PGPASSWORD='hunter2'", "hunter2", "PGPASSWORD=", "secret_assignment"),
        ('connect(user="app", pass_="hunter2")', "hunter2", "pass_=", "secret_assignment"),
        (
            'url = "https://api.example.com/v1/items?api_key=abc123XYZ&page=2"',
            "abc123XYZ",
            "?api_key=",
            "secret_parameter",
        ),
        (
            "conn = 'DefaultEndpointsProtocol=https;AccountName=acct;"
            "AccountKey=QmFzZTY0a2V5PT0=;EndpointSuffix=core.windows.net'",
            "QmFzZTY0a2V5PT0=",
            ";AccountKey=",
            "secret_parameter",
        ),
        (
            'odbc = "Server=db;Database=sales;User Id=app;Password=Tr0ub4dor;"',
            "Tr0ub4dor",
            ";Password=",
            "secret_parameter",
        ),
        (
            "curl 'https://x.example/export?format=csv&token=s3cr3tTok'",
            "s3cr3tTok",
            "&token=",
            "secret_parameter",
        ),
        (
            "PGPASSWORD=hunter2 psql -h db -U app",
            "hunter2",
            "PGPASSWORD=",
            "secret_assignment",
        ),
        (
            "!MYSQL_PWD=hunter2 API_TOKEN=t0k3n mysql -u root",
            "hunter2",
            "MYSQL_PWD=",
            "secret_assignment",
        ),
        ('user, password = "bob", "hunter2"', "hunter2", 'user, password = "bob", ', None),
        ('password, user = "hunter2", "bob"', "hunter2", '", "bob"', None),
        ('(host, token) = ("db", "t0k3n")', "t0k3n", '("db", ', None),
        ('password = (\n    "hunter2"\n)', "hunter2", "password = (\n", "secret_assignment"),
        (
            "API_KEY: str = (\n    'abc'\n    'def123'\n)",
            "def123",
            "API_KEY: str = (\n",
            "secret_assignment",
        ),
        (f'HF_HUB = "{HF}"', HF, "HF_HUB = ", "huggingface_token"),
        (f"huggingface-cli login --token {HF}", HF, "login --token ", "huggingface_token"),
    ],
)
def test_more_secrets_lose_their_value_and_keep_their_name(
    text: str, value: str, kept: str, kind: str | None
) -> None:
    result = redact(text)
    assert value not in result.text
    assert kept in result.text
    assert REDACTED in result.text
    if kind:
        assert result.counts.get(kind, 0) >= 1, result.counts
    assert redact(result.text).counts == {}  # redacting twice changes nothing


def test_a_tuple_assignment_redacts_the_secret_and_keeps_the_rest() -> None:
    result = redact('user, password = "bob", "hunter2"')
    assert result.text == f'user, password = "bob", "{REDACTED}"'
    assert result.counts == {"secret_assignment": 1}
    result = redact("password, user, host = 'hunter2', 'bob', 'db'")
    assert result.text == f"password, user, host = '{REDACTED}', 'bob', 'db'"


def test_parenthesised_values_keep_their_lines() -> None:
    text = 'password = (\n    "hunter"\n    "2"\n)\nprint(1)\n'
    assert redact(text).text == f'password = (\n    "{REDACTED}"\n    "{REDACTED}"\n)\nprint(1)\n'


@pytest.mark.parametrize(
    "text",
    [
        'bypass = "proxy"',
        'url = f"https://x.example/file?token={token}&a=1"',
        "url = 'https://x.example/?token=%s' % token",
        "curl 'https://x.example/?api_key=$API_KEY'",
        'q = "https://x.example/search?q=python&page=2"',
        "x = 1; password = getpass.getpass()",
        "PGPASSWORD=$PW psql",
        "f(a, password=pw if x else y)",
        'user, name = "bob", "Bob"',
        'user, password = "bob", get_password()',
        "total = (\n    'a'\n    'b'\n)",
        "timeout = (\n    5\n)",
    ],
)
def test_more_ordinary_text_is_left_alone(text: str) -> None:
    result = redact(text)
    assert result.text == text
    assert result.counts == {}


def test_more_secret_names() -> None:
    for name in ("pass", "DB_PASS", "db_pass", "PGPASSWORD", "smtpPass", "MYSQL_PWD"):
        assert is_secret_name(name), name
    for name in ("bypass", "passenger", "pass_count", "password_file", "compass"):
        assert not is_secret_name(name), name


def test_pathological_lists_are_redacted_quickly() -> None:
    import time

    started = time.perf_counter()
    redact("a, " * 13_000)
    redact("a, b = " + '"x", ' * 8_000)
    redact("password = (" + '"x"\n' * 8_000)
    redact("?token=" * 5_000)
    redact("A_PASSWORD=x " * 3_000)
    assert time.perf_counter() - started < 2.0


def test_filter_prompt_caps_the_sum_of_the_parts() -> None:
    service = GuardrailService(max_prompt_chars=100)
    # Each part alone fits; together they are one over.
    with pytest.raises(PromptTooLarge) as error:
        service.filter_prompt("a" * 40, "b" * 40, "c" * 21)
    assert error.value.details == {"size": 101, "max_chars": 100}
    # Exactly at the cap is fine, every part redacted and in order.
    parts = service.filter_prompt("a" * 60, 'token = "t0k3n"', "c" * 24)
    assert [p.text for p in parts] == ["a" * 60, f'token = "{REDACTED}"', "c" * 24]
    assert [p.total for p in parts] == [0, 1, 0]
    # No parts is nothing; a cap of 0 is no cap.
    assert service.filter_prompt() == []
    assert GuardrailService(max_prompt_chars=0).filter_prompt("x" * 10**6)[0].total == 0


# Exponential backtracking turned this into a minute of CPU per request: a prompt must not
# be able to stall a server thread. (The bound is generous; the redaction takes milliseconds.)
@pytest.mark.timeout(30)
@pytest.mark.parametrize(
    "unclosed",
    ['password = "' + "\\a" * 15_000, "x = '" + "\\" * 30_000, 'token = """' + "a\\" * 15_000],
)
def test_an_unclosed_string_full_of_backslashes_is_redacted_in_linear_time(unclosed):
    result = redact(unclosed)

    assert result.text.startswith(unclosed[:5])
