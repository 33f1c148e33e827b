# expect: blocked SF101 SF102 pickle over a raw socket
import pickle
import socket

server = socket.socket()
server.bind(("0.0.0.0", 8765))
server.listen()
conn, _ = server.accept()
job = pickle.loads(conn.recv(65536))
