# expect: blocked SF102 eval of user input
def calculator():
    while True:
        line = input("> ")
        if line == "quit":
            break
        print(eval(line))


calculator()
