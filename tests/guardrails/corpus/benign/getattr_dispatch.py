# expect: ok  (getattr dispatch on the script's own class)
import sys


class Commands:
    def cmd_hello(self, name: str) -> None:
        print(f"hello {name}")

    def cmd_bye(self, name: str) -> None:
        print(f"bye {name}")


def main() -> None:
    command, *args = sys.argv[1:] or ["hello", "world"]
    handler = getattr(Commands(), f"cmd_{command}", None)
    if handler is None:
        sys.exit(f"unknown command {command}")
    handler(*args)


main()
