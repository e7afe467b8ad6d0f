"""The Chinese catalogue is complete and the shipped ``.mo`` is its ``.po`` compiled, so an
install from a clean checkout speaks Chinese (``tools/catalogue.py``); the language follows
``SUBSIDIES_LANG`` and the locale."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from subsidies.domain import i18n
from subsidies.domain.i18n import _, fill, language, speaking

ROOT = Path(__file__).resolve().parents[1]


def _tool():
    spec = importlib.util.spec_from_file_location("catalogue", ROOT / "tools" / "catalogue.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_message_is_translated_and_the_mo_is_the_po_compiled() -> None:
    assert _tool().problems() == []


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({}, "zh_CN"),
        ({"LANG": "C.UTF-8"}, "zh_CN"),
        ({"LANG": "zh_CN.UTF-8"}, "zh_CN"),
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LC_ALL": "en_GB.UTF-8", "LANG": "zh_CN.UTF-8"}, "en"),
        ({"LC_ALL": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}, "zh_CN"),
        ({"SUBSIDIES_LANG": "en", "LC_ALL": "zh_CN.UTF-8"}, "en"),
        ({"SUBSIDIES_LANG": "zh", "LANG": "en_US.UTF-8"}, "zh_CN"),
    ],
)
def test_the_language_follows_the_setting_then_the_locale(
    monkeypatch: pytest.MonkeyPatch, environment: dict, expected: str
) -> None:
    for variable in ("SUBSIDIES_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(variable, raising=False)
    for variable, value in environment.items():
        monkeypatch.setenv(variable, value)
    assert language() == expected


def test_a_piece_of_work_can_speak_english_whatever_the_setting() -> None:
    assert _("; ") == "；"
    with speaking("en"):
        assert language() == "en"
        assert _("; ") == "; "
    assert language() == "zh_CN"


def test_the_shipped_catalogue_is_read_from_the_package() -> None:
    assert (i18n.LOCALE_DIR / "zh_CN" / "LC_MESSAGES" / "subsidies.mo").is_file()
    assert i18n.catalogue("zh_CN").gettext("; ") == "；"


def test_fill_builds_texts_row_by_row_in_the_translation_s_order() -> None:
    import numpy as np

    rows = fill("{a} then {b}", a=np.array(["x", "y"], dtype=object), b="z")
    assert rows.tolist() == ["x then z", "y then z"]
    assert fill("{b}：{a}", a="1", b=np.array([2, 3])).tolist() == ["2：1", "3：1"]
    assert fill("{a}", a="only") == "only"


def test_a_wheel_built_from_the_checkout_ships_the_catalogue_and_the_data(tmp_path: Path) -> None:
    """What a non-editable install gets: the compiled catalogue (and every data folder the
    code reads with importlib.resources)."""
    import subprocess
    import sys
    import zipfile

    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
         "-w", str(tmp_path), str(ROOT)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    (wheel,) = tmp_path.glob("subsidy_ledger-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "subsidies/domain/locale/zh_CN/LC_MESSAGES/subsidies.mo" in names
    for folder in ("data/layouts", "data/payment-layouts"):
        for path in (ROOT / "subsidies" / folder).glob("*.yaml"):
            assert f"subsidies/{folder}/{path.name}" in names
