# expect: ok  (compile here is re.compile)
from re import IGNORECASE, compile

EMAIL = compile(r"[\w.+-]+@[\w-]+\.[\w.]+", IGNORECASE)
with open("contacts.txt") as f:
    print(sorted(set(EMAIL.findall(f.read()))))
