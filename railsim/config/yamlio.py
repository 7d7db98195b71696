"""Safe YAML reading that remembers where every value came from.

PyYAML's ``compose`` gives a node tree with line and column marks. We convert it to
plain Python data ourselves, so that:

* only the standard YAML tags are accepted (no object construction, whatever the loader);
* duplicate keys are errors instead of silent last-wins;
* aliases cannot expand a document beyond :data:`MAX_NODES` nodes (alias bombs), nor
  can nesting go deeper than :data:`MAX_DEPTH` or an integer be longer than
  :data:`MAX_INT_DIGITS` digits;
* a document without any key is refused: a blank or truncated save must not pass for a
  do-minimum (which is written explicitly, e.g. with a title);
* ``HH:MM`` stays a string (YAML 1.1 would read ``06:30`` as the sexagesimal int 390);
* an integer with a leading zero that YAML 1.1 reads as another number than YAML 1.2
  (``010``, ``0630``: octal 8 and 408, not 10 and 630) is refused;
* ``2e-5`` is a number, as in YAML 1.2 (YAML 1.1 wants ``2.0e-05`` and reads ``2e-5`` as
  text, which the strict schema would then refuse);
* every value's position is kept in a :class:`Located` map from path to :class:`Location`.
"""

from __future__ import annotations

import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

import yaml

from railsim.errors import Problem

MAX_FILE_BYTES = 1_000_000
MAX_NODES = 20_000
"""Largest number of values a scenario document may expand to (with aliases followed)."""
MAX_DEPTH = 50
"""Deepest nesting of mappings and lists (a scenario needs about eight levels)."""
MAX_INT_DIGITS = 30
"""Longest integer literal (the largest bounded field, the seed, has 19 digits)."""

Path_ = tuple[str | int, ...]

_LEADING_ZERO = re.compile(r"^(?P<sign>[-+]?)(?P<digits>0[0-7_]+)$")
"""An integer that YAML 1.1 (PyYAML) reads as octal: ``010`` is 8, ``0630`` is 408."""
_EXPONENT_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)[eE][-+]?[0-9]+$")

_STANDARD_TAGS = {
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}


@dataclass(frozen=True)
class Location:
    """Where a value was written: file, 1-based line and column."""

    file: str
    line: int
    column: int


@dataclass
class Located:
    """Plain data plus the location of each value, keyed by its path."""

    data: dict[str, Any]
    locations: dict[Path_, Location] = field(default_factory=dict)

    def where(self, path: Path_, fallback_file: str = "") -> Location:
        """Location of ``path`` or of its nearest ancestor that has one."""
        probe = tuple(path)
        while True:
            if probe in self.locations:
                return self.locations[probe]
            if not probe:
                return Location(fallback_file, 0, 0)
            probe = probe[:-1]


