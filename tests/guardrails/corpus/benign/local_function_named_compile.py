# expect: ok  (a function of its own named compile)
def compile(template: str, values: dict[str, str]) -> str:
    for key, value in values.items():
        template = template.replace("{{" + key + "}}", value)
    return template


print(compile("Hello {{name}}", {"name": "team"}))
