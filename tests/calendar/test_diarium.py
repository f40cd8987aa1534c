"""The diarienummer pattern: the Swedish forms it writes, and the numbers typed in it accepts."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from arshjul.calendar.diarium import DiarienummerConfig, normalise
from arshjul.calendar.loader import load_config
from arshjul.settings import BUNDLED_CONFIG


@pytest.mark.parametrize(
    ("pattern", "year", "seq", "written"),
    [
        ("KS {year}/{seq}", 2026, 123, "KS 2026/123"),
        ("SBN-{year}-{seq:4}", 2026, 42, "SBN-2026-0042"),
        ("Dnr {seq}/{yy}", 2026, 7, "Dnr 7/26"),
        ("KS.{year}.{seq:3}", 2027, 1234, "KS.2027.1234"),  # padding is a minimum width
    ],
)
def test_the_pattern_writes_the_registrys_forms_and_reads_them_back(
    pattern: str, year: int, seq: int, written: str
) -> None:
    config = DiarienummerConfig(pattern=pattern)
    assert config.format(year, seq) == written
    assert config.accepts(written)
    assert config.year_and_seq(written) == (year, seq)


@pytest.mark.parametrize(
    ("pattern", "typed"),
    [
        ("KS {year}/{seq}", "KS 2026-123"),
        ("KS {year}/{seq}", "ks 2026/123"),
        ("KS {year}/{seq}", "KS 26/123"),
        ("KS {year}/{seq}", "KS 2026/"),
        ("SBN-{year}-{seq:4}", "SBN-2026-42"),
        ("SBN-{year}-{seq:4}", "SBN-2026-0042 x"),
    ],
)
def test_a_number_of_another_form_is_not_accepted(pattern: str, typed: str) -> None:
    assert not DiarienummerConfig(pattern=pattern).accepts(typed)


def test_accept_widens_what_may_be_typed_in_and_the_example_must_fit() -> None:
    config = DiarienummerConfig(pattern="KS {year}/{seq}", accept=r"KS \d{4}\.\d+")
    assert config.accepts("KS 2019.123") and config.accepts("KS 2026/5")
    assert config.year_and_seq("KS 2019.123") is None  # not the pattern's own form
    assert config.shown_example(2026) == "KS 2026/123"
    with pytest.raises(ValidationError, match="does not have the pattern's form"):
        DiarienummerConfig(pattern="KS {year}/{seq}", example="KS-2026-1")


@pytest.mark.parametrize(
    ("pattern", "words"),
    [
        ("KS {year}/{seq}/{seq}", "exactly one {seq}"),
        ("KS {seq}", "exactly one {year} or {yy}"),
        ("KS {year}{seq}", "nothing between them"),
        ("KS {year}/{seq:0}", "unknown placeholder"),
        ("KS } {year}/{seq}", "unbalanced brace"),
    ],
)
def test_a_malformed_pattern_is_refused_with_what_is_wrong(pattern: str, words: str) -> None:
    with pytest.raises(ValidationError, match=words):
        DiarienummerConfig(pattern=pattern)


def test_the_bundled_example_numbers_cases_as_ks_year_seq() -> None:
    pattern = load_config(BUNDLED_CONFIG).organisation.diarienummer
    assert pattern is not None and pattern.format(2026, 123) == "KS 2026/123"
    assert normalise("  KS   2026/123 ") == "KS 2026/123"
