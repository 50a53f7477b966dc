"""README.md stays true: its two commands are the ones CI runs, and its REPL example runs."""

import doctest
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _bash_blocks() -> list[str]:
    return [b.strip() for b in re.findall(r"```bash\n(.*?)```", README, re.DOTALL)]


def test_readme_gives_exactly_two_commands_and_ci_runs_them_verbatim():
    blocks = _bash_blocks()
    assert len(blocks) == 2, blocks
    main_job, tests = blocks
    assert "\n" not in main_job
    assert "\n" not in tests
    assert main_job.startswith("pip install -e . && gradtheory ")
    assert "pytest" in tests
    ci_lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert main_job in ci_lines
    assert tests in ci_lines


def test_readme_repl_example_runs(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the example writes w.npz into the working directory
    block = re.search(r"```python\n(.*?)```", README, re.DOTALL)
    assert block is not None
    parser = doctest.DocTestParser()
    test = parser.get_doctest(block.group(1), {}, "README.md", "README.md", 0)
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    runner.run(test)
    assert runner.failures == 0
    assert runner.tries > 3
