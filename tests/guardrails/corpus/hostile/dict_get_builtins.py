# expect: blocked SF102 __builtins__.__dict__.get("exec")
run = __builtins__.__dict__.get("exec")
run("print(1)")
