"""Safe YAML loading that remembers where every value was written.

libyaml scans and parses; the plain data and its positions are built straight from libyaml's
events (_from_events). A file that loop leaves alone (anchors, aliases, nesting or size past
the limits, several documents, invalid YAML) is read through a node tree instead: _FastLoader
composes it and _Builder walks it, and where that fails _StrictLoader reads the file again for
messages in the usual words.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.events import (
    AliasEvent,
    DocumentEndEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
    StreamStartEvent,
)
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
    if CParser is not None:
        built = _from_events(text, path)
        if built is not None:
            return built
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


# What _Builder and the event loop below say of what they refuse (the same words for both).
_MERGE_KEY = "merge keys (<<) are not allowed"
_PLAIN_KEY = "keys must be plain words"


def _tag_message(tag: str) -> str:
    return f"the tag '{tag.replace('tag:yaml.org,2002:', '!!')}' is not allowed; remove it"


def _duplicate_message(key: str, first_line: int) -> str:
    return f"duplicate key '{key}' (first given on line {first_line})"


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
            self._problem(node, path, _tag_message(node.tag))
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
                self._problem(key_node, path, _MERGE_KEY)
                continue
            if not isinstance(key_node, ScalarNode) or key_node.tag not in _PLAIN_TAGS:
                self._problem(key_node, path, _PLAIN_KEY)
                continue
            key = unicodedata.normalize("NFC", key_node.value)
            child = (*path, key)
            if key in out:
                line, _col = self.keys[child]
                self._problem(key_node, child,
                              _duplicate_message(key, line))
                continue
            self.keys[child] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            out[key] = self.build(value_node, child)
        return out


# -- the fast path: plain data straight from libyaml's events ------------------------------
#
# Composing a node tree in Python and then walking it costs more than libyaml's scanning and
# parsing together. The loop below reads the same events and builds what _Builder would build
# from the tree _FastLoader would compose, in one pass and without recursion. Whatever makes
# _FastLoader fail (anchors, aliases, the limits, a second document, a YAML error) makes the
# loop give up instead, and the file is read again by the node path for the usual message.

_MERGE_TAG = "tag:yaml.org,2002:merge"
_NODE_KINDS = {ScalarEvent: ScalarNode, SequenceStartEvent: SequenceNode,
               MappingStartEvent: MappingNode}
_RESOLVER = Resolver()


def _unusual_starts() -> frozenset[str]:
    """First characters of plain scalars that Resolver may tag outside _PLAIN_TAGS.

    ('<' for the merge key `<<`, '=' for `=`, ...) Any other untagged scalar is str, int,
    bool, null ... all in _PLAIN_TAGS, and that is all _Builder asks of its tag."""
    return frozenset(
        first for first, resolvers in Resolver.yaml_implicit_resolvers.items()
        if first is not None and any(tag not in _PLAIN_TAGS for tag, _regexp in resolvers))


_UNUSUAL_STARTS = _unusual_starts()
# A resolver that looks at every plain scalar whatever its first character would defeat that
# shortcut: then every file takes the node path.
_EVENTS_USABLE = None not in Resolver.yaml_implicit_resolvers


def _event_tag(event: Any) -> str:
    """The tag Composer gives the node that `event` starts."""
    tag = event.tag
    if tag is None or tag == "!":  # no tag, or the non-specific one: resolved as Composer does
        kind = _NODE_KINDS[type(event)]
        return _RESOLVER.resolve(kind, event.value if kind is ScalarNode else None,
                                 event.implicit)
    return tag


def _from_events(text: str, path: Path) -> tuple[Source | None, list[Problem]] | None:
    """What parse() gives for `text`, or None when the node path must read it."""
    if not _EVENTS_USABLE:
        return None
    parser = CParser(text)
    try:
        return _build_from_events(parser.get_event, path)
    except yaml.YAMLError:
        return None
    finally:
        parser.dispose()


def _skip(get_event: Any, event: Any, depth: int) -> int | None:
    """Read past the node that `event` starts, at nesting `depth`, without building it.

    Returns how many nodes it holds, or None where _Limits would refuse one of them."""
    count = 0
    open_collections = 0
    while True:
        cls = type(event)
        if cls is SequenceEndEvent or cls is MappingEndEvent:
            open_collections -= 1
        elif cls is ScalarEvent or cls is SequenceStartEvent or cls is MappingStartEvent:
            count += 1
            if (event.anchor is not None or depth + open_collections > MAX_DEPTH
                    or count > MAX_NODES):
                return None
            open_collections += cls is not ScalarEvent
        else:  # an alias
            return None
        if not open_collections:
            return count
        event = get_event()


def _build_from_events(get_event: Any, path: Path) -> tuple[Source | None, list[Problem]] | None:
    """parse()'s result from the events of one stream, as _Builder gives it from the nodes
    _FastLoader composes; None where _FastLoader would raise, or anything is unexpected."""
    if type(get_event()) is not StreamStartEvent:
        return None
    if type(get_event()) is StreamEndEvent:
        return Source(path, None, {(): (1, 1)}), []  # an empty stream, as parse() says it
    # (that event opened the document)
    where = str(path)
    values: dict[KeyPath, tuple[int, int]] = {}
    keys: dict[KeyPath, tuple[int, int]] = {}
    problems: list[Problem] = []
    unusual = _UNUSUAL_STARTS
    plain_tags = _PLAIN_TAGS
    null_words = _NULL_WORDS
    normalize = unicodedata.normalize
    # The collections being filled, outermost first, with their paths. The document's value
    # goes into `holder`.
    holder: list[Any] = []
    stack: list[tuple[Any, KeyPath]] = []
    container: Any = holder
    cpath: KeyPath = ()
    key: str | None = None  # where the value goes in `container`: None appends to a list
    child: KeyPath = ()
    count = 0
    event = get_event()
    while True:
        # `event` starts the value at `child`: built as _Builder.build builds it.
        count += 1
        if count > MAX_NODES:
            return None
        cls = type(event)
        if cls is ScalarEvent:
            if event.anchor is not None:
                return None
            mark = event.start_mark
            values[child] = (mark.line + 1, mark.column + 1)
            value = event.value
            if ((event.tag is None and value[:1] not in unusual)
                    or _event_tag(event) in plain_tags):
                if not event.style and value in null_words:  # plain style: libyaml's '' or None
                    value = None
                elif not value.isascii():
                    value = normalize("NFC", value)
            else:
                problems.append(_tag_problem(where, event, child))
                value = None
            if key is None:
                container.append(value)
            else:
                container[key] = value
        elif cls is MappingStartEvent or cls is SequenceStartEvent:
            if event.anchor is not None:
                return None
            mark = event.start_mark
            values[child] = (mark.line + 1, mark.column + 1)
            if event.tag is None or _event_tag(event) in plain_tags:
                new: Any = {} if cls is MappingStartEvent else []
                if key is None:
                    container.append(new)
                else:
                    container[key] = new
                if len(stack) < MAX_DEPTH - 1:
                    stack.append((new, child))
                    container, cpath = new, child
                elif type(get_event()) is not (
                        MappingEndEvent if cls is MappingStartEvent else SequenceEndEvent):
                    return None  # at the deepest level allowed, a child is nested too deep
            else:
                problems.append(_tag_problem(where, event, child))
                if key is None:
                    container.append(None)
                else:
                    container[key] = None
                skipped = _skip(get_event, event, len(stack) + 1)
                if skipped is None:
                    return None
                count += skipped - 1
        else:  # an alias, or an event a single document never has here
            return None
        # Find the next value: close the collections that end here, and read its key.
        while stack:
            event = get_event()
            cls = type(event)
            if type(container) is list:
                if cls is not SequenceEndEvent:
                    key = None
                    child = (*cpath, len(container))
                    break
            elif cls is not MappingEndEvent:
                # A key, checked as _Builder._mapping checks it.
                count += 1
                mark = event.start_mark
                if (cls is ScalarEvent and event.anchor is None
                        and ((event.tag is None and event.value[:1] not in unusual)
                             or _event_tag(event) in plain_tags)):
                    key = event.value
                    if not key.isascii():
                        key = normalize("NFC", key)
                    child = (*cpath, key)
                    if key not in container:
                        keys[child] = (mark.line + 1, mark.column + 1)
                        event = get_event()
                        break
                    problems.append(Problem(
                        where, mark.line + 1, mark.column + 1, format_path(child),
                        _duplicate_message(key, keys[child][0])))
                else:
                    skipped = _skip(get_event, event, len(stack) + 1)
                    if skipped is None:
                        return None
                    count += skipped - 1
                    message = _MERGE_KEY if _event_tag(event) == _MERGE_TAG else _PLAIN_KEY
                    problems.append(Problem(where, mark.line + 1, mark.column + 1,
                                            format_path(cpath), message))
                # This key's value is not built, but it counts towards the limits.
                skipped = _skip(get_event, get_event(), len(stack) + 1)
                if skipped is None:
                    return None
                count += skipped
                continue
            stack.pop()
            if stack:
                container, cpath = stack[-1]
        else:
            break  # the stack is empty: the document's value is complete
    # One document only: a second one is for the node path to refuse.
    if (count > MAX_NODES or type(get_event()) is not DocumentEndEvent
            or type(get_event()) is not StreamEndEvent):
        return None
    return Source(path, holder[0], values, keys), problems


def _tag_problem(where: str, event: Any, path: KeyPath) -> Problem:
    mark = event.start_mark
    return Problem(where, mark.line + 1, mark.column + 1, format_path(path),
                   _tag_message(_event_tag(event)))
