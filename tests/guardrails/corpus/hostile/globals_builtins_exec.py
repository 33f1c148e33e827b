# expect: blocked SF102 globals()["__builtins__"] exec
payload = "import os; os.system('id')"
b = globals()["__builtins__"]
getattr(b, "exec")(payload)
