# expect: ok  (an INI file)
import configparser

config = configparser.ConfigParser()
config.read("settings.ini")
for section in config.sections():
    print(f"[{section}]")
    for key, value in config[section].items():
        print(f"  {key} = {value}")
