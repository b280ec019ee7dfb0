"""The check every PDF the suite writes goes through (conftest): it finds what is wrong, and it
runs after every test."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from click.testing import CliRunner
from reportlab.pdfgen.canvas import Canvas

from builder.cli import main

from .conftest import pdf_problems
from .hostile import hostile_project

ROOT = Path(__file__).resolve().parent.parent


def built_pdf(tmp_path: Path) -> Path:
    root = hostile_project(tmp_path / "proj")
    result = CliRunner().invoke(main, ["build", "--root", str(root), "-o", str(tmp_path / "out"),
                                       "-j", "1", "good", "-b", "good-brand"])
    assert result.exit_code == 0, result.output
    return tmp_path / "out/good-brand/en/good-leaflet-a4.pdf"


def test_a_built_pdf_passes(tmp_path: Path) -> None:
    assert pdf_problems(built_pdf(tmp_path)) == []


def test_a_truncated_pdf_fails(tmp_path: Path) -> None:
    data = built_pdf(tmp_path).read_bytes()
    cut = tmp_path / "cut.bin"
    cut.write_bytes(data[: len(data) // 2])
    assert pdf_problems(cut)


def test_a_damaged_stream_fails(tmp_path: Path) -> None:
    data = bytearray(built_pdf(tmp_path).read_bytes())
    start = data.index(b"stream\n", data.index(b"/FlateDecode")) + len(b"stream\n")
    data[start:start + 40] = b"\x00" * 40  # a compressed page stream no longer inflates
    broken = tmp_path / "broken.bin"
    broken.write_bytes(bytes(data))
    assert pdf_problems(broken)


def test_an_unembedded_font_fails(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    canvas = Canvas(buffer)  # reportlab's default: Helvetica, referenced, not embedded
    canvas.drawString(72, 72, "Hello")
    canvas.save()
    path = tmp_path / "helvetica.bin"
    path.write_bytes(buffer.getvalue())
    assert pdf_problems(path) == ["font Helvetica is not embedded"]


def test_the_check_runs_after_every_test(tmp_path: Path) -> None:
    """An inner pytest run with the suite's fixtures: a test that writes a broken PDF errors."""
    (tmp_path / "conftest.py").write_text(
        "from tests.conftest import _pdfs_written_are_valid, _session_pdfs_are_valid  # noqa\n")
    (tmp_path / "test_inner.py").write_text(textwrap.dedent("""\
        def test_writes_a_good_file(tmp_path):
            (tmp_path / "notes.txt").write_text("not a PDF, not checked")

        def test_writes_a_broken_pdf(tmp_path):
            (tmp_path / "out").mkdir()
            (tmp_path / "out" / "broken.pdf").write_bytes(b"%PDF-1.4\\n%%EOF\\n")
        """))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           "-p", "no:randomly", str(tmp_path)], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "2 passed, 1 error" in done.stdout  # (an error after a passing test), done.stdout
    assert "ERROR at teardown of test_writes_a_broken_pdf" in done.stdout, done.stdout
    assert "broken.pdf: cannot be read" in done.stdout, done.stdout
