# expect: blocked SF103 os.__dict__ used at all
import os


def pick(table, key):
    return table[key]


pick(os.__dict__, "sys" + input())("id")
