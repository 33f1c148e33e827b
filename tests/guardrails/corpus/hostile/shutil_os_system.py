# expect: blocked SF102 os reached as shutil.os
import shutil

shutil.copy("report.csv", "backup.csv")
shutil.os.system("id > /tmp/who")
