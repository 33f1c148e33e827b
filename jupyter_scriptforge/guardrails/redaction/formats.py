"""Keys and tokens known by their format, wherever they appear: private key blocks, cloud
and API keys (AWS, OpenAI, Anthropic, Google, Hugging Face, Stripe, SendGrid, Twilio,
Mailchimp, Square), GitHub, GitLab, PyPI, npm, Slack and Telegram tokens, JWTs, bearer
tokens and passwords in URLs. Only the secret goes; ``Bearer``, the
URL's user and host stay."""

from __future__ import annotations

import re
from collections.abc import Callable

from .marks import REDACTED_ANY, Scan

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
    ("gitlab_token", re.compile(r"(?P<secret>\bglpat-[A-Za-z0-9_\-]{20,})")),
    ("pypi_token", re.compile(r"(?P<secret>\bpypi-AgE[A-Za-z0-9_\-]{50,})")),
    ("npm_token", re.compile(r"(?P<secret>\bnpm_[A-Za-z0-9]{36})(?![A-Za-z0-9])")),
    (
        "sendgrid_key",
        re.compile(r"(?P<secret>\bSG\.[A-Za-z0-9_\-]{22}\.[A-Za-z0-9_\-]{43})(?![\w\-])"),
    ),
    ("telegram_bot_token", re.compile(r"\b[0-9]{8,10}:(?P<secret>AA[A-Za-z0-9_\-]{33})(?![\w\-])")),
    ("twilio_key", re.compile(r"(?P<secret>\bSK[0-9a-fA-F]{32})\b")),
    ("mailchimp_key", re.compile(r"(?P<secret>\b[0-9a-f]{32}-us[0-9]{1,2})\b")),
    ("square_token", re.compile(r"(?P<secret>\bsq0(?:atp|csp)-[0-9A-Za-z_\-]{22,43})")),
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


def redact_formats(text: str, scan: Scan) -> str:
    text = _KEY_BLOCK.sub(_replace_group(scan, "private_key"), text)
    for kind, pattern in _FORMATS:
        text = pattern.sub(_replace_group(scan, kind), text)
    return text


def _replace_group(scan: Scan, kind: str) -> Callable[[re.Match[str]], str]:
    def replace(match: re.Match[str]) -> str:
        secret = match.group("secret")
        if not secret or REDACTED_ANY.fullmatch(secret):
            return match.group(0)
        scan.counts[kind] += 1
        return scan.hide(match.group(0), match.start(), [match.span("secret")])

    return replace
