# expect: blocked SF101 code.interact
import code

code.interact(local=globals())