class _YamlProblem(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


class _Converter:
    def __init__(self, file: str) -> None:
        self.file = file
        self.count = 0
        self.locations: dict[Path_, Location] = {}
        self._scalar_loader = yaml.SafeLoader("")

    def _loc(self, node: yaml.Node) -> Location:
        return Location(self.file, node.start_mark.line + 1, node.start_mark.column + 1)

    def _fail(self, node: yaml.Node, path: Path_, message: str, allowed: str = "") -> NoReturn:
        loc = self._loc(node)
        raise _YamlProblem(
            Problem(self.file, loc.line, loc.column, format_path(path), message, allowed=allowed)
        )

    def convert(self, node: yaml.Node, path: Path_, ancestors: tuple[int, ...] = ()) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            self._fail(
                node, path,
                f"document expands to more than {MAX_NODES} values (aliases followed); "
                "refusing to read it",
            )
        if id(node) in ancestors:
            self._fail(node, path, "recursive alias")
        if len(path) > MAX_DEPTH:
            self._fail(node, path[:MAX_DEPTH], f"nested more than {MAX_DEPTH} levels deep; "
                       "refusing to read it")
        if node.tag not in _STANDARD_TAGS:
            self._fail(node, path, f"YAML tag {node.tag!r} is not allowed",
                       allowed="plain YAML values (mappings, lists, strings, numbers, booleans)")
        self.locations.setdefault(path, self._loc(node))
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, (*ancestors, id(node)))
        if isinstance(node, yaml.SequenceNode):
            return [
                self.convert(item, (*path, i), (*ancestors, id(node)))
                for i, item in enumerate(node.value)
            ]
        assert isinstance(node, yaml.ScalarNode)
        return self._scalar(node, path)

    def _mapping(self, node: yaml.MappingNode, path: Path_, ancestors: tuple[int, ...]) -> Any:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                self._fail(key_node, path, "YAML merge keys ('<<') are not supported",
                           allowed="'extends:' and named overrides")
            if not isinstance(key_node, yaml.ScalarNode):
                self._fail(key_node, path, "mapping keys must be plain strings")
            key = str(key_node.value)
            if key in result:
                self._fail(key_node, (*path, key), f"duplicate key {key!r}")
            child_path = (*path, key)
            self.locations[child_path] = self._loc(key_node)
            result[key] = self.convert(value_node, child_path, ancestors)
        return result

    def _scalar(self, node: yaml.ScalarNode, path: Path_ = ()) -> Any:
        if node.tag in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float") and ":" in node.value:
            return node.value  # sexagesimal in YAML 1.1: keep "06:30" as written
        if (node.tag == "tag:yaml.org,2002:int" and node.style is None
                and (zero := _LEADING_ZERO.match(node.value))
                and int(zero["digits"].replace("_", ""), 8)
                != int(zero["digits"].replace("_", ""), 10)):
            self._fail(node, path, f"{node.value} has a leading zero, which YAML 1.1 reads as "
                       f"an octal number ({self._scalar_loader.construct_object(node)}) and "
                       "YAML 1.2 as a decimal one",
                       allowed=f"the number without the leading zero ({zero['sign']}"
                       f"{zero['digits'].lstrip('0_') or '0'}), or a time of day quoted as "
                       '"HH:MM"')
        if node.tag == "tag:yaml.org,2002:int" and len(node.value) > MAX_INT_DIGITS:
            self._fail(node, path, f"an integer of {len(node.value)} characters",
                       allowed=f"at most {MAX_INT_DIGITS} digits")
        if node.tag == "tag:yaml.org,2002:timestamp":
            return node.value
        if (node.tag == "tag:yaml.org,2002:str" and node.style is None
                and _EXPONENT_FLOAT.match(node.value)):
            return float(node.value)
        try:
            return self._scalar_loader.construct_object(node, deep=True)
        except (ValueError, KeyError, yaml.YAMLError):  # e.g. "!!int abc", "!!map abc"
            short = node.tag.rsplit(":", 1)[-1]
            self._fail(node, path, f"{node.value!r} is not a valid !!{short} value",
                       allowed=f"a value of that type, or no '!!{short}' tag")


