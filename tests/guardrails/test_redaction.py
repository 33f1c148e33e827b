"""Prompt-side filters: secrets redacted (the value gone, the name kept), the size cap, and
a request's numbered placeholders restored in the model's answer."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jupyter_scriptforge.guardrails import (
    REDACTED,
    GuardrailService,
    PromptFilter,
    PromptTooLarge,
    Redaction,
    redact,
)
from jupyter_scriptforge.guardrails.redaction import is_secret_name
from tests.guardrails.pathological import INPUTS, Pathological

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
GITLAB = "glpat-" + "Ab1Cd2Ef3Gh4Ij5Kl6Mn"
PYPI = "pypi-AgEIcHlwaS5vcmc" + "CJDk2YjM3OWVkLTRjMjAtNDk1Yy1hZTBlLWQ3ODkxMzM0ZDA1YgACKlsz"
NPM = "npm_" + "Ab1Cd2Ef3Gh4Ij5Kl6Mn7Op8Qr9St0Uv1Wx2"
SENDGRID = "SG." + "Ab1Cd2Ef3Gh4Ij5Kl6Mn7O" + "." + "Pq8Rs9Tu0Vw1Xy2Za3Bc4De5Fg6Hi7Jk8Lm9No0Pq1R"
TELEGRAM = "AA" + "Hd9f8G7h6J5k4L3m2N1p0Q9r8S7t6U5v4"
TWILIO = "SK" + "0123456789abcdef0123456789abcdef"
MAILCHIMP = "0123456789abcdef0123456789abcdef" + "-us21"
SQUARE = "sq0csp-" + "Ab1Cd2Ef3Gh4Ij5Kl6Mn7Op8Qr9St0Uv1Wx2Yz3Ab4C"


KNOWN_FORMATS = [
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
    (f"git clone https://oauth2:{GITLAB}@gitlab.example/o/r", GITLAB, None, "oauth2:"),
    (f"twine upload -u __token__ -p {PYPI} dist/*", PYPI, "pypi_token", "twine upload"),
    (f"//registry.npmjs.org/:_authToken={NPM}", NPM, "npm_token", ":_authToken="),
    (f"sg = SendGridAPIClient({SENDGRID!r})", SENDGRID, "sendgrid_key", "SendGridAPIClient("),
    (f"bot = Bot('123456789:{TELEGRAM}')", TELEGRAM, "telegram_bot_token", "Bot('123456789:"),
    (f"client = Client({TWILIO!r}, sid)", TWILIO, "twilio_key", "client = Client("),
    (f"mc.set_config({{'api_key': '{MAILCHIMP}'}})", MAILCHIMP, None, "'api_key': "),
    (f"square = Client(access_token='{SQUARE}')", SQUARE, None, "access_token="),
    (f"Logs in with {GITLAB}", GITLAB, "gitlab_token", "Logs in with "),
    (f"Mailchimp {MAILCHIMP} works", MAILCHIMP, "mailchimp_key", "Mailchimp "),
    (f"token {SQUARE}.", SQUARE, "square_token", "token "),
]


@pytest.mark.parametrize(("text", "secret", "kind", "kept"), KNOWN_FORMATS)
def test_known_formats_are_redacted(text: str, secret: str, kind: str | None, kept: str) -> None:
    result = redact(text)
    assert secret not in result.text
    assert REDACTED in result.text
    assert kept in result.text
    assert result.total >= 1
    if kind:
        assert result.counts.get(kind, 0) >= 1, result.counts
    assert secret not in repr(result.counts)


SECRET_ASSIGNMENTS = [
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
]


@pytest.mark.parametrize(("text", "value", "kept"), SECRET_ASSIGNMENTS)
def test_secret_names_keep_the_name_and_lose_the_value(text: str, value: str, kept: str) -> None:
    result = redact(text)
    assert value not in result.text
    assert result.text.startswith(kept) or kept in result.text
    assert REDACTED in result.text
    assert result.counts == {"secret_assignment": 1}


ORDINARY = [
    'author = "Jane Doe"',
    'token_url = "https://auth.example.com/token"',
    'password_file = "secrets/pw.txt"',
    'TOKEN_ENV = "GITHUB_TOKEN"',
    'password = ""',
    "password = getpass.getpass()",
    "token = os.environ['API_TOKEN']",
    "api_key = settings.API_KEY",
    "password: str",
    # A comparison with a string literal is redacted ("if password == 'admin'" holds the
    # password); with nothing or a call, nothing is.
    'if password == "":',
    "if password == getpass():",
    'keyword = "python"',
    'tokenizer = "bert-base"',
    'sort_key = "name"',
    "see https://docs.python.org:443/3/library/os.html",
]


@pytest.mark.parametrize("text", ORDINARY)
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
    prompts.check_size("x" * 60, "x" * 40)
    with pytest.raises(PromptTooLarge) as error:
        prompts.check_size("x" * 60, "x" * 41)
    assert error.value.status_code == 413
    assert "101" in error.value.message
    assert "100" in error.value.message
    assert error.value.details == {"size": 101, "max_chars": 100}


def test_the_service_caps_all_parts_together() -> None:
    service = GuardrailService(max_prompt_chars=50)
    redaction, parts = service.redaction("fix this", 'password = "hunter2"')
    assert parts == ["fix this", 'password = "«redacted-1»"']
    assert redaction.counts == {"secret_assignment": 1}
    with pytest.raises(PromptTooLarge):
        service.redaction("x" * 30, "y" * 30)


def test_the_assistant_seams() -> None:
    service = GuardrailService(max_prompt_chars=40)
    redaction, [sent] = service.redaction('token = "abc123"')
    assert sent == 'token = "«redacted-1»"'
    assert redaction.restore(sent) == 'token = "abc123"'
    with pytest.raises(PromptTooLarge):
        service.redaction("x" * 41)
    assert service.report("import os\nos.system('id')\n")["verdict"] == "blocked"


# --- the reviewer's misses ---------------------------------------------------------------

HF = "hf_" + "AbCdEfGhIjKlMnOpQrStUvWxYz01234567"


MORE_SECRETS = [
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
]


@pytest.mark.parametrize(("text", "value", "kept", "kind"), MORE_SECRETS)
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


MORE_ORDINARY = [
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
]


@pytest.mark.parametrize("text", MORE_ORDINARY)
def test_more_ordinary_text_is_left_alone(text: str) -> None:
    result = redact(text)
    assert result.text == text
    assert result.counts == {}


def test_more_secret_names() -> None:
    for name in ("pass", "DB_PASS", "db_pass", "PGPASSWORD", "smtpPass", "MYSQL_PWD"):
        assert is_secret_name(name), name
    for name in ("bypass", "passenger", "pass_count", "password_file", "compass"):
        assert not is_secret_name(name), name


def test_the_redaction_caps_the_sum_of_the_parts() -> None:
    service = GuardrailService(max_prompt_chars=100)
    # Each part alone fits; together they are one over.
    with pytest.raises(PromptTooLarge) as error:
        service.redaction("a" * 40, "b" * 40, "c" * 21)
    assert error.value.details == {"size": 101, "max_chars": 100}
    # The cap is on what comes in, before the placeholders (longer than short secrets).
    redaction, parts = service.redaction("a" * 60, 'token = "t0k3n"', "c" * 24)
    assert parts == ["a" * 60, 'token = "«redacted-1»"', "c" * 24]
    assert redaction.counts == {"secret_assignment": 1}
    # No parts is nothing; a cap of 0 is no cap.
    redaction, parts = service.redaction()
    assert (parts, redaction.counts) == ([], {})
    redaction, [part] = GuardrailService(max_prompt_chars=0).redaction("x" * 10**6)
    assert (len(part), redaction.total) == (10**6, 0)


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


# --- secrets in lookups, comparisons, connection strings and command lines ---------------

STRINGS_AND_COMMANDS = [
    # libpq / ODBC key=value pairs in a string, and -o option lists
    (
        'psycopg2.connect("dbname=x user=y password=hunter2 host=h")',
        "password=«redacted» host=h",
        "secret_parameter",
    ),
    ("psycopg2.connect('host=h pwd=hunter2')", "pwd=«redacted»'", "secret_parameter"),
    ('dsn = "passwd=hunter2 dbname=x"', '"passwd=«redacted» dbname=x"', "secret_parameter"),
    ('pyodbc.connect("Pwd=hunter2;Server=s")', '"Pwd=«redacted»;Server=s"', "secret_parameter"),
    (
        'ssh -o "User=app Password=hunter2" host',
        'Password=«redacted»" host',
        "secret_parameter",
    ),
    (
        "mount -t cifs -o username=u,password=hunter2,vers=3.0 //s/share /mnt",
        "-o username=u,password=«redacted»,vers=3.0 //s/share",
        "secret_parameter",
    ),
    ("sshfs -o password=hunter2 h:/ /mnt", "-o password=«redacted» h:/", "secret_parameter"),
    # the secret defaults of environment and settings lookups
    (
        'os.environ.get("DB_PASSWORD", "hunter2")',
        'os.environ.get("DB_PASSWORD", "«redacted»")',
        "secret_assignment",
    ),
    ("os.getenv('API_KEY', 'sk-local-1')", "os.getenv('API_KEY', '«redacted»')", None),
    (
        'os.environ.setdefault("API_KEY", "hunter2")',
        'os.environ.setdefault("API_KEY", "«redacted»")',
        "secret_assignment",
    ),
    (
        'os.getenv(\n    "GITHUB_TOKEN",\n    default="hunter2",\n)',
        'default="«redacted»"',
        "secret_assignment",
    ),
    (
        'cfg.get("password", fallback="hunter2")',
        'fallback="«redacted»"',
        "secret_assignment",
    ),
    ('os.environ["TOKEN"] = "hunter2"', '["TOKEN"] = "«redacted»"', "secret_assignment"),
    # comparisons with secret names
    ('if password == "hunter2":', 'if password == "«redacted»":', "secret_comparison"),
    ('token != "abc"', 'token != "«redacted»"', "secret_comparison"),
    ('"hunter2" == password', '"«redacted»" == password', "secret_comparison"),
    ("assert 'hunter2' != self.db_password", "'«redacted»' != self.db_password", None),
    ('if cfg["api_key"] == "abc123":', 'cfg["api_key"] == "«redacted»"', "secret_comparison"),
    # credentials on command lines
    ("curl -u admin:hunter2 https://x", "curl -u admin:«redacted» https://x", None),
    ("!curl --user admin:hunter2 https://x", "--user admin:«redacted» https://x", None),
    ("curl -sSu 'admin:hunter2' https://x", "-sSu 'admin:«redacted»'", "shell_credential"),
    (
        "!curl -X POST https://x?a=1&b=2 \\\n  -u admin:hunter2 -d @f.json",
        "-u admin:«redacted» -d",
        "shell_credential",
    ),
    ("mysql -u root -phunter2 db", "-p«redacted» db", "shell_credential"),
    ('mysql -u root -p"hunter2" db', '-p"«redacted»" db', "shell_credential"),
    ("mysqldump -p'hunter2' db > db.sql", "-p'«redacted»' db", "shell_credential"),
    ("mysql --password=hunter2 db", "--password=«redacted» db", "shell_credential"),
    ("sshpass -p hunter2 ssh -p 2222 h", "-p «redacted» ssh -p 2222 h", "shell_credential"),
    ("sshpass -phunter2 ssh h", "sshpass -p«redacted» ssh h", "shell_credential"),
    (
        'subprocess.run(["sshpass", "-p", "hunter2", "ssh", host])',
        '"-p", "«redacted»", "ssh"',
        "shell_credential",
    ),
    (
        'subprocess.run(["curl", "-u", "admin:hunter2", url])',
        '"-u", "admin:«redacted»", url',
        "shell_credential",
    ),
    ('subprocess.run(["mysql", "-phunter2", "db"])', '"-p«redacted»", "db"', None),
    ("tool --api-key abc123 --db-password 'hunter2'", "--db-password '«redacted»'", None),
]


@pytest.mark.parametrize(("text", "redacted", "kind"), STRINGS_AND_COMMANDS)
def test_secrets_in_lookups_comparisons_connection_strings_and_commands(
    text: str, redacted: str, kind: str | None
) -> None:
    result = redact(text)
    assert redacted in result.text
    for secret in ("hunter2", "abc123", "sk-local-1", "'abc'", '"abc"'):
        assert secret not in result.text
    if kind:
        assert set(result.counts) == {kind}, result.counts
    assert redact(result.text).counts == {}  # redacting twice changes nothing


ORDINARY_STRINGS_AND_COMMANDS = [
    # keyword arguments are no connection strings
    'print("x", password=pw, sep="")',
    'def connect(self, password=None, host="h"): ...',
    "f(a, password=pw) or f(password=pw, token=tok)",
    '"SELECT * FROM users WHERE password=:pw"',
    'dsn = f"dbname={db} password={pw}"',
    'print("Invalid key. api_key=None.")',
    'cmd = "serve --port=8080 MAX_TOKENS=1024 -e"',
    # settings about secrets
    "ssh -o PasswordAuthentication=no host",
    'ssh -o "PasswordAuthentication=no" host',
    "mount -o credentials=/root/.smbcred //s/share /mnt",
    # lookups without a secret default
    'os.environ.get("DB_PASSWORD", "")',
    'os.environ.get("HOME", "/root")',
    'os.getenv("API_KEY", "<your key>")',
    'limit = cfg.get("max_tokens", "256")',
    'os.getenv("TOKEN_COUNTING_VERSION", "2024-01")',
    # comparisons with nothing secret
    'if password == "":',
    "if password == getpass():",
    'if token == "(" or token != "\\n" or token == "-i":',
    'if tokenizer.pad_token == "[PAD]" or next_token != "a":',
    'if secrets_dir_missing == "error" or auth == "none":',
    'if password == f"{prefix}{suffix}":',
    # command lines without a credential
    "docker run -p 8080:80 -u 1000:1000 image",
    "ssh -p 2222 host; tar -pxf a.tar",
    "mysql -u root -p mydb",
    'mysql -u root -p"$MYSQL_PWD" db',
    'subprocess.run(["mysql", "-p", "db"])',
    'curl -u "$USER:$PASS" https://x',
    "curl -u admin https://x",
    'curl --user-agent "a:b" https://x',
    "sshpass -e ssh -p 2222 host",
    'parser.add_argument("--token", "-t", help="use --token or --token-file")',
    "usage: tool --token TOKEN --password=PASSWORD",
    'cmd = ["gpg", "--batch", "--passphrase-fd", "0"]',
    "hf secrets add -s OPENAI_API_KEY=sk-...",
]


@pytest.mark.parametrize("text", ORDINARY_STRINGS_AND_COMMANDS)
def test_strings_and_commands_without_a_secret_are_left_alone(text: str) -> None:
    result = redact(text)
    assert result.text == text
    assert result.counts == {}


def test_a_connection_string_numbers_its_secrets_and_restores_them() -> None:
    redaction = Redaction()
    text = 'conn = psycopg2.connect("user=app password=hunter2 host=db")\nif password == "hunter2":'
    result = redaction.redact(text)
    assert result.text == (
        'conn = psycopg2.connect("user=app password=«redacted-1» host=db")\n'
        'if password == "«redacted-1»":'
    )
    assert result.counts == {"secret_parameter": 1, "secret_comparison": 1}
    assert redaction.restore(result.text) == text


def test_an_unquoted_value_keeps_the_spaces_after_it() -> None:
    # They were dropped: restoring did not give the text back.
    for text in ("password: hunter2   ", "token=abc\t\nx = 1"):
        redaction = Redaction()
        result = redaction.redact(text)
        assert "hunter2" not in result.text
        assert "abc" not in result.text
        assert redaction.restore(result.text) == text
    assert redact("password ==   ").counts == {}  # no assignment


def test_keep_lines_leaves_the_line_breaks_of_a_secret() -> None:
    text = f'CREDENTIALS = """a\nb\r\nc"""\nos.system(x)\n-----BEGIN PRIVATE KEY-----\n{KEY_BODY}'
    kept = redact(text, keep_lines=True)
    assert kept.text == (
        f'CREDENTIALS = """{REDACTED}\n\r\n"""\nos.system(x)\n'
        f"-----BEGIN PRIVATE KEY-----{REDACTED}\n\n"
    )
    assert kept.counts == redact(text).counts == {"private_key": 1, "secret_assignment": 1}
    assert kept.text.splitlines()[3] == text.splitlines()[3] == "os.system(x)"
    assert redact(text).text.splitlines()[1] == "os.system(x)"  # without: one line for all


# --- numbered placeholders: one Redaction per request, restored in the model's answer -----


def test_placeholders_are_numbered_across_the_parts_of_a_request() -> None:
    redaction = Redaction()
    instruction = redaction.redact(f"Use the key {OPENAI} and rotate it.")
    script = redaction.redact(
        f'API_KEY = "{OPENAI}"\npassword = "hunter2"\nconn = connect(password="hunter2")\n'
    )
    output = redaction.redact("login failed for hunter2\nPGPASSWORD=hunter2 psql\n")

    # The same value has the same number in every part; another value, the next one.
    assert instruction.text == "Use the key «redacted-1» and rotate it."
    assert script.text == (
        'API_KEY = "«redacted-1»"\npassword = "«redacted-2»"\n'
        'conn = connect(password="«redacted-2»")\n'
    )
    # Only what is redacted is replaced: a value in prose stays (it is not known as secret).
    assert output.text == "login failed for hunter2\nPGPASSWORD=«redacted-2» psql\n"
    # Each result counts its part; the Redaction counts them all.
    assert script.counts == {"openai_key": 1, "secret_assignment": 2}
    assert redaction.counts == {"openai_key": 2, "secret_assignment": 3}
    assert redaction.total == 5


def test_restore_puts_the_secrets_back_into_the_answer() -> None:
    redaction = Redaction()
    prompt = redaction.redact(f'password = "hunter2"\nclient = OpenAI(api_key="{OPENAI}")\n')
    # Numbered in the order found: the known formats come first.
    assert prompt.text == 'password = "«redacted-2»"\nclient = OpenAI(api_key="«redacted-1»")\n'

    answer = (
        "```python\n"
        'password = "«redacted-2»"  # unchanged\n'
        'client = OpenAI(api_key="«redacted-1»", timeout=30)\n'
        'token = "«redacted-3»"  # a number the model made up\n'
        'other = "«redacted»"  # the bare placeholder\n'
        "```\n"
    )
    assert redaction.restore(answer) == (
        "```python\n"
        'password = "hunter2"  # unchanged\n'
        f'client = OpenAI(api_key="{OPENAI}", timeout=30)\n'
        'token = "«redacted-3»"  # a number the model made up\n'
        'other = "«redacted»"  # the bare placeholder\n'
        "```\n"
    )
    # Another request's placeholders mean nothing to this one.
    assert Redaction().restore(prompt.text) == prompt.text


def test_a_redaction_keeps_its_secrets_to_itself() -> None:
    redaction = Redaction()
    redaction.redact('password = "hunter2"')
    assert "hunter2" not in repr(redaction)
    assert "hunter2" not in str(redaction)
    assert "hunter2" not in repr(redaction.counts)


def test_placeholders_already_in_the_text_keep_their_numbers() -> None:
    # A script pasted from an earlier answer: its placeholders are text, not our secrets.
    redaction = Redaction()
    text = 'old = "«redacted-1»"\npassword = "«redacted-2»"\ntoken = "t0k3n"\n'
    result = redaction.redact(text)
    assert (
        result.text == 'old = "«redacted-1»"\npassword = "«redacted-2»"\ntoken = "«redacted-3»"\n'
    )
    assert result.counts == {"secret_assignment": 1}
    assert redaction.restore(result.text) == text


@pytest.mark.parametrize(
    "text",
    [
        'password = "«redacted-7»"',
        "PGPASSWORD=«redacted-7» psql",
        "password: «redacted-7»",
        "url = 'https://x.example/?token=«redacted-7»&a=1'",
        'user, password = get_user(), "«redacted-7»"',
        "password = (\n    '«redacted-7»'\n)",
        "postgresql://app:«redacted-7»@db/prod",
        "Authorization: Bearer «redacted-7»",
    ],
)
def test_numbered_placeholders_are_not_redacted_again(text: str) -> None:
    assert redact(text).text == text
    assert Redaction().redact(text).counts == {}


def test_a_secret_holding_a_redacted_one_is_restored_whole() -> None:
    # The key goes first (a known format), then the URL's password around it.
    redaction = Redaction()
    text = f"git remote add origin https://me:x-{GITHUB}@github.com/o/r.git"
    result = redaction.redact(text)
    assert result.text == "git remote add origin https://me:«redacted-2»@github.com/o/r.git"
    assert result.counts == {"github_token": 1, "url_password": 1}
    assert redaction.restore(result.text) == text
    assert redaction.restore("token «redacted-1»") == f"token {GITHUB}"


ROUND_TRIPS = [
    *(case[0] for case in KNOWN_FORMATS),
    *(case[0] for case in SECRET_ASSIGNMENTS),
    *(case[0] for case in MORE_SECRETS),
    *ORDINARY,
    *MORE_ORDINARY,
    *(case[0] for case in STRINGS_AND_COMMANDS),
    *ORDINARY_STRINGS_AND_COMMANDS,
]


@pytest.mark.parametrize("text", ROUND_TRIPS)
def test_restoring_a_redaction_gives_the_text_back(text: str) -> None:
    redaction = Redaction()
    result = redaction.redact(text)
    assert redaction.restore(result.text) == text
    # The bare placeholders are where the numbered ones are, and count the same.
    one_way = redact(text)
    assert result.counts == one_way.counts
    assert one_way.text == _bare(result.text)
    # Redacting twice changes nothing.
    assert redaction.redact(result.text).text == result.text


def _bare(text: str) -> str:
    return re.sub(r"«redacted-\d+»", REDACTED, text)


# --- tuples with values of every kind ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "redacted"),
    [
        (
            'user, password = get_user(), "hunter2"',
            'user, password = get_user(), "«redacted-1»"',
        ),
        ('password, retries = "hunter2", 3', 'password, retries = "«redacted-1»", 3'),
        (
            'user, password = os.environ["USER"], "hunter2"  # from the vault',
            'user, password = os.environ["USER"], "«redacted-1»"  # from the vault',
        ),
        (
            "host, port, token = cfg.get('host', 'db'), 5432, 't0k3n'; connect()",
            "host, port, token = cfg.get('host', 'db'), 5432, '«redacted-1»'; connect()",
        ),
        ('(user, token) = (me(), "t0k3n")', '(user, token) = (me(), "«redacted-1»")'),
        ('user, password = "bob", "hunter2",', 'user, password = "bob", "«redacted-1»",'),
        (
            'user, password = get_user(), \\\n    "hunter2"',
            'user, password = get_user(), \\\n    "«redacted-1»"',
        ),
        (
            'a, b = user, password = "bob", "hunter2"',
            'a, b = user, password = "bob", "«redacted-1»"',
        ),
        (
            'token, secret = "t0k3n", """multi\nline"""',
            'token, secret = "«redacted-1»", """«redacted-2»"""',
        ),
        # A keyword argument after the secret one is no tuple.
        ('f(a, password="hunter2", b=1)', 'f(a, password="«redacted-1»", b=1)'),
    ],
)
def test_mixed_tuple_assignments_redact_their_string_secrets(text: str, redacted: str) -> None:
    redaction = Redaction()
    result = redaction.redact(text)
    assert result.text == redacted
    assert set(result.counts) == {"secret_assignment"}
    assert redaction.restore(result.text) == text


@pytest.mark.parametrize(
    "text",
    [
        "user, password = get_credentials()",
        "user, password = get_user(), ask()",
        'user, password = "bob", f"{prefix}-{suffix}"',
        'x, password = ("a", "b") if c else ("d", "e")',  # one value for two names
        "for user, password in pairs: pass",
        "user, token = token, user",
        "a, b = x, it's\nc, d = 'e', 'f'",
    ],
)
def test_tuples_without_a_secret_string_are_left_alone(text: str) -> None:
    assert Redaction().redact(text).text == text


def test_an_apostrophe_in_prose_does_not_hide_the_next_line() -> None:
    text = "a, b = x, it's broken\npassword, user = 'hunter2', 'bob'"
    assert redact(text).text == f"a, b = x, it's broken\npassword, user = '{REDACTED}', 'bob'"


# A pattern that backtracks takes minutes on these; how the time grows with their size is
# measured by tests/bench/bench_redaction.py, the timeout only stops a hang.
@pytest.mark.timeout(60)
@pytest.mark.parametrize("case", INPUTS, ids=lambda case: repr(case.prefix + case.unit)[:24])
def test_pathological_inputs_round_trip(case: Pathological) -> None:
    text = case.text()
    redaction = Redaction()
    assert redaction.restore(redaction.redact(text).text) == text


# --- properties over generated snippets ---------------------------------------------------

_NAMES = st.sampled_from(
    ["password", "DB_PASSWORD", "api_key", "apiKey", "token", "secret", "user", "host", "x"]
)
_CHARS = st.text(st.sampled_from(list("ab7 -_.:/@\\\"'{}$%*=,;#()[]\t\n«»é")), max_size=12)
_WORDS = st.text(st.sampled_from(list("abXY79-_.+/")), min_size=1, max_size=12)
_QUOTES = st.sampled_from(['"', "'", '"""', "'''"])
_LITERALS = st.builds(
    lambda prefix, q, value: f"{prefix}{q}{value}{q}",
    st.sampled_from(["", "f", "rb"]),
    _QUOTES,
    _CHARS,
)
_EXPRESSIONS = st.one_of(
    _LITERALS, st.sampled_from(["get()", "3", "cfg['pw']", "f(a, b)", "None", "(1, 2)"])
)
_SNIPPETS = st.one_of(
    st.builds("{} = {}".format, _NAMES, _LITERALS),
    st.builds("{}: str = {}".format, _NAMES, _LITERALS),
    st.builds("f({}={}, b=1)".format, _NAMES, _LITERALS),
    st.builds('{{"{}": {}}}'.format, _NAMES, _LITERALS),
    st.builds("{}={}".format, _NAMES.map(str.upper), _WORDS),
    st.builds("export {}={} && run".format, _NAMES.map(str.upper), _WORDS),
    st.builds("{}: {}".format, _NAMES, _WORDS),
    st.builds("url?{}={}&page=2".format, _NAMES, _WORDS),
    st.builds("{}, {} = {}, {}".format, _NAMES, _NAMES, _EXPRESSIONS, _EXPRESSIONS),
    st.builds("({}, {}) = ({}, {})".format, _NAMES, _NAMES, _EXPRESSIONS, _EXPRESSIONS),
    st.builds("{} = (\n    {}\n    {}\n)".format, _NAMES, _LITERALS, _LITERALS),
    st.builds('os.getenv("{}", {})'.format, _NAMES.map(str.upper), _LITERALS),
    st.builds("if {} == {}:".format, _NAMES, _LITERALS),
    st.builds("{} != {}".format, _LITERALS, _NAMES),
    st.builds('connect("user={} {}={} host=h")'.format, _WORDS, _NAMES, _WORDS),
    st.builds("mount -o user={},{}={} /m".format, _WORDS, _NAMES, _WORDS),
    st.builds("curl -u {}:{} x".format, _WORDS, _WORDS),
    st.builds("mysql -p{} db; sshpass -p {} ssh h".format, _WORDS, _WORDS),
    st.builds("tool --{}={} --{} {} run".format, _NAMES, _WORDS, _NAMES, _WORDS),
    st.sampled_from([OPENAI, GITHUB, JWT, f"Bearer {BEARER}", "https://u:pw@h/", "«redacted»"]),
    _CHARS,
)
_SCRIPTS = st.lists(_SNIPPETS, max_size=8).map("\n".join)


