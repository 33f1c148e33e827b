"""Access to the language model: the one that is configured in Jupyter AI, called through litellm.

Everything the assistant needs from a model is behind ``ModelSource.model()`` → ``ChatModel``
(a name, and ``stream(messages)``), so tests and other backends can stand in for it. What
can go wrong on the way becomes one of two domain errors, never a traceback:
``NoModelConfigured`` (Jupyter AI missing, changed, or without a chat model) and
``ModelFailed`` (the provider refused or could not be reached).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from ..errors import ScriptForgeError

# Where the Jupyternaut server extension (jupyter-ai[jupyternaut] 3.x) keeps its config manager.
CONFIG_MANAGER_KEY = "jupyternaut.config_manager"

NO_MODEL_MESSAGE = (
    "No language model is configured: a model needs a provider's API key (Settings → "
    "Jupyternaut settings) or a local one, chosen in Jupyter AI's configuration "
    "(its chat model)."
)

# Arguments of the call that are ours, whatever the config's parameters say.
_RESERVED = frozenset({"model", "messages", "stream"})
DEFAULT_TIMEOUT = 120.0
_MAX_DETAIL = 300

Message = dict[str, str]


class NoModelConfigured(ScriptForgeError):  # noqa: N818 - named for what the user must fix
    status_code = 503
    code = "no_model"

    def __init__(self, message: str = NO_MODEL_MESSAGE, **details: Any) -> None:
        super().__init__(message, **details)


class ModelFailed(ScriptForgeError):  # noqa: N818
    """The model was called and answered with an error (credentials, rate limit, network)."""

    status_code = 502
    code = "model_error"


class ChatModel(Protocol):
    """One configured model, ready for a request."""

    @property
    def name(self) -> str: ...

    def stream(self, messages: Sequence[Message]) -> AsyncIterator[str]:
        """The answer's text, piece by piece as the model produces it; raises ``ModelFailed``."""
        ...


class ModelSource(Protocol):
    def model(self) -> ChatModel:
        """The model to use for this request; raises ``NoModelConfigured``."""
        ...


@dataclass(frozen=True)
class LiteLLMModel:
    """A litellm model id and its parameters (``temperature``, ``api_base``, …)."""

    name: str
    params: Mapping[str, Any] = field(default_factory=dict)
    # Longest wait for the answer to start, and between two of its pieces: a stalled
    # provider must not hold the panel (or the one-message-at-a-time chat) for ever.
    timeout: float = DEFAULT_TIMEOUT

    async def stream(self, messages: Sequence[Message]) -> AsyncIterator[str]:
        import litellm  # slow to import (seconds): only when a model is first called

        params = {k: v for k, v in self.params.items() if k not in _RESERVED}
        params.setdefault("timeout", self.timeout)
        try:
            response = await asyncio.wait_for(
                litellm.acompletion(
                    model=self.name, messages=list(messages), stream=True, **params
                ),
                self.timeout,
            )
            async for chunk in _each_within(response, self.timeout):
                choices = getattr(chunk, "choices", None) or []
                text = (
                    getattr(getattr(choices[0], "delta", None), "content", None)
                    if choices
                    else None
                )
                if text:
                    yield text
        except ModelFailed:
            raise
        except TimeoutError:
            raise ModelFailed(
                f"The language model {self.name} did not answer within {self.timeout:g} s.",
                model=self.name,
                reason="Timeout",
            ) from None
        except Exception as error:  # litellm maps every provider's failure to its own types
            raise model_failure(self.name, error) from error


async def _each_within(pieces: AsyncIterator[Any], seconds: float) -> AsyncIterator[Any]:
    """The pieces of a stream, each awaited at most ``seconds`` (else ``TimeoutError``)."""
    iterator = aiter(pieces)
    while True:
        try:
            yield await asyncio.wait_for(anext(iterator), seconds)
        except StopAsyncIteration:
            return


def model_failure(model: str, error: Exception) -> ModelFailed:
    """A message a user can act on, for whatever litellm raised."""
    kind = type(error).__name__
    detail = str(error).strip().splitlines()[0][:_MAX_DETAIL] if str(error).strip() else kind
    if kind == "AuthenticationError":
        message = (
            f"The language model {model} refused the credentials: check its API key in the "
            "Jupyter AI settings."
        )
    elif kind == "RateLimitError":
        message = f"The language model {model} is rate limited: try again in a moment."
    elif kind in ("APIConnectionError", "Timeout", "ServiceUnavailableError"):
        message = f"The language model {model} could not be reached: {detail}"
    elif kind in ("NotFoundError", "BadRequestError") and "model" in detail.lower():
        message = f"The language model {model} is not available: {detail}"
    elif kind == "ContextWindowExceededError":
        message = f"The request is too long for the language model {model}."
    else:
        message = f"The language model {model} failed: {detail}"
    return ModelFailed(message, model=model, reason=kind)


class JupyterAIModels:
    """The chat model chosen in Jupyter AI's settings, read again on every request.

    ``settings`` is the Jupyter server's web application settings, where the Jupyternaut
    server extension puts its config manager; ``override`` (ScriptForge's
    ``assistant_model`` trait) replaces the model id, and then works without Jupyter AI
    too (the provider's key then comes from the environment).
    """

    def __init__(
        self,
        settings: Callable[[], Mapping[str, Any]],
        override: str = "",
        timeout: float = DEFAULT_TIMEOUT,
    ) -> None:
        self._settings = settings
        self._override = override
        self._timeout = timeout

    def model(self) -> ChatModel:
        manager = self._settings().get(CONFIG_MANAGER_KEY)
        if self._override:
            params = _params_for(manager, self._override)
            return LiteLLMModel(self._override, params, self._timeout)
        if manager is None:
            raise NoModelConfigured(reason="jupyter_ai_missing")
        try:
            name = manager.chat_model
            params = manager.chat_model_args
        except AttributeError:  # another Jupyter AI than the one this was written for
            raise NoModelConfigured(reason="jupyter_ai_changed") from None
        except Exception:  # an unreadable config file is as good as none
            raise NoModelConfigured(reason="jupyter_ai_config_unreadable") from None
        if not isinstance(name, str) or not name:
            raise NoModelConfigured(reason="no_chat_model")
        known = dict(params) if isinstance(params, Mapping) else {}
        return LiteLLMModel(name, known, self._timeout)


def _params_for(manager: Any, model: str) -> dict[str, Any]:
    """The parameters Jupyter AI keeps for ``model`` (its ``fields``), if any."""
    if manager is None:
        return {}
    try:
        fields = manager.get_config().fields
    except Exception:  # missing or changed Jupyter AI: the override goes without parameters
        return {}
    params = fields.get(model) if isinstance(fields, Mapping) else None
    return dict(params) if isinstance(params, Mapping) else {}
