# prints: started
# Logging to the console and to a file in the working directory.
import logging

logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")
handler = logging.FileHandler("run.log")
logging.getLogger().addHandler(handler)
logging.info("started")
handler.flush()
with open("run.log") as log:
    print(log.read().strip())
