# expect: blocked SF102 __import__ with a joined name
mod = __import__("o" + "s")
getattr(mod, "".join(["sy", "st", "em"]))("id")
