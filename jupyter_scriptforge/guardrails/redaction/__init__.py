"""Redaction: the secrets in a text that leaves the server (for a model, or the audit log)
replaced by placeholders. It finds well-known key and token formats wherever they appear, and
string values given to secret-looking names (``password = "..."``, ``api_key="..."``,
``{"token": "..."}``, ``user, password = get_user(), "..."``, ``password = (\n "..."\n)``),
secret parameters of URLs and connection strings (``?api_key=...&``, ``;AccountKey=...;``,
``"dbname=x password=... host=h"``, ``-o user=u,password=...``), shell environment prefixes
(``PGPASSWORD=... psql``), secret defaults of environment lookups
(``os.getenv("API_KEY", "...")``), strings compared with secret names
(``password == "..."``) and credentials on command lines (``curl -u user:...``,
``mysql -p...``, ``sshpass -p ...``, ``--password=...``), whose value becomes ``«redacted»``
while the name stays, so the model still understands the code. The result says which kinds
were redacted and how often, never what.

That is one-way (the audit log, ``redact``). A request to the model whose answer comes back
into the user's script uses a ``Redaction``: each secret becomes a numbered placeholder
(``«redacted-1»``, the same number for the same value in every part of the prompt), and
``restore`` puts the values back into the answer, so applying it keeps the real secrets.

One module per kind of secret — ``formats``, ``assignments``, ``comparisons``,
``connections``, ``commands`` — each a pass over the text (``scan.redact_with`` runs them in
order); ``secret_names`` says which names hold a secret, ``values`` which values are none.
"""

from .marks import REDACTED, Redacted
from .placeholders import Redaction, redact
from .secret_names import is_secret_name

__all__ = ["REDACTED", "Redacted", "Redaction", "is_secret_name", "redact"]
