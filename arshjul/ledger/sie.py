"""A reader for SIE 4 files (also types 2 and 3): the period balances and budgets per object.

SIE ("Standard Import och Export", sie.se, filformat utgåva 4B) is line based: a label such as
`#PSALDO`, then fields separated by blanks; text in double quotes (`\\"` inside), an object list in
braces (`{1 "1100"}`: dimension 1, object 1100). The text is IBM PC 8-bit (CP437, `#FORMAT PC8`).
Only what the economic follow-up needs is read: #RAR (financial years), #PSALDO (outcome per
period), #PBUDGET (budget per period), and #PROGRAM / #GEN / #FNAMN to say where figures came from.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Literal

from arshjul.ledger.errors import WHOLE_FILE, LedgerError, Problem, Where

Kind = Literal["utfall", "budget"]
LABELS: dict[str, Kind] = {"#PSALDO": "utfall", "#PBUDGET": "budget"}
READ = frozenset({"#FORMAT", "#RAR", "#GEN", "#PROGRAM", "#FNAMN", *LABELS})
_AMOUNT = re.compile(r"^-?\d+(\.\d+)?$")
_PERIOD = re.compile(r"^(\d{4})(\d{2})$")
_DATE = re.compile(r"^\d{8}$")
# Swedish letters where Windows-1252/ISO 8859-1 puts them; in CP437 they are box drawings and
# Greek letters that never sit inside a word.
_LATIN1_LETTERS = frozenset(b"\xc4\xc5\xd6\xe4\xe5\xf6")


@dataclass(frozen=True)
class SieAmount:
    """One #PSALDO or #PBUDGET line."""

    line: int
    kind: Kind
    year_no: int
    period: str  # YYYY-MM
    account: str
    objects: tuple[tuple[str, str], ...]  # (dimension, object code)
    amount: Decimal  # kronor; costs positive, revenue negative


@dataclass
class SieFile:
    """What a SIE file says about itself and its period amounts."""

    program: str | None = None
    company: str | None = None
    generated: dt.date | None = None
    years: dict[int, tuple[dt.date, dt.date]] = field(default_factory=dict)
    amounts: list[SieAmount] = field(default_factory=list)


def split_fields(text: str) -> list[str]:
    """Splits a SIE line into fields: blanks separate, quotes and braces group."""
    fields: list[str] = []
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char in " \t":
            i += 1
            continue
        if char == '"':
            out, i = [], i + 1
            while i < n and text[i] != '"':
                if text[i] == "\\" and i + 1 < n:
                    i += 1
                out.append(text[i])
                i += 1
            fields.append("".join(out))
            i += 1
        elif char == "{":
            end = text.find("}", i)
            if end < 0:
                raise ValueError("an object list opened with { is not closed with }")
            fields.append(text[i : end + 1])
            i = end + 1
        else:
            start = i
            while i < n and text[i] not in " \t":
                i += 1
            fields.append(text[start:i])
    return fields


def parse_objects(token: str) -> tuple[tuple[str, str], ...]:
    """Reads an object list `{1 "1100" 6 "P12"}` into ((dimension, code), …)."""
    if not (token.startswith("{") and token.endswith("}")):
        raise ValueError(f"{token!r} is not an object list in braces")
    parts = split_fields(token[1:-1])
    if len(parts) % 2:
        raise ValueError(f"object list {token} has a dimension without an object")
    return tuple((parts[i], parts[i + 1]) for i in range(0, len(parts), 2))


def decode(data: bytes, file_name: str) -> str:
    """Decodes SIE bytes as CP437; refuses UTF-8 and Windows-1252 text with the line it is on."""
    if data.startswith(b"\xef\xbb\xbf"):
        raise LedgerError(file_name, [_encoding(Where.line(1), "UTF-8 (it starts with a BOM)")])
    try:
        as_utf8 = data.decode("utf-8")
    except UnicodeDecodeError:
        as_utf8 = None
    if as_utf8 is not None and not as_utf8.isascii():
        number, text = next(
            (i, line) for i, line in enumerate(as_utf8.splitlines(), 1) if not line.isascii()
        )
        raise LedgerError(file_name, [_encoding(Where.line(number), f"UTF-8 ({text.strip()!r})")])
    for number, raw in enumerate(data.splitlines(), 1):
        if any(
            b in _LATIN1_LETTERS and (raw[i - 1 : i].isalpha() or raw[i + 1 : i + 2].isalpha())
            for i, b in enumerate(raw)
        ):
            text = raw.decode("latin-1").strip()
            raise LedgerError(
                file_name, [_encoding(Where.line(number), f"Windows-1252/ISO 8859-1 ({text!r})")]
            )
    return data.decode("cp437")


def _encoding(where: Where, found: str) -> Problem:
    return Problem(
        where,
        f"the text is {found}, but SIE files are IBM PC 8-bit (CP437, #FORMAT PC8); "
        "export the file again as SIE from the ledger, unchanged",
        f"texten är kodad som {found.split(' (')[0]}, men en SIE-fil ska vara kodad som "
        "IBM PC 8-bit (CP437, #FORMAT PC8). Exportera filen på nytt från ekonomisystemet "
        "och öppna eller spara den inte i något annat program innan den läses in.",
    )


def _date(token: str) -> dt.date:
    if not _DATE.match(token):
        raise ValueError(f"{token!r} is not a date YYYYMMDD")
    return dt.date(int(token[:4]), int(token[4:6]), int(token[6:]))


