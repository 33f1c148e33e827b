"""Inputs that once made a redaction pattern backtrack, or were shaped against its readers.

Each is ``prefix + unit * count + suffix``, so the unit tests run them at their size and the
redaction benchmark grows them to show the time stays linear (cubic time for
``"x:" + spaces + "y"`` was minutes at 5,000 spaces; a run of spaces was quadratic).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Pathological:
    prefix: str
    unit: str
    count: int
    suffix: str = ""

    def text(self, scale: int = 1) -> str:
        return self.prefix + self.unit * (self.count * scale) + self.suffix


INPUTS = [
    Pathological("", " ", 40_000, "x"),
    Pathological("", "\t", 40_000, "a = 1"),
    Pathological("x:", " ", 40_000, "y"),
    Pathological("x: a", " ", 40_000, "y"),
    Pathological("x:", " a", 20_000, " " * 1000),
    Pathological("a, b", " ", 40_000, "x"),
    Pathological("", "a, b = (", 5_000),
    Pathological("", "a,b=f(x,y=", 4_000),
    Pathological("", "a, b = '", 5_000),
    Pathological('a,b=x,"\\', '\\"a,b=x,', 4_000),
    Pathological('a, b = """', "a, b = '''", 4_000),
    Pathological("a,b=", ",", 40_000),
    Pathological("a,b=", "c,d=", 10_000),
    Pathological("", "a,b=x,'\n", 5_000),
    Pathological("password: ", "[", 40_000),
    Pathological("«redacted-", "1", 40_000),
    # ... and against the lookups, comparisons, connection strings and command lines
    Pathological("", '" == token', 5_000),
    Pathological('"', '\\"', 20_000, " == token"),
    Pathological('"\\', '\\"a,b=x,', 4_000, " == token"),
    Pathological("", 'x == "\\', 8_000),
    Pathological("", 'get("token", "\\', 5_000),
    Pathological("os.getenv(\"TOKEN\", '''", 'os.getenv("TOKEN", """', 4_000),
    Pathological("", " a=", 13_000),
    Pathological("password=", "a=", 20_000),
    Pathological(" token=a", " ", 40_000),
    Pathological("password ==", " ", 40_000),
    Pathological("", "curl -u a", 6_000),
    Pathological("curl ", "\\\n", 20_000),
    Pathological("sshpass -p", " ", 40_000),
    Pathological("", 'mysql -p"', 6_000),
    Pathological("", " -o a=b,", 5_000),
    Pathological(' --token"', " ", 40_000, ","),
    # long texts full of near-misses
    Pathological("", 'value = "' + "a" * 30 + '"\n', 1500, 'password = "x' + "b" * 5000),
    Pathological("", "a, ", 13_000),
    Pathological("a, b = ", '"x", ', 8_000),
    Pathological("password = (", '"x"\n', 8_000),
    Pathological("", "?token=", 5_000),
    Pathological("", "A_PASSWORD=x ", 3_000),
]
