"""Reading the script out of a model's answer, and what goes into the prompts."""

from jupyter_scriptforge.assistant import prompts


def test_the_python_block_is_the_script():
    answer = "Sure.\n```text\nnot this\n```\n```python\nprint(1)\n```\nDone."
    assert prompts.extract_code(answer) == "print(1)\n"


def test_else_the_first_plain_block_else_the_whole_answer():
    assert prompts.extract_code("```\nx = 1\n```") == "x = 1\n"
    assert prompts.extract_code("x = 2") == "x = 2\n"
    assert prompts.extract_code("") == ""


def test_an_answer_cut_off_inside_its_block_still_gives_the_code():
    assert prompts.extract_code("```py\nimport os\nprint(os.sep)") == "import os\nprint(os.sep)\n"


def test_every_python_or_plain_block_is_code_in_order():
    answer = (
        "First:\n```python\n\n    \nimport os\n\n```\n"
        "Its output:\n```text\nnot code\n```\n"
        "Then:\n```\n    x = 1\n```\n"
        "Nothing here:\n```py\n  \n```\n"
        "Last, cut off:\n```Python3\nprint(x)"
    )

    assert prompts.code_blocks(answer) == ["import os\n", "    x = 1\n", "print(x)\n"]
    assert prompts.code_blocks("No code at all.") == []


def test_code_prompts_ask_for_the_whole_file_and_name_the_interpreter():
    line = prompts.interpreter_line("py311", "CPython", "3.11.2")
    messages = prompts.fix("raise SystemExit(1)\n", "Traceback ...", "failed", "job", line)

    user = messages[-1]["content"]
    assert "Target interpreter: py311 (CPython 3.11.2)." in user
    assert "Traceback ..." in user
    assert "complete script in exactly one ```python fenced block" in user
