"""Safe YAML loading that remembers where every value was written."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.events import AliasEvent
from yaml.resolver import Resolver

try:
    from yaml._yaml import CParser
except ImportError:  # (PyYAML without libyaml: the pure-Python parser only)
    CParser = None
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .errors import Problem

MAX_FILE_BYTES = 1024 * 1024
MAX_DEPTH = 40
MAX_NODES = 50_000

KeyPath = tuple[str | int, ...]

# Tags that plain YAML data may carry; anything else (e.g. !!python/object) is refused.
_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:map",
}
_NULL_WORDS = {"", "~", "null", "Null", "NULL"}


@dataclass(frozen=True)
class Source:
    """A loaded YAML file: plain data plus the line and column of every value and key."""

    path: Path
    data: Any
    values: dict[KeyPath, tuple[int, int]] = field(default_factory=dict)
    keys: dict[KeyPath, tuple[int, int]] = field(default_factory=dict)

    def where(self, path: KeyPath, *, key: bool = False) -> tuple[int, int]:
        """Line and column of the value at `path` (or its key); the nearest parent if absent."""
        table = self.keys if key else self.values
        probe = path
        while probe:
            if probe in table:
                return table[probe]
            if probe in self.values:
                return self.values[probe]
            probe = probe[:-1]
        return self.values.get((), (1, 1))

    def problem(self, path: KeyPath, message: str, *, key: bool = False,
                severity: str = "error") -> Problem:
        line, col = self.where(path, key=key)
        return Problem(str(self.path), line, col, format_path(path), message, severity)


def format_path(path: KeyPath) -> str:
    """('sections', 2, 'items', 1) -> 'sections[2].items[1]'."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


class _Limits:
    """Refuses anchors and aliases and bounds nesting and size while composing nodes."""

    _depth = 0
    _count = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        event = self.peek_event()  # type: ignore[attr-defined]
        if isinstance(event, AliasEvent):
            raise yaml.composer.ComposerError(
                None, None, "aliases (*name) are not allowed; write the value out",
                event.start_mark)
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            raise yaml.composer.ComposerError(
                None, None, "anchors (&name) are not allowed; write the value out",
                event.start_mark)
        self._depth += 1
        self._count += 1
        if self._depth > MAX_DEPTH:
            raise yaml.composer.ComposerError(
                None, None, f"nested more than {MAX_DEPTH} levels deep", event.start_mark)
        if self._count > MAX_NODES:
            raise yaml.composer.ComposerError(
                None, None, f"more than {MAX_NODES} values in one file", event.start_mark)
        try:
            return Composer.compose_node(self, parent, index)  # type: ignore[arg-type]
        finally:
            self._depth -= 1


class _StrictLoader(_Limits, yaml.SafeLoader):
    """A SafeLoader with the limits above; its messages are the ones users see."""

    def __init__(self, stream: str) -> None:
        yaml.SafeLoader.__init__(self, stream)


if CParser is not None:
    class _FastLoader(_Limits, CParser, Composer, SafeConstructor, Resolver):  # type: ignore[misc]
        """The same, reading with libyaml: many times faster on the valid files of a project.
        A file it cannot read is read again by _StrictLoader, for the same messages."""

        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            Composer.__init__(self)
            SafeConstructor.__init__(self)
            Resolver.__init__(self)

        # Composing stays in Python (the limits above); only scanning and parsing are in C.
        get_single_node = Composer.get_single_node
        compose_document = Composer.compose_document
        compose_sequence_node = Composer.compose_sequence_node
        compose_mapping_node = Composer.compose_mapping_node

        def compose_scalar_node(self, anchor: str | None) -> ScalarNode:
            node = Composer.compose_scalar_node(self, anchor)
            if node.style == "":  # libyaml's plain style; PyYAML's is None
                node.style = None
            return node
else:  # (a PyYAML built without libyaml)
    _FastLoader = None