def _period(token: str) -> str:
    found = _PERIOD.match(token)
    if not found or not 1 <= int(found[2]) <= 12:
        raise PeriodError(token)
    return f"{found[1]}-{found[2]}"


class PeriodError(ValueError):
    """A period field that names no month (202613, 2026-3)."""


def _amount_line(number: int, kind: Kind, fields: list[str]) -> SieAmount:
    if len(fields) < 6:
        raise ValueError("expected årsnr, period, konto, {objektlista} and saldo")
    year_no, period, account, objects, amount = fields[1:6]
    if not re.fullmatch(r"-?\d+", year_no):
        raise ValueError(f"årsnr {year_no!r} is not a number")
    if not _AMOUNT.match(amount):
        raise ValueError(f"amount {amount!r} is not a number such as -1234.50")
    try:
        value = Decimal(amount)
    except InvalidOperation as err:  # pragma: no cover - the pattern above admits only numbers
        raise ValueError(f"amount {amount!r} is not a number") from err
    return SieAmount(
        line=number,
        kind=kind,
        year_no=int(year_no),
        period=_period(period),
        account=account,
        objects=parse_objects(objects),
        amount=value,
    )


def parse(data: bytes, file_name: str) -> SieFile:
    """Reads a SIE file's header and period amounts; raises LedgerError with every bad line."""
    text = decode(data, file_name)
    sie = SieFile()
    problems: list[Problem] = []
    seen: dict[tuple[object, ...], int] = {}
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if not stripped.startswith("#"):
            continue
        label = stripped.split(None, 1)[0].upper()
        if label not in READ:
            continue  # verifications (#VER/#TRANS), accounts and the rest are not needed
        try:
            fields = split_fields(stripped)
            if label == "#FORMAT" and len(fields) > 1 and fields[1].upper() != "PC8":
                problems.append(
                    Problem(
                        Where.line(number),
                        f"#FORMAT {fields[1]} is not PC8 (CP437), the only format SIE allows",
                        f"#FORMAT {fields[1]} är inte PC8 (CP437), som SIE kräver.",
                    )
                )
            elif label == "#RAR" and len(fields) >= 4:
                sie.years[int(fields[1])] = (_date(fields[2]), _date(fields[3]))
            elif label == "#GEN" and len(fields) >= 2:
                sie.generated = _date(fields[1])
            elif label == "#PROGRAM" and len(fields) >= 2:
                sie.program = " ".join(fields[1:3])
            elif label == "#FNAMN" and len(fields) >= 2:
                sie.company = fields[1]
            elif label in LABELS:
                amount = _amount_line(number, LABELS[label], fields)
                key = (label, amount.year_no, amount.period, amount.account, amount.objects)
                if key in seen:
                    problems.append(_duplicate(number, seen[key], label, amount))
                else:
                    seen[key] = number
                    sie.amounts.append(amount)
        except PeriodError as err:
            problems.append(
                Problem(
                    Where.line(number),
                    f"period {err} does not exist (a period is YYYYMM, month 01-12)",
                    f"perioden {err} finns inte (en period skrivs ÅÅÅÅMM med månad 01–12).",
                )
            )
        except ValueError as err:
            problems.append(
                Problem(
                    Where.line(number),
                    f"cannot read {stripped[:60]!r}: {err}",
                    f"raden kan inte läsas ({stripped[:60]}): {err}.",
                )
            )
    problems += _outside_years(sie)
    if problems:
        raise LedgerError(file_name, sorted(problems, key=_line_of))
    if not sie.amounts:
        raise LedgerError(
            file_name,
            [
                Problem(
                    WHOLE_FILE,
                    "no #PSALDO or #PBUDGET lines: export SIE type 3 or 4 with period balances",
                    "filen har inga #PSALDO- eller #PBUDGET-rader. Exportera SIE typ 3 eller 4 "
                    "med periodsaldon.",
                )
            ],
        )
    return sie


def _line_of(problem: Problem) -> int:
    digits = re.search(r"\d+", problem.where.en)
    return int(digits[0]) if digits else 0


def _duplicate(number: int, first: int, label: str, amount: SieAmount) -> Problem:
    objects = " ".join(f"{d} {c}" for d, c in amount.objects) or "no object"
    return Problem(
        Where.line(number),
        f"{label} for period {amount.period}, account {amount.account}, {{{objects}}} "
        f"appears twice (first on line {first})",
        f"{label} för period {amount.period}, konto {amount.account}, {{{objects}}} "
        f"finns två gånger (första gången på rad {first}).",
    )


def _outside_years(sie: SieFile) -> list[Problem]:
    problems = []
    for amount in sie.amounts:
        year = sie.years.get(amount.year_no)
        if year is None:
            problems.append(
                Problem(
                    Where.line(amount.line),
                    f"årsnr {amount.year_no} has no #RAR line saying which financial year it is",
                    f"årsnr {amount.year_no} saknar en #RAR-rad som anger räkenskapsåret.",
                )
            )
            continue
        first, last = (f"{d:%Y-%m}" for d in year)
        if not first <= amount.period <= last:
            problems.append(
                Problem(
                    Where.line(amount.line),
                    f"period {amount.period} does not exist in financial year {amount.year_no} "
                    f"({first} to {last})",
                    f"perioden {amount.period} finns inte i räkenskapsår {amount.year_no} "
                    f"({first} – {last}).",
                )
            )
    return problems
