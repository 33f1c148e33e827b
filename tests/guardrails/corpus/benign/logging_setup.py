# expect: ok  (logging configuration, getattr on logging by level name)
import logging
import os

level_name = os.environ.get("LOG_LEVEL", "info").upper()
logging.basicConfig(
    level=getattr(logging, level_name, logging.INFO),
    format="%(asctime)s %(levelname)s %(name)s: %(message)s",
)
log = logging.getLogger("etl")
log.info("starting")
log.debug("details: %s", {"rows": 10})
