"""The kommun's diarienummer: the pattern its registry writes numbers in, and reading one back.

A pattern is literal text with placeholders: `{year}` (2026), `{yy}` (26), `{seq}` (the year's
running number, 123) or `{seq:4}` (zero-padded to four digits, 0042). "KS {year}/{seq}" gives
"KS 2026/123", "SBN-{year}-{seq:4}" gives "SBN-2026-0042". Pure: no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from pydantic import Field, field_validator, model_validator

from arshjul.calendar.strict import Strict

MAX_LENGTH = 60  # a diarienummer as the store keeps it
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_SEQ_WIDTH = re.compile(r"^seq:(\d)$")
_KNOWN = "{year}, {yy}, {seq} or {seq:N}"


@dataclass(frozen=True)
class _Part:
    kind: str  # "text" | "year" | "yy" | "seq"
    value: str = ""  # the literal text
    width: int = 0  # zero padding of {seq:N}


def parse_pattern(pattern: str) -> list[_Part]:
    """Splits a pattern into literal text and placeholders; raises ValueError naming the fault."""
    parts: list[_Part] = []
    at = 0
    for found in _PLACEHOLDER.finditer(pattern):
        literal = pattern[at : found.start()]
        if "{" in literal or "}" in literal:
            raise ValueError(f"unbalanced brace in {pattern!r}; placeholders are {_KNOWN}")
        if literal:
            parts.append(_Part("text", literal))
        elif parts:
            raise ValueError(
                f"{pattern!r} has two placeholders with nothing between them; put a separator "
                "such as '/' or '-' between them"
            )
        name = found[1].strip()
        width = _SEQ_WIDTH.match(name)
        if name in ("year", "yy", "seq"):
            parts.append(_Part(name))
        elif width and 1 <= int(width[1]) <= 9:
            parts.append(_Part("seq", width=int(width[1])))
        else:
            raise ValueError(f"unknown placeholder {{{found[1]}}} in {pattern!r}; use {_KNOWN}")
        at = found.end()
    tail = pattern[at:]
    if "{" in tail or "}" in tail:
        raise ValueError(f"unbalanced brace in {pattern!r}; placeholders are {_KNOWN}")
    if tail:
        parts.append(_Part("text", tail))
    kinds = [p.kind for p in parts]
    if kinds.count("seq") != 1:
        raise ValueError(f"{pattern!r} needs exactly one {{seq}} (the year's running number)")
    if kinds.count("year") + kinds.count("yy") != 1:
        raise ValueError(f"{pattern!r} needs exactly one {{year}} or {{yy}}")
    return parts


def _regex(parts: list[_Part]) -> str:
    out = []
    for p in parts:
        if p.kind == "text":
            out.append(re.escape(p.value))
        elif p.kind == "year":
            out.append(r"(?P<year>\d{4})")
        elif p.kind == "yy":
            out.append(r"(?P<yy>\d{2})")
        else:
            out.append(rf"(?P<seq>\d{{{max(p.width, 1)},}})")
    return "".join(out)


class DiarienummerConfig(Strict):
    """How the kommun writes a case's diarienummer, for assigning one and checking one typed in."""

    # e.g. "KS {year}/{seq}" or "SBN-{year}-{seq:4}"
    pattern: str = Field(min_length=1, max_length=40)
    # A regular expression a typed-in number must match in full, when it differs from what the
    # pattern gives (older numbers, "KS 2019.123"); default: the pattern's own.
    accept: str | None = Field(None, min_length=1, max_length=200)
    # Shown beside the field as the number's form ("KS 2026/123"); default: a number from the
    # pattern.
    example: str | None = Field(None, min_length=1, max_length=MAX_LENGTH)

    @field_validator("pattern")
    @classmethod
    def _pattern(cls, value: str) -> str:
        parse_pattern(value)
        return value

    @field_validator("accept")
    @classmethod
    def _accept(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                re.compile(value)
            except re.error as exc:
                raise ValueError(f"accept is not a regular expression: {exc}") from exc
        return value

    @model_validator(mode="after")
    def _example_accepted(self) -> DiarienummerConfig:
        if self.example is not None and not self.accepts(self.example):
            raise ValueError(f"example {self.example!r} does not have the pattern's form")
        return self

    @cached_property
    def _parts(self) -> list[_Part]:
        return parse_pattern(self.pattern)

    @cached_property
    def _own(self) -> re.Pattern[str]:
        return re.compile(_regex(self._parts))

    def format(self, year: int, seq: int) -> str:
        """The number the pattern gives for the year's `seq`th case."""
        out = []
        for p in self._parts:
            if p.kind == "text":
                out.append(p.value)
            elif p.kind == "year":
                out.append(f"{year:04d}")
            elif p.kind == "yy":
                out.append(f"{year % 100:02d}")
            else:
                out.append(f"{seq:0{p.width}d}" if p.width else str(seq))
        return "".join(out)

    def shown_example(self, year: int) -> str:
        """The number's form as the page shows it beside the field."""
        return self.example or self.format(year, 123)

    def accepts(self, number: str) -> bool:
        """Tells whether a typed-in number has the kommun's form."""
        if self.accept is not None and re.fullmatch(self.accept, number):
            return True
        return self._own.fullmatch(number) is not None

    def year_and_seq(self, number: str, century: int = 2000) -> tuple[int, int] | None:
        """The (year, running number) of a number in the pattern's form, else None."""
        found = self._own.fullmatch(number)
        if found is None:
            return None
        groups = found.groupdict()
        year = int(groups["year"]) if groups.get("year") else century + int(groups["yy"])
        return year, int(groups["seq"])


def normalise(number: str) -> str:
    """A typed-in number as kept: surrounding space dropped, inner runs of space made one."""
    return " ".join(number.split())
