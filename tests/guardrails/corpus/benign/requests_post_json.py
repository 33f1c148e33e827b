# expect: ok  (posts a message to a webhook, token from the environment)
import os

import requests

WEBHOOK = os.environ.get("CHAT_WEBHOOK_URL", "https://chat.example/hooks/dev")
token = os.environ.get("CHAT_TOKEN", "")

payload = {"text": "Nightly build finished", "channel": "#builds"}
r = requests.post(
    WEBHOOK, json=payload, headers={"Authorization": f"Bearer {token}"}, timeout=15
)
r.raise_for_status()
