# expect: blocked SF102 os.system as a class attribute
import os


class Deployer:
    execute = os.system

    def deploy(self):
        self.execute("scp build.tar prod:/srv")


Deployer().deploy()
