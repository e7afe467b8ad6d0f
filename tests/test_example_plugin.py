"""The EXAMPLE plugin in ``examples/plugin`` (a made-up program, not a real policy).

Two kinds of test:

- Always: the plugin's own tests (``examples/plugin/tests/test_plugin.py``), collected here
  so the main suite notices when a change to ``calculators`` breaks the documented plugin
  API. They import the plugin from ``examples/plugin`` on ``sys.path`` and install nothing.
- Only with ``SUBSIDIES_TEST_PLUGIN_INSTALL=1``: ``pip install --no-deps
  --no-build-isolation -e examples/plugin`` into the running venv, then the ``subsidies``
  command (in a fresh process, which reads the entry points anew) lists the program and
  decides a claims file with it. The plugin is uninstalled afterwards unless it was
  installed before the test. While it is installed, any other test run in the same venv
  sees one more program, which is why this is opt-in.
"""

from __future__ import annotations

import csv
import importlib
import importlib.metadata
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PLUGIN = ROOT / "examples" / "plugin"
DISTRIBUTION = "subsidy-ledger-example-plugin"
PROGRAM = "example.training_allowance"


def _plugin_tests():
    spec = importlib.util.spec_from_file_location(
        "example_plugin_tests", PLUGIN / "tests" / "test_plugin.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# The plugin's own tests, run as part of this module (fast: nothing is installed).
globals().update(
    {
        f"test_plugin_{name[5:]}": test
        for name, test in vars(_plugin_tests()).items()
        if name.startswith("test_")
    }
)


# -------------------------------------------------------------------- installed for real

INSTALL = os.environ.get("SUBSIDIES_TEST_PLUGIN_INSTALL") == "1"
needs_install = pytest.mark.skipif(
    not INSTALL,
    reason=(
        "set SUBSIDIES_TEST_PLUGIN_INSTALL=1 to pip-install examples/plugin into this venv "
        "(editable, --no-deps) and run the subsidies command with it; off by default because "
        "it changes the venv other test runs share"
    ),
)


def _installed() -> bool:
    try:
        importlib.metadata.distribution(DISTRIBUTION)
    except importlib.metadata.PackageNotFoundError:
        return False
    return True


def _pip(*args: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "pip", "--disable-pip-version-check", *args],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, f"pip {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"


def _cannot_build_editable() -> str | None:
    """Why ``--no-build-isolation`` cannot build the plugin here, or None.

    Without build isolation the venv's own setuptools builds the editable wheel; before
    setuptools 70.1 its ``bdist_wheel`` command comes from the ``wheel`` package.
    """
    try:
        from setuptools.command.bdist_wheel import bdist_wheel  # noqa: F401  (setuptools >= 70.1)
    except ImportError:
        try:
            import wheel  # noqa: F401
        except ImportError:
            import setuptools

            return (
                f"setuptools {setuptools.__version__} in this venv needs the `wheel` package to "
                'build with --no-build-isolation (pip would fail with "invalid command '
                "'bdist_wheel'\"): `pip install wheel`, or setuptools >= 70.1"
            )
    return None


@pytest.fixture(scope="module")
def installed_plugin():
    already = _installed()
    if not already:
        problem = _cannot_build_editable()
        if problem:
            pytest.fail(f"SUBSIDIES_TEST_PLUGIN_INSTALL=1 but {problem}")
        _pip("install", "--no-deps", "--no-build-isolation", "-e", str(PLUGIN))
    yield
    if not already:
        _pip("uninstall", "-y", DISTRIBUTION)


def subsidies(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """The ``subsidies`` command in a fresh interpreter (entry points are read at start)."""
    return subprocess.run(
        [sys.executable, "-c", "from subsidies.cli import main; main()", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
    )


@needs_install
def test_installed_plugin_is_listed(installed_plugin, tmp_path):
    done = subsidies("programs", "--as-of", "2025-06-30", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert f"{PROGRAM}  示例 职业技能培训生活费补贴（EXAMPLE，非真实政策）" in done.stdout
    assert "每人每天生活费补贴标准 60.00 元" in done.stdout  # the value in force on --as-of
    shown = subsidies("show", PROGRAM, cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    assert "自 2024-01-01 起：50.00 元" in shown.stdout
    assert "自 2025-01-01 起：60.00 元" in shown.stdout


@needs_install
def test_installed_plugin_decides_a_claims_file(installed_plugin, tmp_path):
    claims = tmp_path / "claims.csv"
    claims.write_text(
        "申请编号,学员姓名,身份证号,人员类别,培训项目,开班日期,结业日期,实际培训天数,取得合格证书\n"
        "P1,杨秀芬,522622199001010012,脱贫劳动力,中式烹调师,2024-11-04,2024-11-15,10,是\n"
        "P2,吴志强,522622198511110027,就业困难人员,育婴员,2025-03-03,2025-04-11,30,是\n"
        "P3,龙美玲,522622199202020049,其他,中式面点师,2025-04-07,2025-04-18,10,是\n"
        "P4,杨秀芬,522622199001010012,脱贫劳动力,育婴员,2025-05-06,2025-05-16,9,是\n"
        "P5,张海燕,522622199506060066,脱贫劳动力,家政服务员,2025-06-02,2025-06-06,12,是\n",
        encoding="utf-8",
    )
    done = subsidies("calc", PROGRAM, str(claims), "-o", "results.csv", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert f"{PROGRAM}：已审核 {claims} 中的 5 笔申报" in done.stdout
    with (tmp_path / "results.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    # the officer's own headers come back, with the result columns added
    assert [(r["申请编号"], r["status"], r["金额（元）"]) for r in rows] == [
        ("P1", "eligible", "500.00"),
        ("P2", "eligible", "1500.00"),
        ("P3", "ineligible", "0.00"),
        ("P4", "duplicate", "0.00"),
        ("P5", "invalid", "0.00"),
    ]
    assert rows[0]["政策依据"] == "示例人社发〔2024〕1号（EXAMPLE） 第五条"
