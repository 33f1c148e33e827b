# expect: blocked SF102 loop.create_server exposes the machine
import asyncio


class Echo(asyncio.Protocol):
    def data_received(self, data):
        print(data)


async def main(loop):
    server = await loop.create_server(Echo, "0.0.0.0", 4444)
    await server.serve_forever()
