# expect: blocked SF100 Python 2 code that cannot be parsed (an exec statement)
payload = "import os; os.system('id')"
exec payload
