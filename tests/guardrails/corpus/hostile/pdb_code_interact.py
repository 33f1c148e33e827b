# expect: blocked SF101 code reached as pdb.code: an interactive console
import pdb

pdb.code.interact(local={})
