# expect: ok  (eval, exec and compile as methods of other objects)
import sqlite3


class Rules:
    def compile(self, text: str) -> list[str]:
        return text.split(";")

    def eval(self, rules: list[str]) -> int:
        return len(rules)


rules = Rules()
print(rules.eval(rules.compile("a;b;c")))
cursor = sqlite3.connect("app.db").cursor()
cursor.execute("SELECT 1")
