# expect: blocked SF103 vars(os) copied, then indexed where the copy hides where it came from
import os

namespace = dict(vars(os))
action = input("action: ")
namespace[action]("id")