def _compose(text: str) -> Node | None:
    """The document's node tree; errors are raised as _StrictLoader raises them."""
    if _FastLoader is not None:
        fast = _FastLoader(text)
        try:
            return fast.get_single_node()
        except (yaml.YAMLError, RecursionError):
            pass  # read again below, for a message in the usual words
        finally:
            fast.dispose()
    loader = _StrictLoader(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def load(path: Path) -> tuple[Source | None, list[Problem]]:
    """Read and parse one YAML file; never raises for bad content."""
    where = str(path)
    try:
        if not path.is_file():
            return None, [Problem(where, message="not a regular file")]
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return None, [Problem(where, message=(
                f"file is {size:,} bytes; at most {MAX_FILE_BYTES:,} are allowed"))]
        raw = path.read_bytes()
    except OSError as exc:
        return None, [Problem(where, message=f"cannot read file: {exc.strerror or exc}")]
    return parse(raw, path)


def parse(raw: bytes, path: Path) -> tuple[Source | None, list[Problem]]:
    """Parse YAML bytes into a Source, or say where and why it cannot be read."""
    where = str(path)
    if len(raw) > MAX_FILE_BYTES:
        return None, [Problem(where, message=(
            f"file is {len(raw):,} bytes; at most {MAX_FILE_BYTES:,} are allowed"))]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, [Problem(where, line, col, message=(
            "not valid UTF-8 text; save the file as UTF-8"))]
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        return None, [Problem(where, line,
                              message="contains a NUL character; is this a binary file?")]
    try:
        node = _compose(text)
    except yaml.reader.ReaderError as exc:
        before = text[: exc.position]
        line, col = before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1
        return None, [Problem(where, line, col, message=(
            f"contains the control character U+{exc.character:04X}, which is not allowed"))]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if "quoted scalar" in (exc.context or "") and exc.context_mark:
            mark = exc.context_mark  # point at the opening quote, not the end of the file
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        return None, [Problem(where, line, col, message=_yaml_message(exc))]
    except yaml.YAMLError as exc:
        return None, [Problem(where, message=f"not valid YAML: {exc}")]
    except RecursionError:
        return None, [Problem(where, message=f"nested more than {MAX_DEPTH} levels deep")]
    if node is None:
        return Source(path, None, {(): (1, 1)}), []
    builder = _Builder(path)
    data = builder.build(node, ())
    return Source(path, data, builder.values, builder.keys), builder.problems


def _yaml_message(exc: yaml.MarkedYAMLError) -> str:
    problem = (exc.problem or "").strip()
    context = (exc.context or "").strip()
    if "'\\t'" in problem and "cannot start any token" in problem:
        return "a tab character is used for indenting; indent with spaces"
    if "found character" in problem and "cannot start any token" in problem:
        return f"not valid YAML: {problem}; put the text in quotes"
    if "mapping values are not allowed here" in problem:
        return ("a value contains ': ' (a colon and a space); put the whole text in quotes, "
                "e.g. title: \"Acupuncture: what to expect\"")
    if "quoted scalar" in context and "end of stream" in problem:
        return "a quoted text is not closed; add the closing quote"
    if problem.startswith(("aliases", "anchors", "nested", "more than")):
        return problem
    if "unacceptable character" in problem or "special characters are not allowed" in problem:
        return "contains a control character that is not allowed in text"
    text = f"{context}, {problem}" if context else problem
    return f"not valid YAML: {text}"


class _Builder:
    """Turns a composed YAML node tree into plain data, recording positions."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.values: dict[KeyPath, tuple[int, int]] = {}
        self.keys: dict[KeyPath, tuple[int, int]] = {}
        self.problems: list[Problem] = []

    def _problem(self, node: Node, path: KeyPath, message: str) -> None:
        self.problems.append(Problem(str(self.path), node.start_mark.line + 1,
                                     node.start_mark.column + 1, format_path(path), message))

    def build(self, node: Node, path: KeyPath) -> Any:
        self.values[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if node.tag not in _PLAIN_TAGS:
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            self._problem(node, path, f"the tag '{tag}' is not allowed; remove it")
            return None
        if isinstance(node, MappingNode):
            return self._mapping(node, path)
        if isinstance(node, SequenceNode):
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        assert isinstance(node, ScalarNode)
        if node.style is None and node.value in _NULL_WORDS:
            return None
        # Every scalar stays text: the schema decides what a value means, so `title: No`
        # is the word "No" and `reviewed: 2026-11-01` is parsed (and located) by the schema.
        return unicodedata.normalize("NFC", node.value)

    def _mapping(self, node: MappingNode, path: KeyPath) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                self._problem(key_node, path, "merge keys (<<) are not allowed")
                continue
            if not isinstance(key_node, ScalarNode) or key_node.tag not in _PLAIN_TAGS:
                self._problem(key_node, path, "keys must be plain words")
                continue
            key = unicodedata.normalize("NFC", key_node.value)
            child = (*path, key)
            if key in out:
                line, _col = self.keys[child]
                self._problem(key_node, child,
                              f"duplicate key '{key}' (first given on line {line})")
                continue
            self.keys[child] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            out[key] = self.build(value_node, child)
        return out
