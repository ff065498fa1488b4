"""Reading a PDF's text with poppler's `pdftotext`, as a person reading it would."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

PDFTOTEXT = "/usr/bin/pdftotext"


def pdf_pages(pdf: bytes) -> list[str]:
    """The text of each page (pdftotext separates pages with a form feed)."""
    binary = PDFTOTEXT if os.path.exists(PDFTOTEXT) else shutil.which("pdftotext")
    if binary is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true: pdftotext (poppler-utils) is required to read the report's PDF")
        pytest.skip("pdftotext (poppler-utils) is not installed")
    result = subprocess.run([binary, "-layout", "-", "-"], input=pdf, capture_output=True, check=True)
    pages = result.stdout.decode("utf-8").split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def pdf_text(pdf: bytes) -> str:
    return "\n".join(pdf_pages(pdf))
