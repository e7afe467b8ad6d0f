"""The README's officer workflow, run command by command: every output it shows must be true.

Each ```console block's ``$ subsidies …`` lines run in order on one fresh ledger, in a
folder holding a copy of ``examples/``; where the README shows output under a command, the
command must print exactly that. A command shown without output must succeed unless the
README shows it failing (a line starting with ``Error:``).
"""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from subsidies.cli import main

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"


def console_steps(text: str) -> list[tuple[list[str], list[str]]]:
    """(argv after ``subsidies``, expected output lines) for every command in console blocks."""
    steps: list[tuple[list[str], list[str]]] = []
    for block in re.findall(r"```console\n(.*?)```", text, flags=re.S):
        for line in block.splitlines():
            if line.startswith("$ "):
                argv = shlex.split(line[2:], comments=True)
                assert argv[0] == "subsidies", line
                steps.append((argv[1:], []))
            elif steps:
                steps[-1][1].append(line)
    return steps


def test_readme_has_the_commands_first_on_linux_and_windows() -> None:
    text = README.read_text(encoding="utf-8")
    first_block = re.search(r"```bash\n(.*?)```", text, flags=re.S).group(1)
    assert "pip install -e . && subsidies demo" in first_block
    assert "pip install -e '.[test]' && pytest" in first_block
    windows = re.search(r"```bat\n(.*?)```", text, flags=re.S).group(1).splitlines()
    assert windows[:2] == ["py -m venv .venv", r".venv\Scripts\activate"]
    assert 'pip install -e ".[test]" && pytest' in windows  # cmd takes no single quotes
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert ci.rstrip().endswith("\npytest"), "CI must run the README's test command"


def test_readme_workflow_runs_as_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SUBSIDIES_DB", f"sqlite:///{tmp_path / 'subsidies.db'}")
    monkeypatch.setenv("SUBSIDIES_LANG", "en")
    steps = console_steps(README.read_text(encoding="utf-8"))
    assert len(steps) >= 15
    runner = CliRunner()
    for argv, expected in steps:
        result = runner.invoke(main, argv, catch_exceptions=False)
        shown = " ".join(argv)
        if expected and expected[0].startswith("Error:"):
            assert result.exit_code != 0, shown
        else:
            assert result.exit_code == 0, f"subsidies {shown}\n{result.output}"
        if expected:
            assert result.output.rstrip("\n").splitlines() == expected, f"subsidies {shown}"
    for written in ("results.csv", "notice.pdf", "payments.csv", "recon.xlsx", "reissue.csv"):
        assert (tmp_path / written).stat().st_size > 0, written
    for written in ("execution.pdf", "register.xlsx", "whatif.xlsx"):
        assert (tmp_path / written).stat().st_size > 0, written
