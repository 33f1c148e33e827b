# expect: blocked SF102 from os import system as run
from os import system as run

for host in ["db1", "db2"]:
    run(f"ssh {host} 'rm -rf /var/backups/*'")
