# expect: warn B310  (a websocket client kept in .socket; an HTTP error's .code; numpy's .ctypes)
import urllib.error
import urllib.request

import numpy as np
import websocket


class Feed:
    def __init__(self, url: str) -> None:
        self.socket = websocket.create_connection(url, timeout=10)

    def send(self, message: str) -> None:
        self.socket.send(message)

    def close(self) -> None:
        self.socket.close()


try:
    urllib.request.urlopen("https://api.example.com/health", timeout=5)
except urllib.error.HTTPError as error:
    print("status", error.code)

buffer = np.zeros(16)
print(hex(buffer.ctypes.data), buffer.ctypes.shape)
