"""YAML files that remember where each value came from.

Communications staff edit campaign files by hand, so every message about them names `path:line:col`.
PyYAML's safe composer already knows each node's position; we keep those marks in a side table keyed by
the value's key path (`("messages", 2, "text", "fr")`) while building plain dicts, lists and scalars with
the safe constructor. Nothing but the safe loader ever touches the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator.errors import InputFileError, InvalidInput, Location, error

KeyPath = tuple  # of str | int


def format_key_path(path: KeyPath) -> str:
    """`("messages", 2, "text", "fr")` -> `messages[2].text.fr`."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


@dataclass(frozen=True)
class SourceMap:
    """Where each value of a file was written: the position of every value and mapping key, by key path.

    This is what error messages about a loaded file use, long after its YAML is gone: a campaign is
    returned with its SourceMap, and a card that cannot find the brand's font names the `brand.font` line.
    """

    path: str  # as displayed to people (relative to the workspace when inside it)
    marks: dict = field(default_factory=dict)  # KeyPath -> (line, col), 1-based
    key_marks: dict = field(default_factory=dict)  # KeyPath of a mapping entry -> position of its key

    def location(self, key_path: KeyPath = (), *, of_key: bool = False) -> Location:
        """The position of a value (or of its key, for unknown-key messages); falls back to the nearest parent."""
        table = self.key_marks if of_key else self.marks
        path = tuple(key_path)
        while True:
            if path in table:
                line, col = table[path]
                return Location(self.path, line, col)
            if path in self.marks:
                line, col = self.marks[path]
                return Location(self.path, line, col)
            if not path:
                return Location(self.path, 1, 1)
            path = path[:-1]

    def where(self, key_path: KeyPath = (), *, of_key: bool = False) -> str:
        """`path:line:col: key.path`, the prefix every message about this value starts with."""
        text = str(self.location(key_path, of_key=of_key))
        if key_path:
            text += f": {format_key_path(key_path)}"
        return text


@dataclass(frozen=True)
class Document:
    """A parsed YAML file: its plain data, and where each value of it was written."""

    data: Any
    source: SourceMap

    @property
    def path(self) -> str:
        return self.source.path


class _Builder(yaml.constructor.SafeConstructor):
    """Builds plain Python from a composed node tree, recording each node's start mark by key path."""

    def __init__(self, lines: list[str]):
        super().__init__()
        self.marks: dict = {}
        self.key_marks: dict = {}
        self.lines = lines
        self.lost_hashtags: list = []  # (key path, (line, col) of the '#', the value, what YAML read as a comment)

    # Collections may carry only their plain tags: `!!python/object/apply:os.system [...]` is a sequence node
    # with a foreign tag that must be refused, not read as a list. Scalars with foreign tags are refused by
    # SafeConstructor itself.
    PLAIN_COLLECTION_TAGS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}
    # Aliases are expanded value by value (each copy gets its own positions), so a few hundred bytes of nested
    # aliases ("billion laughs") could ask for billions of values: hand-written files hold a few thousand.
    MAX_VALUES = 200_000
    MAX_DEPTH = 64

    def build(self, node: yaml.Node, path: KeyPath = ()) -> Any:
        self.marks[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if len(self.marks) > self.MAX_VALUES:
            raise yaml.constructor.ConstructorError(
                None, None, f"the file expands to more than {self.MAX_VALUES} values (aliases repeating aliases?)",
                node.start_mark)
        if len(path) > self.MAX_DEPTH:
            raise yaml.constructor.ConstructorError(
                None, None, f"values are nested more than {self.MAX_DEPTH} levels deep", node.start_mark)
        if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and node.tag not in self.PLAIN_COLLECTION_TAGS:
            raise yaml.constructor.ConstructorError(
                None, None, f"the tag {node.tag!r} is not allowed (safe loading only)", node.start_mark
            )
        if isinstance(node, yaml.MappingNode):
            self.flatten_mapping(node)  # resolves `<<` merge keys the way safe_load does
            result = {}
            for key_node, value_node in node.value:
                key = self.construct_object(key_node, deep=True)
                if isinstance(key, (list, dict)):
                    raise yaml.constructor.ConstructorError(
                        None, None, "a key must be a plain word, not a list or mapping", key_node.start_mark
                    )
                if key in result:
                    raise yaml.constructor.ConstructorError(
                        None, None, f"the key {key!r} appears twice in this mapping", key_node.start_mark
                    )
                child = path + (key,)
                self.key_marks[child] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
                result[key] = self.build(value_node, child)
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, path + (index,)) for index, item in enumerate(node.value)]
        self._look_for_a_lost_hashtag(node, path)
        try:
            return self.construct_object(node, deep=True)
        except (ValueError, OverflowError) as err:  # `2026-02-30` is read as a date that does not exist
            raise yaml.constructor.ConstructorError(
                None, None, f"'{node.value}' reads as a date or number that cannot be ({err}); put it in quotes "
                "if it is text", node.start_mark) from err

    def _look_for_a_lost_hashtag(self, node: yaml.ScalarNode, path: KeyPath) -> None:
        """` #OrangeDay` after an unquoted value is a YAML comment: the hashtag silently disappears from the text.
        A real comment has a space after its `#` (`# local time`); a hashtag does not."""
        if node.style is not None or not isinstance(node, yaml.ScalarNode):
            return  # quoted or block scalars keep their '#'
        line = self.lines[node.end_mark.line] if node.end_mark.line < len(self.lines) else ""
        match = _LOST_HASHTAG.match(line, node.end_mark.column)
        if match:
            self.lost_hashtags.append((path, (node.end_mark.line + 1, match.start(1) + 1), node.value,
                                       match.group(1).rstrip()))


