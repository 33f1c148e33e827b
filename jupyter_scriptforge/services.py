"""The server's services, wired once (``ScriptForgeApp.initialize_settings``) and reached by
type: handlers through ``ScriptForgeHandler.services``, anything else holding the Tornado
settings through ``services_of``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .assistant.service import AssistantService
from .audit import AuditLog
from .catalog.background import CatalogBackground
from .catalog.service import CatalogService
from .db.store import Store
from .execution.groups import GroupService
from .execution.interpreters import InterpreterRegistry
from .execution.service import RunService
from .guardrails import GuardrailService
from .guardrails.holds import GuardrailHolds
from .guardrails.reviews import GuardrailReviews
from .health import HealthService
from .versions.service import VersionService

# The one key of the Tornado settings that ScriptForge uses.
SETTINGS_KEY = "scriptforge"


@dataclass(frozen=True)
class Services:
    """Everything a request may need, and whose user the server runs for."""

    server_user: str
    store: Store
    catalog: CatalogService
    versions: VersionService
    background: CatalogBackground
    interpreters: InterpreterRegistry
    groups: GroupService
    runs: RunService
    audit: AuditLog
    holds: GuardrailHolds
    assistant: AssistantService
    guardrails: GuardrailService
    reviews: GuardrailReviews
    health: HealthService


def services_of(settings: Mapping[str, Any]) -> Services:
    """The services in a server's Tornado settings."""
    services = settings[SETTINGS_KEY]
    if not isinstance(services, Services):
        raise TypeError(f"settings[{SETTINGS_KEY!r}] holds {type(services).__name__}")
    return services
