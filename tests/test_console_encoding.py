"""A Chinese Windows console is GBK: every command that prints person data must still run
when a name holds a character GBK lacks (䶮 U+4DAE) and a message a "−" (U+2212).

Each command runs in its own Python process with ``PYTHONIOENCODING=gbk``, as the output
of a legacy console or a file redirected from it; it must succeed, and what it printed must
decode as GBK.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUN = "import sys; from subsidies.cli import main; main(sys.argv[1:])"


def subsidies(folder: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONIOENCODING": "gbk", "SUBSIDIES_DB": str(folder / "ledger.db")}
    return subprocess.run(
        [sys.executable, "-c", RUN, *args], cwd=folder, env=env, capture_output=True, timeout=120
    )


def test_commands_printing_person_data_run_on_a_gbk_console(tmp_path: Path) -> None:
    claims = (ROOT / "examples" / "qinghai.hiring_bonus.csv").read_text(encoding="utf-8-sig")
    (tmp_path / "claims.csv").write_text(
        claims.replace("马丽", "马䶮").replace("青海拉面人", "青海䶮记拉面"), encoding="utf-8-sig"
    )
    (tmp_path / "pw").write_text("测试口令-correct-horse-42\n", encoding="utf-8")
    (tmp_path / "new").write_text("新的口令-staple-battery-7\n", encoding="utf-8")
    login = ("login", "--password-file", "pw")
    steps = [
        ("init", "--admin", "wu", "--name", "吴敏", "--password-file", "pw"),
        (*login, "wu"),
        ("fund", "add", "QH2024", "2024 中央就业补助资金 青海"),
        ("fund", "appropriate", "QH2024", "500000", "--doc", "青财社指〔2024〕12号", "--on", "2024-07-01"),
        *(("user", "add", user, "--name", name, "--role", role, "--password-file", "pw")
          for user, name, role in (("zhang", "张䶮", "clerk"), ("li", "李审核", "checker"),
                                   ("wang", "王出纳", "cashier,auditor"))),
        ("user", "list"),
        (*login, "zhang", "--new-password-file", "new"),
        ("batch", "submit", "qinghai.hiring_bonus", "claims.csv", "--fund", "QH2024",
         "--as-of", "2024-12-02", "--notice-days", "5"),
        ("batch", "show", "B20241202-00001", "--claims"),
        ("batch", "notice", "B20241202-00001", "-o", "notice.pdf", "--on", "2024-12-02"),
        (*login, "li", "--new-password-file", "new"),
        ("batch", "approve", "B20241202-00001", "--on", "2024-12-10"),
        (*login, "wang", "--new-password-file", "new"),
        ("whoami",),
        ("disburse", "B20241202-00001", "-o", "pay.csv", "--on", "2024-12-11"),
        ("payment", "list", "B20241202-00001"),
        ("explain", "QH-HB-001"),
        ("audit",),
    ]  # fmt: skip
    for step in steps:
        done = subsidies(tmp_path, *step)
        shown = " ".join(step)
        assert b"UnicodeEncodeError" not in done.stderr, shown
        assert done.returncode == 0, f"{shown}\n{done.stderr.decode('gbk', errors='replace')}"
        done.stdout.decode("gbk")  # what the console receives is GBK throughout
    listed = subsidies(tmp_path, "payment", "list", "B20241202-00001").stdout.decode("gbk")
    assert "青海?记拉面" in listed, listed  # the payee, its rare character replaced