# A comment that starts like a hashtag right after a plain value on the same line: `text: Join us #OrangeDay`.
_LOST_HASHTAG = re.compile(r"[ \t]+(#[^\s#][^\n]*)")


def parse_yaml(text: str, display: str) -> Document:
    """Parse YAML text; raise InputFileError naming the place for anything that is not valid YAML."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        if node is None:
            raise InputFileError("the file is empty; expected a YAML mapping", Location(display, 1, 1))
        builder = _Builder(text.splitlines())
        data = builder.build(node)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        where = Location(display, mark.line + 1, mark.column + 1) if mark else Location(display)
        reason = (err.problem or err.context or "not valid YAML").strip()
        raise InputFileError(f"not valid YAML: {reason}", where) from err
    except yaml.reader.ReaderError as err:  # a character YAML does not allow, e.g. a control character
        line = text.count("\n", 0, err.position) + 1
        col = err.position - (text.rfind("\n", 0, err.position) + 1) + 1
        raise InputFileError(f"not valid YAML: the character U+{err.character:04X} is not allowed in YAML text",
                             Location(display, line, col)) from err
    except RecursionError as err:  # the composer nests as deep as the text does
        raise InputFileError("not valid YAML: values are nested too deeply", Location(display, 1, 1)) from err
    except yaml.YAMLError as err:
        raise InputFileError(f"not valid YAML: {err}", Location(display)) from err
    source = SourceMap(display, builder.marks, builder.key_marks)
    if builder.lost_hashtags:
        raise InvalidInput([error("yaml.lost-hashtag", f"'{lost}' is read as a YAML comment, so it is not in the "
                                  f"text: put the whole value in quotes, as in \"{value} {lost}\"",
                                  str(Location(display, line, col)) + (f": {format_key_path(path)}" if path else ""))
                            for path, (line, col), value, lost in builder.lost_hashtags])
    return Document(data, source)


def load_yaml(path: str | Path, display: str | None = None, *, expect_mapping: bool = True) -> Document:
    """Read a YAML file with three distinct messages: missing file, unparsable, top level not a mapping."""
    path = Path(path)
    display = display or path.as_posix()
    try:
        raw = path.read_bytes()
    except FileNotFoundError as err:
        raise InputFileError("file not found", Location(display)) from err
    except IsADirectoryError as err:
        raise InputFileError("is a folder; expected a YAML file", Location(display)) from err
    except OSError as err:
        raise InputFileError(f"cannot read the file: {err.strerror}", Location(display)) from err
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        col = err.start - (raw.rfind(b"\n", 0, err.start) + 1) + 1
        raise InputFileError(
            f"not UTF-8 text (byte 0x{raw[err.start]:02x}); save the file as UTF-8", Location(display, line, col)
        ) from err
    if not text.strip():
        raise InputFileError("the file is empty; expected a YAML mapping", Location(display, 1, 1))
    document = parse_yaml(text, display)
    if expect_mapping and not isinstance(document.data, dict):
        kind = type(document.data).__name__
        kind = {"list": "a list", "str": "a string", "int": "a number", "float": "a number",
                "NoneType": "nothing", "bool": "true/false"}.get(kind, kind)
        raise InputFileError(f"the top level must be a mapping of keys to values, got {kind}", Location(display, 1, 1))
    return document
