# expect: blocked SF102 __builtins__.__dict__["eval"]
expression = input("formula: ")
calculate = __builtins__.__dict__["eval"]
print(calculate(expression))
