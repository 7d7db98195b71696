"""The one table of reader-facing texts (railsim.texts), used by the charts and the report."""

from __future__ import annotations

import string

import pytest

from railsim.texts import LANGS, TEXT, text


def _fields(template: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(template) if field}


def test_every_text_is_in_both_languages_with_the_same_blanks():
    for key, entry in TEXT.items():
        assert set(entry) == set(LANGS), key
        assert all(entry[lang].strip() for lang in LANGS), key
        assert _fields(entry["fi"]) == _fields(entry["en"]), key  # both say every number


def test_texts_are_filled_in():
    assert text("capex", "en", capex="91 M€") == "The investment would be about 91 M€."
    assert text("capex_title", "fi", total="91 M€") == "Investointi kohteittain (yhteensä 91 M€)"


def test_an_unknown_language_is_a_clear_error():
    with pytest.raises(ValueError, match="unknown language 'sv': railsim writes fi, en"):
        text("title", "sv")


def test_charts_and_report_read_the_same_table():
    import railsim.plot.finance
    import railsim.report.builder
    import railsim.report.facts

    assert railsim.plot.finance.text is text
    # The report and the report's charts read the same table through views of their own
    # shape (report.<key>, chart.<key>): no text is written anywhere else.
    import railsim.plot.labels
    import railsim.report.strings

    for lang in ("fi", "en"):
        for key, value in railsim.report.strings.TEXT[lang].items():
            assert TEXT[f"report.{key}"][lang] == value
    for key, entry in railsim.plot.labels.TEXT.items():
        assert TEXT[f"chart.{key}"] == entry
    assert railsim.report.builder.text is railsim.report.strings.text
