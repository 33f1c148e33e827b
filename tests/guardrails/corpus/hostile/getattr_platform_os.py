# expect: blocked SF102 getattr(platform, "os").system: a constant name is an attribute
import platform

getattr(platform, "os").system("id")
