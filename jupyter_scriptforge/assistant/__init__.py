"""The assistant: model access through Jupyter AI, prompts, and the actions."""
