"""Safe YAML reading with locations."""

from __future__ import annotations

import pytest

from railsim.config.yamlio import MAX_NODES, format_path, read_yaml
from railsim.errors import ScenarioError


def test_locations_point_at_keys(write):
    path = write("a.yaml", "service:\n  lines:\n    - id: R1\n      stations: [LH, OM]\n")
    doc = read_yaml(path)
    assert doc.data == {"service": {"lines": [{"id": "R1", "stations": ["LH", "OM"]}]}}
    loc = doc.locations[("service", "lines", 0, "stations")]
    assert (loc.line, loc.column) == (4, 7)
    assert doc.where(("service", "lines", 0, "stations", 5, "x")).line == 4


def test_clock_times_stay_strings(write):
    # YAML 1.1 would read 06:30 as the sexagesimal integer 390.
    doc = read_yaml(write("a.yaml", "t: 06:30\nu: 1:05:00\nn: 7\n"))
    assert doc.data == {"t": "06:30", "u": "1:05:00", "n": 7}


def test_duplicate_key_is_an_error(write):
    with pytest.raises(ScenarioError) as info:
        read_yaml(write("a.yaml", "name: x\nname: y\n"))
    problem = info.value.problems[0]
    assert "duplicate key 'name'" in problem.message
    assert problem.line == 2


@pytest.mark.parametrize(
    "text",
    [
        "x: !!python/object/apply:os.system ['echo hi']\n",
        "x: !!python/name:os.system\n",
        "x: !custom 3\n",
    ],
)
def test_object_tags_are_refused(write, text):
    with pytest.raises(ScenarioError) as info:
        read_yaml(write("a.yaml", text))
    assert "is not allowed" in str(info.value)


def test_alias_bomb_is_refused(write):
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 8):
        refs = ", ".join([f"*a{i - 1}"] * 10)
        lines.append(f"a{i}: &a{i} [{refs}]")
    with pytest.raises(ScenarioError) as info:
        read_yaml(write("bomb.yaml", "\n".join(lines) + "\n"))
    assert f"more than {MAX_NODES}" in str(info.value)


def test_invalid_yaml_names_line(write):
    with pytest.raises(ScenarioError) as info:
        read_yaml(write("a.yaml", "a: [1, 2\nb: 3\n"))
    problem = info.value.problems[0]
    assert problem.message.startswith("invalid YAML")
    assert problem.line >= 1


def test_top_level_must_be_mapping(write):
    with pytest.raises(ScenarioError, match="must be a mapping"):
        read_yaml(write("a.yaml", "- 1\n- 2\n"))


def test_merge_keys_refused(write):
    with pytest.raises(ScenarioError, match="merge keys"):
        read_yaml(write("a.yaml", "base: &b {x: 1}\nother:\n  <<: *b\n"))


@pytest.mark.parametrize("text", ["", "# nothing\n", "---\n...\n", "{}\n", "\n\n"])
def test_a_document_without_keys_is_refused(write, text):
    # a blank or truncated save must not become a plausible do-minimum result
    with pytest.raises(ScenarioError) as info:
        read_yaml(write("a.yaml", text))
    assert "the document is empty" in str(info.value)
    assert "do-minimum" in info.value.problems[0].allowed


@pytest.mark.parametrize(("text", "message"), [
    ("title: " + "[" * 600 + "]" * 600 + "\n", "nested"),
    ("a: " + "{b: " * 60 + "1" + "}" * 60 + "\n", "nested more than 50 levels"),
    ("seed: 1" + "0" * 5000 + "\n", "an integer of 5001 characters"),
])
def test_deep_nesting_and_long_integers_are_refused(write, text, message):
    with pytest.raises(ScenarioError) as info:
        read_yaml(write("a.yaml", text))
    assert message in str(info.value)
    assert len(str(info.value)) < 1000


