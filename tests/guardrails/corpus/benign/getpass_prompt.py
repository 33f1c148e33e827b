# expect: ok  (asks for a password without echo)
import getpass

import requests

user = input("user: ")
password = getpass.getpass("password: ")
r = requests.get("https://intranet.example/api/me", auth=(user, password), timeout=10)
print(r.status_code)
