# expect: blocked SF102 object.__getattribute__(os, "system"): the owner is the first argument
import os

object.__getattribute__(os, "system")("id")
