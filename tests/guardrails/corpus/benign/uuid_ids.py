# expect: ok  (uuid and secrets)
import json
import secrets
import uuid

records = [{"id": str(uuid.uuid4()), "invite": secrets.token_urlsafe(16)} for _ in range(3)]
print(json.dumps(records, indent=2))
