"""Model access: Jupyter AI's config manager → litellm, and every way it can be missing."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any

import pytest
from jupyter_ai_jupyternaut.config.config_manager import ConfigManager

from jupyter_scriptforge.assistant.model import (
    CONFIG_MANAGER_KEY,
    NO_MODEL_MESSAGE,
    JupyterAIModels,
    LiteLLMModel,
    ModelFailed,
    NoModelConfigured,
    model_failure,
)
from tests.assistant.jupyter_ai import ANSWER, MODEL, write_config

MESSAGES = [{"role": "user", "content": "hello"}]


def manager(path: Path) -> ConfigManager:
    return ConfigManager(log=logging.getLogger("test"), defaults={}, config_path=str(path))


def models(settings: dict[str, Any], override: str = "") -> JupyterAIModels:
    return JupyterAIModels(lambda: settings, override)


async def collect(model: Any) -> list[str]:
    return [piece async for piece in model.stream(MESSAGES)]


async def test_the_chat_model_of_jupyter_ai_streams_through_litellm(tmp_path):
    config = manager(write_config(tmp_path / "config.json", temperature=0.1))

    model = models({CONFIG_MANAGER_KEY: config}).model()
    pieces = await collect(model)

    assert model.name == MODEL
    assert dict(model.params) == {"temperature": 0.1, "mock_response": ANSWER}
    assert len(pieces) > 3
    assert "".join(pieces) == ANSWER


async def test_the_config_is_read_again_on_every_request(tmp_path):
    path = write_config(tmp_path / "config.json", model=None)
    config = manager(path)
    with pytest.raises(NoModelConfigured):
        models({CONFIG_MANAGER_KEY: config}).model()

    write_config(path, mock_response="changed")

    assert "".join(await collect(models({CONFIG_MANAGER_KEY: config}).model())) == "changed"


def test_no_jupyter_ai_no_chat_model_or_another_jupyter_ai_say_how_to_configure_one(tmp_path):
    no_model = manager(write_config(tmp_path / "config.json", model=None))

    class Changed:  # a Jupyter AI whose config manager lost the attributes used
        pass

    for settings, reason in [
        ({}, "jupyter_ai_missing"),
        ({CONFIG_MANAGER_KEY: no_model}, "no_chat_model"),
        ({CONFIG_MANAGER_KEY: Changed()}, "jupyter_ai_changed"),
    ]:
        with pytest.raises(NoModelConfigured) as raised:
            models(settings).model()
        assert raised.value.message == NO_MODEL_MESSAGE
        assert "Settings → Jupyternaut settings" in raised.value.message
        assert raised.value.status_code == 503
        assert raised.value.details["reason"] == reason


async def test_the_trait_overrides_the_model_with_jupyter_ais_parameters_for_it(tmp_path):
    path = tmp_path / "config.json"
    write_config(path)
    config = manager(path)

    other = "anthropic/claude-x"
    with_params = models({CONFIG_MANAGER_KEY: config}, override=MODEL).model()
    without = models({CONFIG_MANAGER_KEY: config}, override=other).model()
    alone = models({}, override=other).model()  # works without Jupyter AI too

    assert with_params.name == MODEL
    assert with_params.params["mock_response"] == ANSWER
    assert (without.name, dict(without.params)) == (other, {})
    assert (alone.name, dict(alone.params)) == (other, {})


async def test_a_provider_error_becomes_a_message_not_a_traceback():
    model = LiteLLMModel(MODEL, {"mock_response": "litellm.RateLimitError"})

    with pytest.raises(ModelFailed) as raised:
        await collect(model)

    assert raised.value.status_code == 502
    assert (
        raised.value.message
        == f"The language model {MODEL} is rate limited: try again in a moment."
    )


def test_provider_errors_are_named_for_what_to_do():
    class AuthenticationError(Exception):
        pass

    class APIConnectionError(Exception):
        pass

    auth = model_failure(MODEL, AuthenticationError("Incorrect API key"))
    network = model_failure(MODEL, APIConnectionError("Name or service not known\nmore"))
    other = model_failure(MODEL, ValueError(""))

    assert "API key in the Jupyter AI settings" in auth.message
    assert (
        network.message
        == f"The language model {MODEL} could not be reached: Name or service not known"
    )
    assert other.message == f"The language model {MODEL} failed: ValueError"


async def test_a_stalled_provider_becomes_a_clear_error_not_a_hang(monkeypatch):
    import litellm

    async def stalls_after_one_piece(**kwargs: Any) -> Any:
        assert kwargs["timeout"] == 0.2  # the provider call itself is bounded too

        async def pieces() -> Any:
            yield litellm.ModelResponseStream(choices=[{"delta": {"content": "Here"}}])
            await asyncio.sleep(30)

        return pieces()

    # The provider is the one stand-in: it answers once, then goes silent.
    monkeypatch.setattr(litellm, "acompletion", stalls_after_one_piece)
    model = LiteLLMModel(MODEL, {}, timeout=0.2)
    received: list[str] = []

    async def read() -> None:
        async for piece in model.stream(MESSAGES):
            received.append(piece)

    with pytest.raises(ModelFailed, match=r"did not answer within 0\.2 s"):
        await read()

    assert received == ["Here"]
