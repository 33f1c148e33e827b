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


def test_a_chat_question_without_files_is_the_message_alone():
    user = prompts.chat("How do I greet?")[-1]["content"]

    assert user.endswith("\n\nHow do I greet?")
    assert "Attached" not in user


def test_attached_files_go_into_the_chat_prompt_fenced_with_their_names():
    line = prompts.interpreter_line("py311", "CPython", "3.11.2")
    files = [
        prompts.Attached(
            "scripts/etl/job.py",
            "raise SystemExit(1)\n",
            script="job",
            interpreter=line,
            failure="timed_out",
            output_tail="Traceback ...",
        ),
        prompts.Attached("data/sample.csv", "id,name\n1,ada\n"),
        prompts.Attached("notes.md", "Run it:\n```\npython job.py\n```\n"),
    ]

    user = prompts.chat("Why does this fail?", files)[-1]["content"]

    assert "Attached ScriptForge script job (scripts/etl/job.py).\n" in user
    assert f"{line}\n```python\nraise SystemExit(1)\n```\n" in user
    assert "Its latest run timed out. " in user
    assert "```text\nTraceback ...\n```" in user
    assert "Attached file data/sample.csv:\n```\nid,name\n1,ada\n```" in user
    # A fence inside a file does not close the file's block.
    assert "Attached file notes.md:\n````\nRun it:\n```\npython job.py\n```\n````" in user
    assert "give the complete changed script" in user
    assert user.endswith("\n\nQuestion:\nWhy does this fail?")


def test_an_attached_script_without_a_failed_run_has_no_output_block():
    files = [prompts.Attached("job.py", "print(1)\n", script="job", interpreter="Target: x.")]

    user = prompts.chat("Explain", files)[-1]["content"]

    assert "latest run" not in user
    assert "```text" not in user


def test_a_block_is_the_whole_file_when_it_keeps_most_of_the_script():
    script = "import sys\n\n\ndef main():\n    print('hi')\n\n\nmain()\n"
    changed = script.replace("'hi'", "'hello'")
    snippet = "def main():\n    print('hello')\n"

    assert prompts.whole_file([snippet, changed], script) == changed
    assert prompts.whole_file([snippet], script) is None
    assert prompts.whole_file([changed], "") is None
