# expect: ok  (text formatting)
import textwrap

notes = open("notes.txt").read()
for paragraph in notes.split("\n\n"):
    print(textwrap.fill(paragraph, width=72, initial_indent="  "))
    print()
