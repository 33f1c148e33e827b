# expect: ok  (configuration from the environment)
import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Settings:
    api_url: str
    api_key: str
    batch_size: int
    debug: bool


settings = Settings(
    api_url=os.environ.get("API_URL", "https://api.example.com"),
    api_key=os.getenv("API_KEY", ""),
    batch_size=int(os.environ.get("BATCH_SIZE", "100")),
    debug=os.environ.get("DEBUG", "0") == "1",
)
print(settings.api_url, settings.batch_size)