def test_exponent_floats_are_numbers_as_in_yaml_1_2(write):
    doc = read_yaml(write("a.yaml", "a: 2e-5\nb: 1E6\nc: '3e2'\nd: e5\ne: 1.5e+3\n"))
    assert doc.data == {"a": 2e-5, "b": 1e6, "c": "3e2", "d": "e5", "e": 1500.0}


@pytest.mark.parametrize(("text", "octal", "decimal"), [
    ("level_crossings_upgraded: 010\n", "(8)", "(10)"),
    ("first_departure: 0630\n", "(408)", "(630)"),
    ("seed: -017\n", "(-15)", "(-17)"),
])
def test_an_integer_yaml_1_1_reads_as_octal_is_refused_at_its_line(write, text, octal, decimal):
    """PyYAML read 010 as 8 and 0630 as 408 without a word (YAML 1.2 reads them as 10 and
    630): a planner's "010" level crossings became 8."""
    from railsim.config.yamlio import read_scalar

    with pytest.raises(ScenarioError) as info:
        read_yaml(write("a.yaml", "title: t\n" + text))
    (problem,) = info.value.problems
    assert (problem.line, problem.field) == (2, text.split(":")[0])
    assert f"leading zero, which YAML 1.1 reads as an octal number {octal}" in problem.message
    assert f"without the leading zero {decimal}" in problem.allowed
    with pytest.raises(ValueError, match="leading zero"):
        read_scalar(text.split(": ")[1].strip())
    # the same value either way is no question, and neither is a quoted text
    assert read_yaml(write("b.yaml", "a: 07\nb: 0\nc: '010'\nd: 0x1F\n")).data == {
        "a": 7, "b": 0, "c": "010", "d": 31}


def test_format_path():
    assert format_path(("service", "lines", 0, "stations", 2)) == "service.lines[0].stations[2]"
    assert format_path(()) == ""


@pytest.mark.parametrize(("text", "hint", "shown"), [
    ("title: x\nservice:\n  lines:\n    - id: R1\n     stations: [LH]\n", "indentation",
     "5 |      stations: [LH]"),
    ("title: x\nservice:\n\tlines: []\n", "a tab", "3 | →lines: []"),
    ("title: x\nsimulation:\n  seed:1\n  replications: 3\n", "space missing after ':'",
     "4 |   replications: 3"),
    ('title: "x\nsimulation: {}\n', "not closed", ""),
])
def test_yaml_syntax_errors_say_the_likely_cause_and_show_the_line(write, text, hint, shown):
    from railsim.config.yamlio import read_yaml
    from railsim.errors import ScenarioError

    with pytest.raises(ScenarioError) as info:
        read_yaml(write("bad.yaml", text))
    message = info.value.problems[0].message
    assert hint in message and shown in message, message
    if shown:
        assert message.splitlines()[-1].strip().endswith("^")


def test_a_base_with_the_other_suffix_is_suggested(write):
    from railsim.config.compose import compose
    from railsim.errors import ScenarioError

    write("_base.yml", "title: base\n")
    child = write("child.yaml", "extends: _base.yaml\n")
    with pytest.raises(ScenarioError) as info:
        compose(child)
    assert info.value.problems[0].hint == "did you mean '_base.yml'?"


@pytest.mark.parametrize(("text", "line", "column", "says", "shown"), [
    ("title: [unclosed", 1, 8, "'[' opened here is not closed", "1 | title: [unclosed"),
    ("title: [unclosed\n", 1, 8, "'[' opened here is not closed", "1 | title: [unclosed"),
    ("title: x\nservice: {lines: [],\n\n", 2, 21, "'[', '{' or quote is not closed",
     "2 | service: {lines: [],"),
    ('title: x\nname: "x\n', 2, 7, "'\"' opened here is not closed", '2 | name: "x'),
    ("title: [a,\n  b\nname: x\n", 3, 5, "the '[' at line 1 column 8 is not closed",
     "3 | name: x"),
])
def test_an_unclosed_bracket_or_quote_is_shown_where_it_opens(write, text, line, column,
                                                             says, shown):
    with pytest.raises(ScenarioError) as info:
        read_yaml(write("bad.yaml", text))
    (problem,) = info.value.problems
    assert (problem.line, problem.column) == (line, column)
    assert says in problem.message and shown in problem.message, problem.message
    caret = problem.message.splitlines()[-1]
    assert caret.index("^") == problem.message.splitlines()[-2].index("|") + column + 1


