# expect: blocked SF102 a reversed attribute name
import os

getattr(os, "metsys"[::-1])("id")
