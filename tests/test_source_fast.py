"""parse() builds from libyaml's events what the node path (compose, then walk) builds.

Every case is parsed twice: by parse() as it is, and by parse() with the event loop switched
off, which leaves the node path of _FastLoader, _Builder and _StrictLoader. Both must give the
same data, the same positions in the same order, and the same problems.
"""

from __future__ import annotations

import random
import unicodedata
from pathlib import Path
from typing import Any
from unittest import mock

import pytest

from builder import source
from builder.source import MAX_DEPTH, MAX_NODES, parse
from tests import hostile

ROOT = Path(__file__).resolve().parents[1]
WHERE = Path("f.yaml")

Outcome = tuple[Any, list[Any]]


def outcome(result: tuple[source.Source | None, list[Any]]) -> Outcome:
    """What a parse gives, in a form where order and types count: repr tells None from 'None'
    and {a, b} from {b, a}."""
    found, problems = result
    if found is None:
        return None, problems
    return (found.path, repr(found.data), list(found.values.items()),
            list(found.keys.items())), problems


def reference(raw: bytes, path: Path = WHERE) -> Outcome:
    """parse() through the node path alone."""
    with mock.patch.object(source, "_from_events", lambda text, path: None):
        return outcome(parse(raw, path))


def from_events(raw: bytes, path: Path = WHERE) -> Outcome | None:
    """The event loop's own answer (None: it leaves the file to the node path), for bytes
    that pass parse()'s checks before any YAML is read."""
    text = raw.decode("utf-8-sig")
    assert "\x00" not in text
    result = source._from_events(text, path)
    return None if result is None else outcome(result)


def assert_same(raw: bytes, *, handled: bool | None = None, path: Path = WHERE) -> None:
    """parse() and the event loop agree with the node path; `handled` says whether the event
    loop must answer itself (True) or leave the file to the node path (False)."""
    expected = reference(raw, path)
    assert outcome(parse(raw, path)) == expected
    try:
        raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        assert handled is not True
        return
    if "\x00" in raw.decode("utf-8-sig"):
        assert handled is not True
        return
    fast = from_events(raw, path)
    if fast is not None:
        assert fast == expected
    if handled is not None:
        assert (fast is not None) == handled, "the event loop answered" if fast else "declined"


# -- the project's own files --------------------------------------------------------------

REPO_FILES = sorted(
    path for folder in ("handouts", "assets", "tests/fixtures")
    for pattern in ("*.yaml", "*.yml")
    for path in (ROOT / folder).rglob(pattern))


def test_the_repository_has_yaml_files() -> None:
    assert len(REPO_FILES) > 20


