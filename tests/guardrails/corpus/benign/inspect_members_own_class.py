# expect: ok  (inspect.getmembers and object.__getattribute__ on the script's own objects)
import inspect


class Settings:
    verbose = True
    retries = 3

    def __getattr__(self, name: str) -> object:
        return object.__getattribute__(self, name.lower())


public = {n: v for n, v in inspect.getmembers(Settings) if not n.startswith("_")}
print(public, Settings().RETRIES, super(Settings, Settings()).__getattribute__("verbose"))
