"""Language intelligence per interpreter: python-lsp-server on each script's own
interpreter, behind one router that jupyterlab-lsp talks to (see docs/ARCHITECTURE.md)."""

from .manager import LanguageServers
from .service import Diagnostic, LanguageServerError, LanguageService

__all__ = ["Diagnostic", "LanguageServerError", "LanguageServers", "LanguageService"]
