# expect: ok  (os.path, logging, shutil, tempfile and platform used as documented)
import logging
import os
import platform
import shutil
import tempfile

log = logging.getLogger(__name__)
workdir = tempfile.mkdtemp(prefix="report-")
target = os.path.join(workdir, "summary.csv")
shutil.copy("summary.csv", target)
log.info("copied to %s on %s %s", target, platform.system(), platform.release())
print(os.path.getsize(target))
