"""Safe YAML loading: positions, and refusal of what plain data never needs."""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.source import MAX_FILE_BYTES, parse


def problems(raw: bytes) -> list[str]:
    _, found = parse(raw, Path("f.yaml"))
    return [str(p) for p in found]


def test_positions_of_values_and_keys() -> None:
    source, found = parse(b"a: 1\nlist:\n  - x\n  - {k: v}\n", Path("f.yaml"))
    assert not found and source is not None
    assert source.values[("a",)] == (1, 4)
    assert source.values[("list", 1, "k")] == (4, 9)
    assert source.keys[("list",)] == (2, 1)


def test_every_scalar_stays_text() -> None:
    source, _ = parse(b"a: no\nb: 1.10\nc: 2026-11-01\nd:\ne: ''\n", Path("f.yaml"))
    assert source.data == {"a": "no", "b": "1.10", "c": "2026-11-01", "d": None, "e": ""}


def test_bom_and_crlf_are_accepted_and_text_is_nfc() -> None:
    decomposed = "Vie\u0302\u0323t".encode()
    source, found = parse(b"\xef\xbb\xbfa: " + decomposed + b"\r\nb: |\r\n  x\r\n  y\r\n",
                          Path("f.yaml"))
    assert not found
    assert source.data == {"a": "Vi\u1ec7t", "b": "x\ny\n"}


@pytest.mark.parametrize(("raw", "message"), [
    (b"a: 1\na: 2\n", "f.yaml:2:1: a: duplicate key 'a' (first given on line 1)"),
    (b"a: &x 1\nb: *x\n", "f.yaml:1:4: anchors (&name) are not allowed; write the value out"),
    (b"b: *x\n", "f.yaml:1:4: aliases (*name) are not allowed; write the value out"),
    (b"a: !!python/object/apply:os.system [ls]\n",
     "f.yaml:1:4: a: the tag '!!python/object/apply:os.system' is not allowed; remove it"),
    (b"a: [\n", "f.yaml:2:1: not valid YAML: while parsing a flow node, expected the node "
                "content, but found '<stream end>'"),
    (b"a: b\x07\n", "f.yaml:1:5: contains the control character U+0007, which is not allowed"),
    (b"a: \xff\n", "f.yaml:1:4: not valid UTF-8 text; save the file as UTF-8"),
    (b"a: " + b"[" * 60 + b"]" * 60, "f.yaml:1:43: nested more than 40 levels deep"),
    (b"<<: {a: 1}\n", "f.yaml:1:1: merge keys (<<) are not allowed"),
])
def test_refused(raw: bytes, message: str) -> None:
    assert problems(raw) == [message]


def test_huge_file_is_refused_before_parsing() -> None:
    found = problems(b"a: " + b"x" * MAX_FILE_BYTES)
    assert found == [f"f.yaml: file is {MAX_FILE_BYTES + 3:,} bytes; at most "
                     f"{MAX_FILE_BYTES:,} are allowed"]


def test_alias_bomb_is_refused_quickly() -> None:
    bomb = b'a: &a ["x","x"]\nb: &b [*a,*a]\nc: &c [*b,*b]\nd: &d [*c,*c]\ne: [*d,*d]\n'
    assert problems(bomb) == ["f.yaml:1:4: anchors (&name) are not allowed; write the value out"]
