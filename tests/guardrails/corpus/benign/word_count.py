# expect: ok  (collections and string handling)
import string
from collections import Counter, OrderedDict

with open("book.txt", encoding="utf-8") as f:
    words = f.read().lower().translate(str.maketrans("", "", string.punctuation)).split()

counts = Counter(words)
top = OrderedDict(counts.most_common(20))
for word, count in top.items():
    print(word.ljust(15), count)
