# expect: ok  (an argparse command line)
import argparse
import sys


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="Count lines in files.")
    parser.add_argument("files", nargs="+")
    parser.add_argument("--skip-blank", action="store_true")
    args = parser.parse_args(argv)
    for name in args.files:
        with open(name) as f:
            lines = [l for l in f if not (args.skip_blank and not l.strip())]
        print(f"{len(lines):8d} {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