@pytest.mark.parametrize("path", REPO_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_repository_file(path: Path) -> None:
    assert_same(path.read_bytes(), handled=True, path=path)


# -- tricky inputs ------------------------------------------------------------------------

DECOMPOSED = "Vie\u0302\u0323t"  # not NFC: "Việt" once normalised
E_ACUTE = "e\u0301"

# (input, whether the event loop answers it itself; None: either way)
TRICKY: list[tuple[bytes, bool | None]] = [
    # empty, comments, document markers, BOM
    (b"", True),
    (b"\xef\xbb\xbf", True),
    (b"# only a comment\n# and another\n", True),
    (b"\n\n   \n", True),
    (b"---\n", True),
    (b"--- \n...\n", True),
    (b"...\n", False),
    (b"a: 1\n...\n", True),
    (b"a: 1\n...\n# after the end\n", True),
    (b"\xef\xbb\xbfa: 1\r\nb: [x, y]\r\n", True),
    (b"%YAML 1.1\n---\na: 1\n", True),
    (b"%YAML 1.2\n---\na\n", None),
    (b"%FOO bar\n---\na\n", None),
    (b"%YAML 1.1\n%YAML 1.1\n---\na\n", False),
    # scalars as the whole document
    (b"scalar\n", True),
    (b"'quoted'\n", True),
    (b"~\n", True),
    (b"null\n", True),
    (b"''\n", True),
    (b'""\n', True),
    (b"|\n  literal\n", True),
    (b">\n  folded\n  text\n", True),
    # nulls: plain words only, never quoted ones
    (b"a: ~\nb: null\nc: Null\nd: NULL\ne:\nf: ''\ng: \"null\"\nh: 'NULL'\ni: nULL\n", True),
    (b"- \n- ~\n- 'null'\n- |\n  null\n- >\n  ~\n", True),
    (b"a: !!null x\nb: !!str null\nc: ! null\nd: ! 'null'\ne: !!str\nf: !\n", True),
    (b"? ~\n: 1\nnull: 2\n'': 3\n", True),
    # every scalar stays text
    (b"a: no\nb: 1.10\nc: 2026-11-01\nd: 0x1F\ne: .inf\nf: yes\ng: -1\nh: +1\n", True),
    (b"a: 'it''s'\nb: \"\\u00e9\\t\\\"\"\nc: b\n  continued\n", True),
    (b"a: |\n  x\n  y\nb: >-\n  x\n  y\n\nc: |+\n  z\n\n", True),
    (b"a: \xe2\x80\xa8x\nb: \xc2\x85y\n", None),  # LS and NEL
    # anchors and aliases: refused by the node path
    (b"a: &x 1\n", False),
    (b"a: &x [1]\nb: *x\n", False),
    (b"&x a: 1\n", False),
    (b"a: *x\n", False),
    (b"? &k x\n: 1\n", False),
    (b"- &a\n- *a\n", False),
    (b"&root\na: 1\n", False),
    (b"--- &root [1]\n", False),
    (b"*alias\n", False),
    (b"a: [1, &x 2]\n", False),
    (b"a: 1\na: &x 2\n", False),  # an anchor in a value that is not built still counts
    (b"<<: &x 1\n", False),
    (b"? [&x a]\n: 1\n", False),
    (b"a: !!python/object {b: &x 1}\n", False),
    # merge keys
    (b"<<: {a: 1}\n", True),
    (b"a: {<<: {b: 1}, c: 2}\n", True),
    (b"'<<': 1\n\"<<\": 2\n", True),
    (b"! <<: 1\n", True),
    (b"! '<<': 1\n", True),
    (b"!!merge x: 1\n", True),
    (b"!!merge [a]: 1\n", True),
    (b"? !!merge\n: 1\n", True),
    (b"a: <<\nb: [<<]\n", True),
    (b"- <<\n- '<<'\n", True),
    (b"<< : [1, 2]\n<<: 3\n", True),
    (b"<a: 1\n<<<: 2\nb: <tag>\n", True),
    # `=` and the other unusual plain scalars
    (b"=: 1\n", True),
    (b"a: =\n", True),
    (b"- =\n", True),
    (b"'=': 1\na: '='\nb: ! '='\nc: =x\n", True),
    (b"a: !!value x\n", True),
    (b"a: ! '!'\nb: ! '&'\nc: ! '*'\nd: '!'\ne: '&'\n", True),
    # explicit tags
    (b"a: !!python/object/apply:os.system [ls]\n", True),
    (b"a: !!python/object:builtins.dict {x: 1}\nb: 2\n", True),
    (b"a: !!python/name:os.system\n", True),
    (b"!!python/object/apply:os.system\nargs: [ls]\n", True),
    (b"a: !!str 1\nb: !!int x\nc: !!float 1\nd: !!bool yes\ne: !!timestamp 2001-01-01\n", True),
    (b"a: !!map {b: 1}\nb: !!seq [1]\nc: !!seq {b: 1}\nd: !!str [1]\n", True),
    (b"a: !custom x\nb: !<tag:yaml.org,2002:str> x\nc: !<!> y\n", True),
    (b"%TAG !e! tag:example.com,2000:\n---\na: !e!foo x\n", True),
    (b"a: !!binary aGk=\nb: !!set {x}\nc: !!omap [b: 1]\nd: !!pairs [b: 1]\n", True),
    (b"!!map\na: 1\n", True),
    (b"--- !!str\n", True),
    (b"!foo\n", True),
    (b"a: ! [1]\nb: ! {c: 1}\nc: ! x\n", True),
    (b"a: !!python/tuple [[deep, [deeper]], {k: v}]\nb: after\n", True),
    (b"a: !undefined!x y\n", False),
    # tagged and complex keys
    (b"!!str a: 1\n!!int 1: 2\n!foo b: 3\n!!python/str c: 4\n", True),
    (b"? !!map {a: 1}\n: 2\n", True),
    (b"? [a]\n: b\n", True),
    (b"[a]: b\nc: d\n", True),
    (b"{a: 1}: b\n", True),
    (b"? - a\n  - b\n: c\n", True),
    (b"? a\n: b\n", True),
    (b"? a\n", True),
    (b"? |\n  block key\n: v\n", True),
    (b"[a, [b]]: {c: d}\na: 1\n", True),
    (b"{[a]: 1, b: 2}\n", True),
    (b"- [a]: 1\n  b: 2\n", True),
    (b"? [a, {b: [c]}]\n: [d, {e: f}]\ng: h\n", True),
    # duplicate keys
    (b"a: 1\na: 2\n", True),
    (b"a: 1\nb: 2\na: [x, y]\na: {z: 1}\n", True),
    (b"a: {b: 1, b: 2}\n", True),
    (b"a: 1\na: {deep: [1, {x: 1}]}\nb: 2\n", True),
    (b"\"a\": 1\na: 2\n'a': 3\n", True),
    (b"1: a\n'1': b\n", True),
    (b"null: 1\n~: 2\n", True),
    (b"a: 1\na: !!python/object x\n", True),
    (b"a: 1\n<<: 2\na: 3\n", True),
    (b"- {k: 1, k: 2}\n- {k: 3}\n", True),
    # flow and block collections
    (b"{a: [1, 2, {b: c}], d: {}}\n", True),
    (b"[]\n", True),
    (b"{}\n", True),
    (b"[[], {}, [[]], {a: []}]\n", True),
    (b"a: [b, c,]\n", True),
    (b"[a: 1, b, {c: d}: e]\n", True),
    (b"a:\n- b\n- c\nd: e\n", True),
    (b"- - - a\n    - b\n  - c\n- d\n", True),
    (b"- a: b\n  c: d\n- e\n", True),
    (b"a:\n  b:\n    c:\n      d: e\n  f: g\nh: i\n", True),
    (b"{a: b, c}\n", True),
    (b"[? a : b]\n", True),
    # unicode
    (f"a: {DECOMPOSED}\n".encode(), True),
    (f"{DECOMPOSED}: 1\n".encode(), True),
    (f"{E_ACUTE}: 1\n\u00e9: 2\n".encode(), True),
    (f"a: [{E_ACUTE}, '{E_ACUTE}', \"{E_ACUTE}\"]\n".encode(), True),
    ("a: \u1100\u1161\u11a8\nb: \u212b\nc: \uff21\n".encode(), True),
    ("\u6f22\u5b57: \u304b\u306a\n\u0627\u0644\u0639\u0631\u0628\u064a\u0629: x\n".encode(), True),
    ("a: \U0001f600 \u200d\n".encode(), True),
    # tabs
    (b"a:\tb\n", True),
    (b"a: 'x\ty'\n", True),
    (b"a:\n\t- b\n", False),
    (b"\ta: 1\n", False),
    (b"a: 1\n\tb: 2\n", False),
    # not closed
    (b"a: 'x\n", False),
    (b'a: "x\n', False),
    (b"a: [x\n", False),
    (b"a: {x\n", False),
    (b"a: [\n", False),
    # several documents
    (b"a: 1\n---\nb: 2\n", False),
    (b"---\na\n...\n---\nb\n", False),
    (b"a\n---\n", False),
    (b"--- a\n--- b\n", False),
    (b"a: 1\n---\n[\n", False),
    # other errors
    (b"a: b: c\n", False),
    (b"- a\nb: c\n", False),
    (b"a: @x\n", False),
    (b"a: `x\n", False),
    (b"a: 1\n b: 2\n", False),
    (b"title: Acupuncture: what to expect\n", False),
    (b"a: b\x07\n", False),
    (b"a: \x1b[31m\n", False),
    (b"a: \xff\n", None),
    (b"a: b\x00\n", None),
    (b"a: 1\n}\n", False),
    (b"[a]]\n", False),
    (b"? a\n? b\n: c\n: d\n", False),
    (b"a: |\n x\n  y\n z\n", None),
]


@pytest.mark.parametrize(("raw", "handled"), TRICKY, ids=[repr(r)[2:40] for r, _ in TRICKY])
def test_tricky(raw: bytes, handled: bool | None) -> None:
    assert_same(raw, handled=handled)


def test_tricky_inputs_are_read_as_intended() -> None:
    """A few of the cases above, spelled out: they must not agree by both being wrong."""
    found, problems = parse(b"a: 1\na: 2\n<<: {b: 1}\n? [k]\n: v\nc: !!python/name:x\n", WHERE)
    assert found is not None and found.data == {"a": "1", "c": None}
    assert [str(p) for p in problems] == [
        "f.yaml:2:1: a: duplicate key 'a' (first given on line 1)",
        "f.yaml:3:1: merge keys (<<) are not allowed",
        "f.yaml:4:3: keys must be plain words",
        "f.yaml:6:4: c: the tag '!!python/name:x' is not allowed; remove it",
    ]
    found, problems = parse(f"{E_ACUTE}: ~\n'~': =\n".encode(), WHERE)
    assert found is not None and found.data == {"\u00e9": None, "~": None}
    assert [p.message for p in problems] == ["the tag '!!value' is not allowed; remove it"]


# -- the limits ---------------------------------------------------------------------------


def flow(depth: int, inner: str = "x") -> bytes:
    """`inner` inside depth - 1 flow sequences: its nesting is `depth` (the document is 1)."""
    return ("[" * (depth - 1) + inner + "]" * (depth - 1)).encode()


def block(depth: int) -> bytes:
    """Block mappings `depth` - 1 deep around a scalar."""
    lines = [" " * (2 * i) + f"k{i}:" for i in range(depth - 1)]
    return ("\n".join(lines) + " x\n").encode()


def dashes(depth: int) -> bytes:
    return ("- " * (depth - 1) + "x\n").encode()


LIMITS: list[tuple[str, bytes, bool]] = [
    ("flow-deepest", flow(MAX_DEPTH), True),
    ("flow-too-deep", flow(MAX_DEPTH + 1), False),
    ("flow-empty-deepest", flow(MAX_DEPTH, "[]"), True),
    ("flow-empty-too-deep", flow(MAX_DEPTH + 1, "[]"), False),
    ("flow-map-empty-deepest", flow(MAX_DEPTH, "{}"), True),
    ("flow-map-deepest", flow(MAX_DEPTH - 1, "{a: b}"), True),
    ("flow-map-too-deep", flow(MAX_DEPTH, "{a: b}"), False),
    ("flow-map-key-too-deep", flow(MAX_DEPTH, "{a}"), False),
    ("far-too-deep", flow(5000), False),
    ("block-deepest", block(MAX_DEPTH), True),
    ("block-too-deep", block(MAX_DEPTH + 1), False),
    ("dashes-deepest", dashes(MAX_DEPTH), True),
    ("dashes-too-deep", dashes(MAX_DEPTH + 1), False),
    ("deep-in-duplicate-value", b"a: 1\na: " + flow(MAX_DEPTH) + b"\n", False),
    ("deepest-in-duplicate-value", b"a: 1\na: " + flow(MAX_DEPTH - 1) + b"\n", True),
    ("deep-in-tagged-value", b"a: !!python/tuple " + flow(MAX_DEPTH) + b"\n", False),
    ("deepest-in-tagged-value", b"a: !!python/tuple " + flow(MAX_DEPTH - 1) + b"\n", True),
    ("deep-in-complex-key", b"? " + flow(MAX_DEPTH) + b"\n: v\n", False),
    ("deepest-in-complex-key", b"? " + flow(MAX_DEPTH - 1) + b"\n: v\n", True),
    ("deep-in-merge-value", b"<<: " + flow(MAX_DEPTH) + b"\n", False),
    ("most-nodes", b"[" + b"x," * (MAX_NODES - 1) + b"]", True),
]


@pytest.mark.parametrize(("raw", "handled"), [(raw, handled) for _, raw, handled in LIMITS],
                         ids=[name for name, _, _ in LIMITS])
def test_limits(raw: bytes, handled: bool) -> None:
    assert_same(raw, handled=handled)


# A lower limit on the number of values, so that the node path (slow on purpose-made huge
# files) reads the refused ones quickly.
FEW = 300

NODE_LIMITS: list[tuple[str, bytes, bool]] = [
    # The document, then FEW - 1 items, or one more.
    ("most-nodes", b"[" + b"x," * (FEW - 1) + b"]", True),
    ("too-many-nodes", b"[" + b"x," * FEW + b"]", False),
    ("most-nodes-in-pairs", b"{" + b"k: v, " * ((FEW - 1) // 2) + b"}", True),
    ("too-many-nodes-in-pairs", b"{" + b"k: v, " * ((FEW + 1) // 2) + b"}", False),
    ("most-nodes-not-built", b"a: 1\na: [" + b"x," * (FEW - 5) + b"]\n", True),
    ("too-many-nodes-not-built", b"a: 1\na: [" + b"x," * (FEW - 4) + b"]\n", False),
    ("most-nodes-tagged", b"!!set [" + b"x," * (FEW - 1) + b"]", True),
    ("too-many-nodes-tagged", b"!!set [" + b"x," * FEW + b"]", False),
    ("most-nodes-in-complex-key", b"? [" + b"x," * (FEW - 3) + b"]\n: v\n", True),
    ("too-many-nodes-in-complex-key", b"? [" + b"x," * (FEW - 2) + b"]\n: v\n", False),
    ("too-many-nodes-nested", b"- [x, x]\n" * (FEW // 3) + b"- x\n", False),
    ("most-nodes-nested", b"- [x, x]\n" * ((FEW - 1) // 3), True),
]


@pytest.mark.parametrize(("raw", "handled"), [(raw, handled) for _, raw, handled in NODE_LIMITS],
                         ids=[name for name, _, _ in NODE_LIMITS])
def test_node_limits(raw: bytes, handled: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(source, "MAX_NODES", FEW)
    assert_same(raw, handled=handled)


# -- generated inputs ---------------------------------------------------------------------

KEYS = ["a", "b", "a", "id", "text", "<<", "=", "'<<'", "!!str c", "! d", "!!python/str e",
        "~", "''", "'a'", '"b"', "1", "null", E_ACUTE, "\u00e9", "? [k]", "&anc f", "*anc",
        "[x, y]", "{k: v}", "!!merge g"]
SCALARS = ["x", "Some text.", "~", "null", "''", '""', "'null'", "=", "<<", "'='", "no",
           "2026-01-15", "1.10", "!!str 1", "!!python/object:os.system x", "! null", "! '='",
           "!custom y", "&anc z", "*anc", DECOMPOSED, f"'{E_ACUTE}'", '"\\u00e9"', "!!null",
           "!", "! ''", "a\tb", "'it''s'", "[]", "{}", "!!binary aGk="]


def random_flow(rng: random.Random, depth: int) -> str:
    roll = rng.random()
    if depth > 3 or roll < 0.5:
        return rng.choice(SCALARS)
    if roll < 0.75:
        return "[" + ", ".join(random_flow(rng, depth + 1)
                               for _ in range(rng.randint(0, 3))) + "]"
    tag = rng.choice(["", "", "", "!!map ", "!!python/dict "])
    return tag + "{" + ", ".join(f"{rng.choice(KEYS)}: {random_flow(rng, depth + 1)}"
                                 for _ in range(rng.randint(0, 3))) + "}"


def random_block(rng: random.Random, indent: int, depth: int) -> list[str]:
    """Lines of a block mapping or sequence at `indent`."""
    pad = " " * indent
    lines: list[str] = []
    sequence = rng.random() < 0.3
    for _ in range(rng.randint(1, 4)):
        head = f"{pad}- " if sequence else f"{pad}{rng.choice(KEYS)}:"
        roll = rng.random()
        if depth < 4 and roll < 0.3:
            tag = rng.choice(["", "", "", " !!seq", " !!python/object:x"])
            lines.append(head.rstrip() + tag)
            lines.extend(random_block(rng, indent + 2, depth + 1))
        elif roll < 0.4:
            lines.append(head.rstrip() + " |")
            lines.extend(f"{pad}  {rng.choice(SCALARS)}" for _ in range(rng.randint(1, 2)))
        else:
            lines.append(f"{head.rstrip()} {random_flow(rng, depth)}")
    return lines


GENERATED = [("\n".join(random_block(random.Random(seed), 0, 0)) + "\n").encode()
             for seed in range(400)]


@pytest.mark.parametrize("raw", GENERATED, ids=[f"seed{seed}" for seed in range(400)])
def test_generated(raw: bytes) -> None:
    assert_same(raw)


def test_generated_inputs_reach_both_paths() -> None:
    """The generator must make files the event loop answers, with problems and without, and
    files it leaves to the node path: else the comparisons above prove little."""
    answered = [from_events(raw) for raw in GENERATED]
    assert sum(fast is None for fast in answered) > 40
    assert sum(fast is not None and bool(fast[1]) for fast in answered) > 40
    assert sum(fast is not None and not fast[1] for fast in answered) > 10


FRAGMENTS = ["&a ", "*a", "!!str ", "!!python/object:x ", "! ", "<<", "=", "? ", ": ", "- ",
             "[", "]", "{", "}", ",", "'", '"', "\t", "\n", "\n  ", "#", "~", "---\n", "...\n",
             "|\n", ">-\n", "%YAML 1.1\n", "\u0301", "\ufeff", "\x07", "\x85", "@", "`"]
BASES = [hostile.HANDOUT_YAML, hostile.EN_YAML, hostile.BRAND_YAML]


def mutants(count: int) -> list[bytes]:
    """Small valid files, each changed in a few places: inserted fragments, lost characters,
    repeated lines."""
    rng = random.Random(20261123)
    out: list[bytes] = []
    for _ in range(count):
        text = rng.choice(BASES)
        for _ in range(rng.randint(1, 3)):
            at = rng.randrange(len(text) + 1)
            roll = rng.random()
            if roll < 0.6:
                text = text[:at] + rng.choice(FRAGMENTS) + text[at:]
            elif roll < 0.8:
                text = text[:at] + text[at + 1:]
            else:
                lines = text.splitlines(keepends=True)
                line = rng.randrange(len(lines))
                lines.insert(line, lines[line])
                text = "".join(lines)
        out.append(text.encode())
    return out


MUTANTS = mutants(600)


@pytest.mark.parametrize("raw", MUTANTS, ids=[f"mutant{i}" for i in range(len(MUTANTS))])
def test_mutant(raw: bytes) -> None:
    assert_same(raw)


def test_mutants_reach_both_paths() -> None:
    answered = [from_events(raw) for raw in MUTANTS if b"\x00" not in raw]
    assert sum(fast is None for fast in answered) > 100
    assert sum(fast is not None for fast in answered) > 100


def test_nfc_is_applied_on_both_paths() -> None:
    raw = f"{DECOMPOSED}: {DECOMPOSED}\n".encode()
    found, _ = parse(raw, WHERE)
    assert found is not None
    nfc = unicodedata.normalize("NFC", DECOMPOSED)
    assert found.data == {nfc: nfc} and found.keys == {(nfc,): (1, 1)}
