# expect: ok  (asyncio with an HTTP client library)
import asyncio

import httpx


async def fetch_all(urls: list[str]) -> list[int]:
    async with httpx.AsyncClient(timeout=10) as client:
        responses = await asyncio.gather(*(client.get(u) for u in urls))
    return [r.status_code for r in responses]


print(asyncio.run(fetch_all(["https://example.com", "https://example.org"])))