@pytest.mark.parametrize(
    ("text", "tag"),
    [
        ("x: !!int abc\n", "int"),
        ("x: !!float abc\n", "float"),
        ("x: !!bool abc\n", "bool"),
        ("x: !!map abc\n", "map"),
        ("x: !!seq abc\n", "seq"),
    ],
)
def test_standard_tag_with_a_value_it_cannot_have_is_a_located_error(write, text, tag):
    # An explicit standard tag on a value it does not fit raised ValueError/KeyError/
    # ConstructorError out of the reader: a traceback instead of file:line:column.
    with pytest.raises(ScenarioError) as info:
        read_yaml(write("a.yaml", text))
    problem = info.value.problems[0]
    assert (problem.line, problem.column, problem.field) == (1, 4, "x")
    assert f"!!{tag}" in problem.message


def test_standard_tag_misfit_in_a_set_value_is_a_value_error():
    from railsim.config.yamlio import read_scalar

    with pytest.raises(ValueError, match="!!int"):
        read_scalar("!!int abc")


def test_a_raw_control_character_is_located(write):
    # PyYAML's reader reports a character position only; the message named no line.
    path = write("a.yaml", "title: ok\nname: x\x01y\n")
    with pytest.raises(ScenarioError) as info:
        read_yaml(path)
    problem = info.value.problems[0]
    assert (problem.line, problem.column) == (2, 8), str(info.value)
    assert "#x0001" in problem.message and "position" not in problem.message


@pytest.mark.parametrize(("content", "line", "column", "says"), [
    # an editor's "Unicode" (UTF-16, UTF-32): the message said "invalid start byte" only
    ("title: x\n".encode("utf-16"), 1, 1, "saved as UTF-16"),
    ("title: x\n".encode("utf-32"), 1, 1, "saved as UTF-32"),
    # a Latin-1 or Windows-1252 save: the message named no line
    (b"title: x\n# caf\xe9\nname: y\n", 2, 6, "byte 0xe9 (invalid continuation byte)"),
    (b"title: x\r\nname: \xff\r\n", 2, 7, "byte 0xff (invalid start byte)"),
    (b"title: x\nname: a\x00b\n", 2, 8, "unacceptable character #x0000"),
])
def test_bytes_that_are_not_utf8_text_are_located(tmp_path, content, line, column, says):
    path = tmp_path / "a.yaml"
    path.write_bytes(content)
    with pytest.raises(ScenarioError) as info:
        read_yaml(path)
    problem = info.value.problems[0]
    assert says in problem.message, str(info.value)
    assert (problem.line, problem.column) == (line, column), str(info.value)
    assert "\n" not in str(info.value) or "unacceptable" in says  # one line (NUL: shown)


@pytest.mark.parametrize("content", [
    b"\xef\xbb\xbftitle: x\nname: y\nseed: 1\n",  # a UTF-8 byte order mark (Notepad)
    b"title: x\r\nname: y\r\nseed: 1\r\n",  # Windows line ends
    b"title: x\rname: y\rseed: 1\r",  # classic Mac line ends
])
def test_a_byte_order_mark_and_any_line_ends_read_with_the_right_lines(tmp_path, content):
    path = tmp_path / "a.yaml"
    path.write_bytes(content)
    doc = read_yaml(path)
    assert doc.data == {"title": "x", "name": "y", "seed": 1}
    assert doc.locations[("seed",)].line == 3
