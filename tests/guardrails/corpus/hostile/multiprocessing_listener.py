# expect: blocked SF101 multiprocessing.connection listener
from multiprocessing.connection import Listener

with Listener(("0.0.0.0", 6000), authkey=b"secret") as listener:
    with listener.accept() as conn:
        conn.recv()
