# expect: blocked SF102 "from logging import os" is os
from logging import os as quiet

quiet.execv("/bin/sh", ["sh", "-c", "id"])
