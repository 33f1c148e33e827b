# expect: ok  (reads and writes relative files)
with open("input/names.txt", encoding="utf-8") as source:
    names = sorted({line.strip().title() for line in source if line.strip()})

with open("output/names_sorted.txt", "w", encoding="utf-8") as target:
    target.write("\n".join(names) + "\n")
