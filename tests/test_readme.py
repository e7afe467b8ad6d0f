"""The README's officer workflow, run command by command: every output it shows must be true.

Each ```console block's ``$ subsidies …`` lines run in order on one fresh ledger, in a
folder holding a copy of ``examples/``, in the officer's default language (Chinese: no
``SUBSIDIES_LANG`` nor locale set); where the README shows output under a command, the
command must print exactly that, once the run's volatile parts (the run's folder, times,
SHA-256 hashes) are put in a stable form on both sides (:func:`normalised`). A command
shown without output must succeed unless the README shows it failing (a line starting
with ``错误：``). The same walk in English (``SUBSIDIES_LANG=en``) takes the same steps
with the same outcomes, in English.
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


LANGUAGE_VARIABLES = ("SUBSIDIES_LANG", "LC_ALL", "LC_MESSAGES", "LANG")
VOLATILE = (
    (re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2})?Z?"), "<时间>"),
    (re.compile(r"\b[0-9a-f]{64}\b"), "<SHA-256>"),
    (re.compile(r"\b(?:hash|sha256) [0-9a-f]{12}\b"), "<哈希>"),
)
REFUSED = "错误："
SAID_IN_CHINESE = ("login", "user")  # the sign-in messages are Chinese in either language


def normalised(lines: list[str], folder: Path) -> list[str]:
    """``lines`` without what changes from run to run: the run's folder, times, hashes."""
    out = []
    for line in lines:
        line = line.replace(f"{folder}/", "").replace(str(folder), ".")
        for pattern, stable in VOLATILE:
            line = pattern.sub(stable, line)
        out.append(line)
    return out


def walk(folder: Path, monkeypatch: pytest.MonkeyPatch, language: str | None):
    """Run every README command in ``folder``; yield (argv, README's lines, result)."""
    shutil.copytree(ROOT / "examples", folder / "examples")
    monkeypatch.chdir(folder)
    monkeypatch.setenv("SUBSIDIES_DB", f"sqlite:///{folder / 'subsidies.db'}")
    for variable in LANGUAGE_VARIABLES:
        monkeypatch.delenv(variable, raising=False)
    if language:
        monkeypatch.setenv("SUBSIDIES_LANG", language)
    steps = console_steps(README.read_text(encoding="utf-8"))
    assert len(steps) >= 15
    runner = CliRunner()
    for argv, expected in steps:
        yield argv, expected, runner.invoke(main, argv, catch_exceptions=False)


def _refused(expected: list[str]) -> bool:
    return bool(expected) and expected[0].startswith(REFUSED)


def test_readme_workflow_runs_as_written_in_chinese(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown = 0
    for argv, expected, result in walk(tmp_path, monkeypatch, None):
        command = "subsidies " + " ".join(argv)
        if _refused(expected):
            assert result.exit_code != 0, command
        else:
            assert result.exit_code == 0, f"{command}\n{result.output}"
        if expected:
            printed = result.output.rstrip("\n").splitlines()
            assert normalised(printed, tmp_path) == normalised(expected, tmp_path), command
            shown += 1
    assert shown >= 15  # the README shows what most steps print
    for written in ("results.csv", "notice.pdf", "payments.csv", "recon.xlsx", "reissue.csv"):
        assert (tmp_path / written).stat().st_size > 0, written
    for written in ("execution.pdf", "register.xlsx", "whatif.xlsx"):
        assert (tmp_path / written).stat().st_size > 0, written


def test_readme_workflow_in_english_takes_the_same_steps(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With ``SUBSIDIES_LANG=en`` every step succeeds or is refused as in Chinese, and what
    the README shows in Chinese is printed in English (its own words, not the README's)."""
    for argv, expected, result in walk(tmp_path, monkeypatch, "en"):
        command = "subsidies " + " ".join(argv)
        assert (result.exit_code != 0) == _refused(expected), f"{command}\n{result.output}"
        if _refused(expected):
            assert result.output.startswith("Error: "), command
        elif expected and argv[0] not in SAID_IN_CHINESE:
            assert result.output.rstrip("\n").splitlines() != expected, command
