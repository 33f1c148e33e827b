# expect: blocked SF102 pkgutil.resolve_name imports and returns os.system from a string
import pkgutil

run = pkgutil.resolve_name("os:system")
run("id")