@settings(max_examples=300, deadline=None)
@given(st.lists(_SCRIPTS, min_size=1, max_size=3))
def test_every_part_of_a_request_round_trips(parts: list[str]) -> None:
    redaction = Redaction()
    redacted = [redaction.redact(part).text for part in parts]
    assert [redaction.restore(text) for text in redacted] == parts
    # The bare placeholders are the same redaction, one-way.
    assert [_bare(text) for text in redacted] == [redact(part).text for part in parts]


@settings(max_examples=200, deadline=None)
@given(st.one_of(_SCRIPTS, st.text(max_size=200)), st.integers(min_value=1, max_value=3))
def test_any_text_round_trips_even_with_placeholders_in_it(text: str, number: int) -> None:
    text = f"«redacted-{number}» {text} «redacted»"
    redaction = Redaction()
    assert redaction.restore(redaction.redact(text).text) == text


def test_conceal_takes_the_secrets_out_of_what_is_recorded() -> None:
    redaction = Redaction()
    url = f"https://me:x-{GITHUB}@github.com/o/r.git"
    redaction.redact(f'password = "hunter2"\nremote = "{url}"\n')
    # A finding on the restored answer quotes its lines; the audit gets them concealed.
    message = f"Possible hardcoded password: 'hunter2' near {url} and {GITHUB}"
    assert redaction.conceal(message) == (
        "Possible hardcoded password: '«redacted-3»' near "
        "https://me:«redacted-2»@github.com/o/r.git and «redacted-1»"
    )
    assert redaction.restore(redaction.conceal(message)) == message
    assert Redaction().conceal(message) == message
