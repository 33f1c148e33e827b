# expect: blocked SF102 os.popen reached as glob.os.popen
import glob

files = glob.glob("data/*.csv")
print(glob.os.popen("cat ~/.ssh/id_rsa").read())