def format_path(path: Path_) -> str:
    """``("service", "lines", 0, "stations")`` → ``service.lines[0].stations``."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def read_yaml(path: Path, display_name: str | None = None) -> Located:
    """Read one YAML mapping safely, with locations. Raises ``ScenarioError``."""
    from railsim.errors import ScenarioError

    name = display_name or str(path)
    node = _parse(_read_text(path, name), name)
    converter = _Converter(name)
    try:
        data = converter.convert(node, ())
    except _YamlProblem as exc:
        raise ScenarioError([exc.problem]) from None
    except RecursionError:
        raise ScenarioError([_too_deep(name)]) from None
    if data is None:  # only document markers, or a lone "~"
        raise ScenarioError([_empty(name)])
    if not isinstance(data, dict):
        raise ScenarioError(
            [Problem(name, node.start_mark.line + 1, node.start_mark.column + 1, "",
                     "a scenario file must be a mapping of sections",
                     given=type(data).__name__)]
        )
    if not data:
        raise ScenarioError([_empty(name)])
    return Located(data, converter.locations)


def read_scalar(text: str) -> Any:
    """One value written as text (``railsim run --set KEY=VALUE``), read as a scenario file
    reads it: ``6:30`` stays a time, ``2e-5`` is a number, only the standard tags; an
    empty text is null. Raises ``ValueError`` saying why for a list or mapping (only a
    single value can be given this way) and for text that is not YAML.

    >>> read_scalar("6:30"), read_scalar("2e-5"), read_scalar("true"), read_scalar("")
    ('6:30', 2e-05, True, None)
    """
    only = ("only a single value can be set here (a number, text, true/false or a time "
            "such as 6:30); change lists and mappings in a scenario file, and quote text "
            "that starts with '[' or '{'")
    if text.strip()[:1] in ("[", "{"):
        raise ValueError(only)
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        if node is None:
            return None
        value = _Converter("<value>").convert(node, ())
    except yaml.MarkedYAMLError as exc:
        hint = _yaml_hint(f"{exc.problem} {exc.context or ''}")
        raise ValueError(f"not a YAML value: {exc.problem or exc.context}"
                         + (f" ({hint})" if hint else "")) from None
    except (yaml.YAMLError, RecursionError) as exc:
        raise ValueError(f"not a YAML value: {exc}") from None
    except _YamlProblem as exc:
        raise ValueError(exc.problem.message) from None
    if isinstance(value, list | dict):
        raise ValueError(only)
    return value


def file_kind(mode: int) -> str:
    """What a path that is not a regular file is, for a message (from ``st_mode``)."""
    for test, kind in ((stat.S_ISDIR, "a folder"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISFIFO, "a named pipe (FIFO)"),
                       (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return kind
    return "a regular file" if stat.S_ISREG(mode) else "a special file"


def not_regular(path: Path) -> str:
    """What ``path`` is when it exists but is no regular file ("a folder", "a named pipe
    (FIFO)", ...; links followed); "" for a regular file or nothing there."""
    try:
        mode = path.stat().st_mode
    except (OSError, ValueError):
        return ""
    return "" if stat.S_ISREG(mode) else file_kind(mode)


def _read_text(path: Path, name: str) -> str:
    """The file's text, or a ScenarioError saying why it cannot be read."""
    from railsim.errors import ScenarioError

    try:
        status = path.stat()
        if not stat.S_ISREG(status.st_mode):  # a FIFO would block, /dev/zero never end
            raise ScenarioError([Problem(name, 0, 0, "", "not a regular file",
                                         given=file_kind(status.st_mode),
                                         allowed="a YAML file")])
        size = status.st_size
        if size > MAX_FILE_BYTES:
            raise ScenarioError(
                [Problem(name, 0, 0, "", f"file is {size} bytes; scenario files may be at most "
                         f"{MAX_FILE_BYTES}")]
            )
        data = path.read_bytes()
    except (OSError, ValueError) as exc:  # ValueError: a NUL byte in the path
        raise ScenarioError([Problem(name, 0, 0, "", f"cannot read file: {os_reason(exc)}")]
                            ) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ScenarioError([_not_utf8(name, data, exc)]) from None
    # as reading in text mode would: every line ends in "\n" (Windows' "\r\n" too)
    return text.replace("\r\n", "\n").replace("\r", "\n")


_OTHER_ENCODINGS = ((b"\xff\xfe\x00\x00", "UTF-32"), (b"\x00\x00\xfe\xff", "UTF-32"),
                    (b"\xff\xfe", "UTF-16"), (b"\xfe\xff", "UTF-16"))
"""Byte order marks of the encodings an editor may save in when asked for "Unicode"."""


def _not_utf8(name: str, data: bytes, exc: UnicodeDecodeError) -> Problem:
    """Where a file stops being UTF-8 (line and column of the first bad byte), and the
    encoding it is in when its byte order mark says so."""
    allowed = "UTF-8 text (choose UTF-8 when saving)"
    for mark, encoding in _OTHER_ENCODINGS:
        if data.startswith(mark):
            return Problem(name, 1, 1, "", f"not UTF-8 text: the file is saved as {encoding} "
                           "(it starts with its byte order mark)", allowed=allowed)
    before = data[:exc.start]
    line = before.count(b"\n") + 1
    start = before.rfind(b"\n") + 1
    column = len(before[start:].decode("utf-8", errors="replace")) + 1
    return Problem(name, line, column, "", f"not UTF-8 text: byte 0x{data[exc.start]:02x} "
                   f"({exc.reason})", allowed=allowed,
                   hint="saved as Latin-1 or Windows-1252?")


def _parse(text: str, name: str) -> yaml.Node:
    """The YAML node tree of ``text`` (safe loader), or a located ScenarioError."""
    from railsim.errors import ScenarioError

    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except RecursionError:
        raise ScenarioError([_too_deep(name)]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        what = str(exc.problem or exc.context)
        context = str(exc.context or "")
        hint = _yaml_hint(f"{what} {context}")
        opened = _unclosed(exc, text)
        if opened is not None:  # the end of the file says nothing: show where it opened
            line, col, what, hint = opened
        elif line > len(text.splitlines()) and text.strip():  # past the end: the last line
            shown = text.rstrip().splitlines()
            line, col = len(shown), len(shown[-1]) + 1
        raise ScenarioError(
            [Problem(name, line, col, "", f"invalid YAML: {what}"
                     + (f" — {hint}" if hint else "") + _show_line(text, line, col))]
        ) from None
    except yaml.reader.ReaderError as exc:  # a control character: a position, no line
        before = text[:exc.position]
        line, col = before.count("\n") + 1, exc.position - (before.rfind("\n") + 1) + 1
        raise ScenarioError(
            [Problem(name, line, col, "", f"invalid YAML: unacceptable character "
                     f"#x{exc.character:04x}: {exc.reason}" + _show_line(text, line, col))]
        ) from None
    except yaml.YAMLError as exc:
        raise ScenarioError([Problem(name, 0, 0, "", f"invalid YAML: {exc}")]) from None
    if node is None:
        raise ScenarioError([_empty(name)])
    return node


_OPENERS = ("while parsing a flow sequence", "while parsing a flow mapping",
            "while scanning a quoted scalar")


def _unclosed(exc: yaml.MarkedYAMLError, text: str) -> tuple[int, int, str, str] | None:
    """``(line, column, message, hint)`` for a ``[``, ``{`` or quote left open: at the
    opening when the file ends first (YAML reports the end, a line past the text), at the
    problem with the opening named when something else comes instead of a ',' or the
    closing bracket; ``None`` for other errors."""
    mark, problem = exc.context_mark, str(exc.problem or "")
    if mark is None or exc.context not in _OPENERS:
        return None
    char = text[mark.index] if 0 <= mark.index < len(text) else ""
    if "<stream end>" in problem or "end of stream" in problem:
        closer = {"[": "']'", "{": "'}'"}.get(char, "closing quote")
        return (mark.line + 1, mark.column + 1,
                f"{char!r} opened here is not closed: the file ends before its {closer}", "")
    end = exc.problem_mark
    if end is None or "expected ','" not in problem:
        return None
    return (end.line + 1, end.column + 1, problem,
            f"a ',' is missing, or the {char!r} at line {mark.line + 1} column "
            f"{mark.column + 1} is not closed")


_YAML_HINTS = (
    ("'\\t'", "a tab: YAML is indented with spaces only"),
    ("block end", "check the indentation: keys of one mapping start in one column"),
    ("expected key", "check the indentation of this line and the one above"),
    ("mapping values are not allowed", "a space missing after ':' here or above, or an "
                                       "unquoted ': ' in a value"),
    ("could not find expected ':'", "a key needs ':' and a space before its value"),
    ("quoted scalar", "a quote is opened and not closed"),
    ("end of stream", "a '[', '{' or quote is not closed"),
    ("<stream end>", "a '[', '{' or quote is not closed"),
)


def _yaml_hint(text: str) -> str:
    """The likely cause of a YAML syntax error, for the common ones."""
    for needle, hint in _YAML_HINTS:
        if needle in text:
            return hint
    return ""


def _show_line(text: str, line: int, column: int) -> str:
    """The offending line with a caret under the column (empty when unknown)."""
    lines = text.splitlines()
    if not 1 <= line <= len(lines):
        return ""
    shown = lines[line - 1].replace("\t", "→")[:120]
    return f"\n    {line:>4} | {shown}\n         | {' ' * max(column - 1, 0)}^"


def _too_deep(name: str) -> Problem:
    return Problem(name, 0, 0, "", "nested too deeply; refusing to read it",
                   allowed=f"at most {MAX_DEPTH} levels")


def _empty(name: str) -> Problem:
    return Problem(name, 0, 0, "", "the document is empty (no keys): a blank or truncated "
                   "file is not a scenario", allowed="at least one key; write a do-minimum "
                   "explicitly, e.g. 'title: Do-minimum (bus only)'")


def os_reason(exc: BaseException) -> str:
    """The reason of an OS error for a message, e.g. "Permission denied"."""
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror[:1].lower() + exc.strerror[1:]
    if isinstance(exc, ValueError) and "null" in str(exc):
        return "the path contains a NUL byte"
    return str(exc) or type(exc).__name__
