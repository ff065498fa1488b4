"""The three catalogues are complete and up to date: every string the code marks for translation
is in nl, fr and en, translated, and none is fuzzy."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = ["nl", "fr", "en"]


def _msgids(po_file: Path) -> set[str]:
    text = po_file.read_text(encoding="utf-8")
    ids = set()
    for block in text.split("\n\n"):
        if "#~" in block:  # obsolete entries
            continue
        match = re.search(r'^msgid ((?:".*"\n?)+)', block, flags=re.M)
        if match:
            value = "".join(re.findall(r'"(.*)"', match.group(1)))
            if value:
                ids.add(value)
    return ids


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_has_no_untranslated_or_fuzzy_entry(language):
    po_file = ROOT / "locale" / language / "LC_MESSAGES" / "django.po"
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po_file)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, result.stderr


def test_catalogues_contain_every_marked_string(tmp_path):
    """Extract the strings again from a copy of the code and compare with the committed catalogue."""
    copy = tmp_path / "village"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(
            ".venv", ".git", "node_modules", "*.pyc", "__pycache__", "staticfiles", "*.sqlite3"
        ),
    )
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "nl", "--ignore=tests", "-v0"],
        cwd=copy,
        check=True,
        capture_output=True,
    )
    extracted = _msgids(copy / "locale" / "nl" / "LC_MESSAGES" / "django.po")
    for language in LANGUAGES:
        committed = _msgids(ROOT / "locale" / language / "LC_MESSAGES" / "django.po")
        assert extracted - committed == set(), f"missing from {language}: run makemessages and translate"
