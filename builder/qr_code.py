"""reportlab's QR encoder with its two slow steps done quickly, the modules unchanged.

reportlab's ``QRCode`` is pure Python: to choose the mask it lays out the matrix eight times and
scores each with ``QRUtil.getLostPoint``, loops over every module, and it computes the
Reed-Solomon codewords by building polynomial objects. Together that is well over ten
milliseconds a code. Here each trial matrix is one integer (one bit a module), so a mask is an
XOR and every penalty rule is a handful of whole-matrix shifts and ANDs; the codewords come from
a table per generator. The scores equal reportlab's for every mask, quirks included, so the same
mask wins the same ties, and reportlab itself lays out the final matrix: the modules are
identical.
"""

from __future__ import annotations

import functools
import itertools
import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import zip_longest

from reportlab.graphics.barcode import qrencoder

# The "finder-like" run reportlab looks for: dark-light-dark-dark-dark-light-dark, then four
# light. Only this orientation, only along rows (see _Grid.lost_point), and never in a row's
# last eleven columns: reportlab's loop stops one window short of the row's end.
_FINDER_RUN = (True, False, True, True, True, False, True, False, False, False, False)


@dataclass(frozen=True)
class _Grid:
    """Bit masks for an n x n matrix packed row by row, ``stride`` bits a row.

    The stride is one more than n, so a row's last bit is always 0 and shifting by one or more
    columns never carries a module into the neighbouring row.
    """

    size: int
    stride: int
    cells: int  # every module
    row_pairs: int  # modules with a right neighbour
    column_pairs: int  # modules with a neighbour below
    finder_starts: int  # where reportlab compares a row with _FINDER_RUN

    @classmethod
    @functools.cache
    def of(cls, size: int) -> _Grid:
        stride = size + 1

        def columns(first: int, stop: int) -> int:
            row = ((1 << (stop - first)) - 1) << first if stop > first else 0
            return sum(row << (r * stride) for r in range(size))

        return cls(
            size=size,
            stride=stride,
            cells=columns(0, size),
            row_pairs=columns(0, size - 1),
            column_pairs=columns(0, size) & ((1 << ((size - 1) * stride)) - 1),
            finder_starts=columns(0, size - len(_FINDER_RUN)),
        )

    def pack(self, modules: Sequence[Sequence[object]]) -> int:
        """The matrix as one int: module (r, c) is bit r * stride + c."""
        pad = "0" * (self.stride - self.size)
        text = "".join("".join("1" if m else "0" for m in row) + pad for row in modules)
        return int(text[::-1], 2)

    def lost_point(self, m: int) -> int:
        """reportlab's ``QRUtil.getLostPoint`` of the packed matrix ``m``."""
        stride = self.stride
        # Neighbours of the same colour, to the right and below.
        same_h = ~(m ^ (m >> 1)) & self.row_pairs
        same_v = ~(m ^ (m >> stride)) & self.column_pairs

        # Rule 1: a run of L >= 5 same-coloured modules, along a row or a column, costs L - 2.
        # A run holds L - 4 windows of five, and its first window adds the other 2.
        five_h = same_h & (same_h >> 1) & (same_h >> 2) & (same_h >> 3)
        five_v = same_v & (same_v >> stride) & (same_v >> 2 * stride) & (same_v >> 3 * stride)
        rule1 = (
            five_h.bit_count()
            + 2 * (five_h & ~(five_h << 1)).bit_count()
            + five_v.bit_count()
            + 2 * (five_v & ~(five_v << stride)).bit_count()
        )

        # Rule 2: 3 for each 2x2 block of one colour, overlapping blocks counted separately.
        rule2 = 3 * (same_h & same_v & (same_v >> 1)).bit_count()

        # Rule 3: 40 for each finder-like run in a row. reportlab scores the columns as tuples
        # against a list pattern, which never compare equal, so columns add nothing. The run
        # cannot overlap itself, so counting every start equals its skip-ahead scan.
        light = self.cells & ~m
        found = self.finder_starts
        for offset, dark in enumerate(_FINDER_RUN):
            found &= (m if dark else light) >> offset
        rule3 = 40 * found.bit_count()

        # Rule 4: 10 for each whole 5 % the dark share is from half, on floored percentages.
        rule4 = 10 * (abs(100 * m.bit_count() // (self.size * self.size) - 50) // 5)
        return rule1 + rule2 + rule3 + rule4


def lost_point(modules: Sequence[Sequence[object]]) -> int:
    """The penalty reportlab's ``QRUtil.getLostPoint`` gives a square matrix of modules."""
    grid = _Grid.of(len(modules))
    return grid.lost_point(grid.pack(modules))


@dataclass(frozen=True)
class _Layout:
    """Where one QR version puts its data, as the eight trial matrices are built from it."""

    grid: _Grid
    fixed: int  # the function patterns of a trial matrix (format and version bits light)
    flips: tuple[int, ...]  # for each mask pattern, the data modules it inverts
    slots: int  # how many data modules there are
    # Reads the data bits string (padded with one "0") into the packed matrix's bit order.
    gather: Callable[[str], tuple[str, ...]]
    positions: list[tuple[int, int]]  # reportlab's data (column, row) order

    @classmethod
    @functools.cache
    def of(cls, version: int) -> _Layout:
        # reportlab's own trial matrix with no data bits: its function patterns, and its data
        # modules at the mask's values, which the region mask removes below.
        scratch = qrencoder.QRCode(version, qrencoder.QRErrorCorrectLevel.M)
        scratch.dataCache = []
        scratch.makeImpl(True, 0)
        positions = scratch.dataPosIterator()
        grid = _Grid.of(scratch.getModuleCount())
        stride = grid.stride

        def bits(indices: list[int]) -> int:
            return sum(1 << i for i in set(indices))

        region = bits([row * stride + col for col, row in positions])
        flips = tuple(
            bits([row * stride + col for col, row in positions if mask(row, col)])
            for mask in map(qrencoder.QRUtil.getMask, range(8))
        )
        # Later placements win, as reportlab's assignments do; other modules read the pad.
        source = [len(positions)] * (grid.size * stride)
        for k, (col, row) in enumerate(positions):
            source[row * stride + col] = k
        return cls(
            grid=grid,
            fixed=grid.pack(scratch.modules) & ~region,
            flips=flips,
            slots=len(positions),
            gather=operator.itemgetter(*reversed(source)),
            positions=positions,
        )

    def data(self, codewords: Sequence[int]) -> int:
        """The unmasked data modules of ``codewords``, placed as reportlab's mapData does."""
        text = "".join(f"{c:08b}" for c in codewords)[: self.slots].ljust(self.slots + 1, "0")
        return int("".join(self.gather(text)), 2)


def mask_scores(code: qrencoder.QRCode) -> list[int]:
    """reportlab's lost point for each of the eight mask patterns of a code with its data
    (the codewords are computed and kept on the code if it has none yet)."""
    layout = _Layout.of(code.version)
    if code.dataCache is None:
        code.dataCache = data_codewords(code.version, code.errorCorrectLevel, code.dataList)
    data = layout.data(code.dataCache)
    return [layout.grid.lost_point(layout.fixed | (data ^ flip)) for flip in layout.flips]


class _BitBuffer:
    """The one method of reportlab's QRBitBuffer the data segments write with, in one int."""

    def __init__(self) -> None:
        self.value = 0
        self.length = 0

    def put(self, num: int, length: int) -> None:
        # reportlab writes the low `length` bits of num, most significant first.
        self.value = (self.value << length) | (num & ((1 << length) - 1))
        self.length += length


@functools.cache
def _rs_blocks(version: int, level: int) -> tuple[tuple[int, int], ...]:
    """(total, data) codeword counts of each Reed-Solomon block."""
    blocks = qrencoder.QRRSBlock.getRSBlocks(version, level)
    return tuple((b.totalCount, b.dataCount) for b in blocks)


def _gf_multiply(a: int, b: int) -> int:
    if a == 0 or b == 0:
        return 0
    return qrencoder.EXP_TABLE[(qrencoder.LOG_TABLE[a] + qrencoder.LOG_TABLE[b]) % 255]


@functools.cache
def _ec_table(ec_count: int) -> tuple[int, ...]:
    """For each byte f, f times reportlab's generator polynomial (leading 1 dropped) as an int
    of ec_count bytes: one step of polynomial division is then one shift and one XOR."""
    generator = qrencoder.QRUtil.getErrorCorrectPolynomial(ec_count).num[1:]
    # Multiplying by f is linear over its bits, so the table is XORs of eight rows.
    basis = [
        int.from_bytes(bytes(_gf_multiply(1 << bit, g) for g in generator), "big")
        for bit in range(8)
    ]
    table = [0] * 256
    for f in range(1, 256):
        low = f & -f
        table[f] = table[f ^ low] ^ basis[low.bit_length() - 1]
    return tuple(table)


def _ec_codewords(block: Sequence[int], ec_count: int) -> list[int]:
    """The remainder of block * x^ec_count divided by the generator: the same polynomial
    remainder reportlab's QRPolynomial.mod computes."""
    table = _ec_table(ec_count)
    top = 8 * (ec_count - 1)
    keep = (1 << (8 * ec_count)) - 1
    remainder = 0
    for byte in block:
        remainder = ((remainder << 8) & keep) ^ table[(remainder >> top) ^ byte]
    return list(remainder.to_bytes(ec_count, "big"))


def data_codewords(version: int, level: int, data_list: Sequence[qrencoder.QR]) -> list[int]:
    """What reportlab's ``QRCode.createData`` returns: data and error correction codewords,
    interleaved."""
    blocks = _rs_blocks(version, level)
    capacity = 8 * sum(count for _, count in blocks)
    buffer = _BitBuffer()
    for data in data_list:
        data.write(buffer, version)
    if buffer.length > capacity:
        # Too long for the version: reportlab raises its own error.
        return qrencoder.QRCode.createData(version, level, data_list)
    value, length = buffer.value, buffer.length
    if length + 4 <= capacity:  # the terminator, when it fits
        value, length = value << 4, length + 4
    value, length = value << (-length % 8), length + (-length % 8)
    codewords = list(value.to_bytes(length // 8, "big"))
    padding = itertools.cycle((qrencoder.QRCode.PAD0, qrencoder.QRCode.PAD1))
    codewords += itertools.islice(padding, capacity // 8 - len(codewords))

    data_blocks: list[list[int]] = []
    ec_blocks: list[list[int]] = []
    offset = 0
    for total, count in blocks:
        data_blocks.append(codewords[offset : offset + count])
        ec_blocks.append(_ec_codewords(data_blocks[-1], total - count))
        offset += count
    columns = itertools.chain(zip_longest(*data_blocks), zip_longest(*ec_blocks))
    return [c for column in columns for c in column if c is not None]


class FastQRCode(qrencoder.QRCode):
    """reportlab's QRCode, choosing the same mask and computing the same codewords faster."""

    def make(self) -> None:
        if self.version is None:
            self.version = self.calculate_version()
        if self.dataCache is None:
            self.dataCache = data_codewords(self.version, self.errorCorrectLevel, self.dataList)
        # reportlab's makeImpl would recompute this list, the same for every code of a version.
        self._dataPosList = _Layout.of(self.version).positions
        self.makeImpl(False, self.getBestMaskPattern())

    def getBestMaskPattern(self) -> int:
        scores = mask_scores(self)
        return scores.index(min(scores))  # the first of equals, as reportlab keeps it
