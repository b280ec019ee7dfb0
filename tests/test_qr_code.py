"""The fast QR encoder scores every mask as reportlab does and makes reportlab's modules."""

from __future__ import annotations

import random

import pytest
from reportlab.graphics.barcode.qrencoder import QRCode, QRErrorCorrectLevel, QRUtil

from builder.flowables import qr_modules
from builder.qr_code import FastQRCode, data_codewords, lost_point, mask_scores

LEVELS = {"L": QRErrorCorrectLevel.L, "M": QRErrorCorrectLevel.M,
          "Q": QRErrorCorrectLevel.Q, "H": QRErrorCorrectLevel.H}


def _random_text(rng: random.Random, length: int) -> str:
    alphabet = "abcxyzABCXYZ0123456789 -./:?=&%_~#éüßçøΩжπ中文漢字かなカナ한국어👍"
    return "".join(rng.choice(alphabet) for _ in range(length))


def _inputs() -> list[str]:
    # Booking addresses of every length from a few characters to past version 10 at level M,
    # and the other encodings reportlab picks: digits, upper-case alphanumerics, kanji.
    base = "https://booking.example-clinic.org/appointments/new?clinic=north&ref="
    urls = [(base + "x" * 400)[:n] for n in range(1, 300, 11)]
    rng = random.Random(20261123)
    return [
        *urls,
        "https://b.example.org/a",
        "https://termine.praxis-müller.de/buchen?tag=montag&ärztin=dr-öz",
        "https://예약.example.kr/병원?id=42",
        "Rendez-vous : appelez le 01 23 45 67 89 — merci !",
        "0123456789" * 7,
        "HTTPS://BOOK.EXAMPLE.ORG/APPT/12345",
        "漢字かなカナ",
        "👍" * 30,
        "",
        *(_random_text(rng, rng.randint(1, 220)) for _ in range(24)),
    ]


INPUTS = _inputs()


def _reportlab(data: str, level: int = QRErrorCorrectLevel.M) -> QRCode:
    code = QRCode(None, level)
    code.addData(data)
    code.version = code.calculate_version()
    return code


def test_the_inputs_cover_versions_one_to_beyond_ten() -> None:
    versions = {_reportlab(data).version for data in INPUTS}
    assert set(range(1, 12)) <= versions
    assert sum(v >= 7 for v in versions) >= 4  # with the version information blocks


@pytest.mark.parametrize("data", INPUTS)
def test_every_mask_scores_as_reportlabs_lost_point(data: str) -> None:
    code = _reportlab(data)
    expected = []
    for pattern in range(8):
        code.makeImpl(True, pattern)
        expected.append(QRUtil.getLostPoint(code))
        assert lost_point(code.modules) == expected[-1]

    fast = FastQRCode(None, QRErrorCorrectLevel.M)
    fast.addData(data)
    fast.version = fast.calculate_version()
    assert mask_scores(fast) == expected


@pytest.mark.parametrize("data", INPUTS)
def test_the_modules_are_reportlabs(data: str) -> None:
    code = QRCode(None, QRErrorCorrectLevel.M)
    code.addData(data)
    code.make()
    fast = FastQRCode(None, QRErrorCorrectLevel.M)
    fast.addData(data)
    fast.make()
    assert fast.modules == code.modules
    assert qr_modules(data) == tuple(tuple(row) for row in code.modules)


@pytest.mark.parametrize("ref", [125, 203, 223])
def test_equal_best_scores_keep_reportlabs_choice(ref: int) -> None:
    data = f"https://booking.example-clinic.org/a?ref={ref}"
    code = _reportlab(data)
    scores = []
    for pattern in range(8):
        code.makeImpl(True, pattern)
        scores.append(QRUtil.getLostPoint(code))
    assert scores.count(min(scores)) > 1  # two masks tie for the lowest penalty
    code.make()
    fast = FastQRCode(None, QRErrorCorrectLevel.M)
    fast.addData(data)
    fast.make()
    assert fast.getBestMaskPattern() == scores.index(min(scores))
    assert fast.modules == code.modules

@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("data", INPUTS[::4])
def test_codewords_and_modules_at_every_error_correction_level(data: str, level: str) -> None:
    code = _reportlab(data, LEVELS[level])
    assert data_codewords(code.version, code.errorCorrectLevel, code.dataList) == \
        QRCode.createData(code.version, code.errorCorrectLevel, code.dataList)
    code.make()
    fast = FastQRCode(None, LEVELS[level])
    fast.addData(data)
    fast.make()
    assert fast.modules == code.modules


def _matrices() -> list[list[list[bool]]]:
    # Not QR codes: long runs, solid blocks, finder-like runs in rows and columns, every
    # dark share, so each penalty rule (and reportlab's quirks in it) is exercised hard.
    rng = random.Random(7)
    out = []
    for size in (21, 25, 33, 45, 57):
        out.append([[True] * size for _ in range(size)])
        out.append([[False] * size for _ in range(size)])
        out.append([[(r // 3 + c // 5) % 2 == 0 for c in range(size)] for r in range(size)])
        finder = [True, False, True, True, True, False, True, False, False, False, False]
        rows = [[finder[(c + r) % 11] for c in range(size)] for r in range(size)]
        out.append(rows)
        out.append([list(col) for col in zip(*rows, strict=True)])
        for share in (0.05, 0.3, 0.5, 0.7, 0.95):
            out.append([[rng.random() < share for _ in range(size)] for _ in range(size)])
    return out


@pytest.mark.parametrize("modules", _matrices())
def test_lost_point_of_any_matrix_is_reportlabs(modules: list[list[bool]]) -> None:
    code = QRCode(1, QRErrorCorrectLevel.M)
    code.modules = modules
    assert lost_point(modules) == QRUtil.getLostPoint(code)


def test_too_long_data_fails_as_in_reportlab() -> None:
    code = _reportlab("x" * 3000)
    with pytest.raises(Exception, match="code length overflow") as raised:
        data_codewords(code.version, code.errorCorrectLevel, code.dataList)
    with pytest.raises(Exception) as expected:
        QRCode.createData(code.version, code.errorCorrectLevel, code.dataList)
    assert str(raised.value) == str(expected.value)

