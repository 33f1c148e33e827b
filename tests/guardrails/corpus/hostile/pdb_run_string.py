# expect: blocked SF102 pdb.run / pdb.runeval exec a string
import pdb

pdb.run("import socket")
pdb.runeval("__import__('os').system('id')")
