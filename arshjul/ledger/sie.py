"""A reader for SIE 4 files (also types 2 and 3): the period balances and budgets per object.

SIE ("Standard Import och Export", sie.se, filformat utgåva 4B) is line based: a label such as
`#PSALDO`, then fields separated by blanks; text in double quotes (`\\"` inside), an object list in
braces (`{1 "1100"}`: dimension 1, object 1100). The text is IBM PC 8-bit (CP437, `#FORMAT PC8`).
Only what the economic follow-up needs is read: #RAR (financial years), #PSALDO (outcome per
period), #PBUDGET (budget per period), and #PROGRAM / #GEN / #FNAMN to say where figures came from.

Programs do not all write what the standard says, and a file is judged on what is read:
- the encoding on the lines read (Visma Bokföring writes its #FNR folder path in Windows-1252 and
  everything else in CP437; the path is never read, so it does not matter);
- a problem on a line of a financial year (årsnr) is kept with that year, and only the year
  imported makes it fatal: Avendo and SmallOffice write the next year's budget under årsnr -1
  with periods outside that year's #RAR.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Literal

from arshjul.ledger.errors import WHOLE_FILE, LedgerError, Problem, Where, line_order

Kind = Literal["utfall", "budget"]
LABELS: dict[str, Kind] = {"#PSALDO": "utfall", "#PBUDGET": "budget"}
READ = frozenset({"#FORMAT", "#RAR", "#GEN", "#PROGRAM", "#FNAMN", *LABELS})
_AMOUNT = re.compile(r"^-?\d+(\.\d+)?$")
_USUAL_AMOUNT = re.compile(r"(#\w+)\s+(-?\d+)\s+(\d+)\s+(\w+)\s+(\{[^}\\]*\})\s+(-?[\d.]+)(?:\s|$)")
_PERIOD = re.compile(r"^(\d{4})(\d{2})$")
_DATE = re.compile(r"^\d{8}$")
_YEAR_NO = re.compile(r"^#\w+\s+(-?\d+)(?:\s|$)")  # the årsnr of a #PSALDO or #PBUDGET line
# Swedish letters where Windows-1252/ISO 8859-1 puts them, beside a letter; in CP437 those bytes
# are box drawings and Greek letters that never sit inside a word.
_LATIN1_WORD = re.compile(rb"[A-Za-z][\xc4\xc5\xd6\xe4\xe5\xf6]|[\xc4\xc5\xd6\xe4\xe5\xf6][A-Za-z]")


@dataclass(frozen=True, slots=True)
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
    # Problems on lines of one financial year (årsnr): fatal only when that year is imported.
    year_problems: dict[int, list[Problem]] = field(default_factory=dict)

    def problems_in(self, year_no: int) -> list[Problem]:
        """The problems on lines of financial year `year_no`, in line order."""
        return sorted(self.year_problems.get(year_no, []), key=line_order)

    def problems_outside(self, year_no: int) -> list[Problem]:
        """The problems on lines of every other financial year, in line order."""
        found = [p for n, ps in self.year_problems.items() if n != year_no for p in ps]
        return sorted(found, key=line_order)


# A field: a quoted text (\" inside), an object list in braces, or a run of non-blanks.
_FIELD = re.compile(r'"((?:[^"\\]|\\.)*)"|(\{[^}]*\})|([^\s"{]+)|(\{)')
_ESCAPE = re.compile(r"\\(.)")


def split_fields(text: str) -> list[str]:
    """Splits a SIE line into fields: blanks separate, quotes and braces group."""
    fields = []
    for quoted, braces, plain, unclosed in _FIELD.findall(text):
        if unclosed:
            raise ValueError("an object list opened with { is not closed with }")
        if plain:
            fields.append(plain)
        elif braces:
            fields.append(braces)
        else:
            fields.append(_ESCAPE.sub(r"\1", quoted) if "\\" in quoted else quoted)
    return fields


@functools.lru_cache(maxsize=65536)
def parse_objects(token: str) -> tuple[tuple[str, str], ...]:
    """Reads an object list `{1 "1100" 6 "P12"}` into ((dimension, code), …)."""
    if not (token.startswith("{") and token.endswith("}")):
        raise ValueError(f"{token!r} is not an object list in braces")
    parts = split_fields(token[1:-1])
    if len(parts) % 2:
        raise ValueError(f"object list {token} has a dimension without an object")
    return tuple((parts[i], parts[i + 1]) for i in range(0, len(parts), 2))


def decode(data: bytes, file_name: str) -> str:
    """Decodes SIE bytes as CP437 (every byte is a character there); refuses a UTF-8 BOM.

    Whether the lines that are read really are CP437 is judged line by line (`misencoded`).
    """
    if data.startswith(b"\xef\xbb\xbf"):
        raise LedgerError(file_name, [_encoding(Where.line(1), "UTF-8 (it starts with a BOM)")])
    return data.decode("cp437")


def misencoded(line: str) -> str | None:
    """Names the encoding of a line (decoded as CP437) whose bytes are UTF-8 or Windows-1252 text.

    Returns None for ASCII and for CP437 text. In CP437 the Swedish letters are bytes that UTF-8
    only allows after a lead byte, and the bytes Windows-1252 uses for them are box drawings and
    Greek letters that never sit inside a word.
    """
    if line.isascii():
        return None
    raw = line.encode("cp437")
    try:
        as_utf8 = raw.decode("utf-8")
    except UnicodeDecodeError:
        as_utf8 = None
    if as_utf8 is not None:
        return f"UTF-8 ({as_utf8!r})"
    if _LATIN1_WORD.search(raw):
        return f"Windows-1252/ISO 8859-1 ({raw.decode('latin-1')!r})"
    return None


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


@functools.lru_cache(maxsize=4096)
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
    if not year_no.lstrip("-").isdigit():
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


def _lines(text: str) -> Iterator[str]:
    # Line by line without a list of all lines (or a second copy of the text): a year's SIE 4
    # file has hundreds of thousands.
    start, end = 0, len(text)
    while start < end:
        stop = text.find("\n", start)
        if stop < 0:
            stop = end
        yield text[start:stop]
        start = stop + 1


def _year_list(sie: SieFile, year_no: int) -> list[Problem]:
    return sie.year_problems.setdefault(year_no, [])


def parse(data: bytes, file_name: str) -> SieFile:
    """Reads a SIE file's header and period amounts.

    Raises LedgerError with every bad line that matters whatever year is imported (encoding,
    format, headers); a bad line of one financial year is kept in `year_problems` for the caller,
    who knows which year it imports.
    """
    text = decode(data, file_name)
    sie = SieFile()
    problems: list[Problem] = []  # fatal whatever year is imported
    seen: dict[tuple[object, ...], int] = {}
    for number, line in enumerate(_lines(text), 1):
        stripped = line.strip()
        if not stripped.startswith("#"):
            continue
        label = stripped.split(None, 1)[0].upper()
        if label not in READ:
            continue  # verifications (#VER/#TRANS), accounts and the rest are not needed
        encoding = misencoded(stripped)
        if encoding is not None:
            problems.append(_encoding(Where.line(number), encoding))
            continue
        # A bad #RAR line stays fatal: without it no year can be told apart.
        year_of_line = _YEAR_NO.match(stripped) if label in LABELS else None
        found = problems if year_of_line is None else _year_list(sie, int(year_of_line[1]))
        try:
            # Most lines are amounts in the usual shape: one match instead of a field scan.
            usual = _USUAL_AMOUNT.match(stripped) if label in LABELS else None
            fields = list(usual.groups()) if usual else split_fields(stripped)
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
                if key not in seen:
                    seen[key] = number
                    sie.amounts.append(amount)
                elif (pair := _split_combination(sie.amounts, amount)) is not None:
                    # Mamut writes a combination as one line per object, the same amount on
                    # consecutive lines; an object then recurs. Read as the combination it is.
                    del seen[(label, *_key(sie.amounts[-1]))]
                    seen[(label, *_key(pair))] = number
                    sie.amounts[-1] = pair
                else:
                    found.append(_duplicate(number, seen[key], label, amount))
        except PeriodError as err:
            found.append(
                Problem(
                    Where.line(number),
                    f"period {err} does not exist (a period is YYYYMM, month 01-12)",
                    f"perioden {err} finns inte (en period skrivs ÅÅÅÅMM med månad 01–12).",
                )
            )
        except ValueError as err:
            found.append(
                Problem(
                    Where.line(number),
                    f"cannot read {stripped[:60]!r}: {err}",
                    f"raden kan inte läsas ({stripped[:60]}): {err}.",
                )
            )
    for year_no, problem in _outside_years(sie):
        _year_list(sie, year_no).append(problem)
    if problems:
        raise LedgerError(file_name, sorted(problems, key=line_order))
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


def _key(amount: SieAmount) -> tuple[object, ...]:
    return (amount.year_no, amount.period, amount.account, amount.objects)


def _split_combination(amounts: list[SieAmount], amount: SieAmount) -> SieAmount | None:
    """The combination a recurring one-object line forms with the line just before it, when
    that line has the same kind, year, period, account and amount and one object of another
    dimension (Mamut's SIE 3); None for any other repeated line, which stays an error."""
    if not amounts or len(amount.objects) != 1:
        return None
    before = amounts[-1]
    if (
        len(before.objects) != 1
        or before.line != amount.line - 1
        or before.kind != amount.kind
        or _key(before)[:3] != _key(amount)[:3]
        or before.amount != amount.amount
        or before.objects[0][0] == amount.objects[0][0]
    ):
        return None
    return SieAmount(
        line=before.line,
        kind=amount.kind,
        year_no=amount.year_no,
        period=amount.period,
        account=amount.account,
        objects=(*before.objects, *amount.objects),
        amount=amount.amount,
    )


def _duplicate(number: int, first: int, label: str, amount: SieAmount) -> Problem:
    objects = " ".join(f"{d} {c}" for d, c in amount.objects) or "no object"
    return Problem(
        Where.line(number),
        f"{label} for period {amount.period}, account {amount.account}, {{{objects}}} "
        f"appears twice (first on line {first})",
        f"{label} för period {amount.period}, konto {amount.account}, {{{objects}}} "
        f"finns två gånger (första gången på rad {first}).",
    )


def _outside_years(sie: SieFile) -> list[tuple[int, Problem]]:
    bounds = {n: (f"{a:%Y-%m}", f"{b:%Y-%m}") for n, (a, b) in sie.years.items()}
    problems = []
    for amount in sie.amounts:
        year = bounds.get(amount.year_no)
        if year is None:
            problems.append(
                (
                    amount.year_no,
                    Problem(
                        Where.line(amount.line),
                        f"årsnr {amount.year_no} has no #RAR line saying which financial year "
                        "it is",
                        f"årsnr {amount.year_no} saknar en #RAR-rad som anger räkenskapsåret.",
                    ),
                )
            )
            continue
        first, last = year
        if not first <= amount.period <= last:
            problems.append(
                (
                    amount.year_no,
                    Problem(
                        Where.line(amount.line),
                        f"period {amount.period} does not exist in financial year "
                        f"{amount.year_no} ({first} to {last})",
                        f"perioden {amount.period} finns inte i räkenskapsår {amount.year_no} "
                        f"({first} – {last}).",
                    ),
                )
            )
    return problems
