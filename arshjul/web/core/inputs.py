"""Bounded, clean input: reading a form within caps, text without control characters, due dates.

Every form of the web is read through `read_form`, and every free text through
`arshjul.text.clean_text` (a NUL byte is accepted by SQLite but refused by PostgreSQL, after
Temporal already took it).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from typing import Annotated

from fastapi import HTTPException, Request
from pydantic import AfterValidator, EmailStr, TypeAdapter, ValidationError
from starlette.datastructures import FormData
from temporalio.exceptions import ApplicationError

from arshjul.calendar.config import Person
from arshjul.swedish import month_sv
from arshjul.text import REFUSED_SV, clean_text, has_refused_characters
from arshjul.workflows.rules import require_later_due


class FormInputError(ValueError):
    """A posted form that cannot be taken as it is; `message_sv` says why (answered with 400)."""

    def __init__(self, message_sv: str) -> None:
        super().__init__(message_sv)
        self.message_sv = message_sv


# A form field of free text, cleaned before anything sees it: Annotated[CleanText, Form(...)].
CleanText = Annotated[str, AfterValidator(clean_text)]
_EMAIL = TypeAdapter(EmailStr)


def person_from_form(name: str, email: str, whose: str) -> tuple[Person | None, list[str]]:
    """A person typed into a form ("Chefens", "Ledamotens" …): the name's spaces tidied, the
    address checked; else None and what to correct, in Swedish."""
    problems = []
    tidy = " ".join(clean_text(name).split())
    if not tidy:
        problems.append(f"Skriv {whose.lower()} namn.")
    try:
        address = str(_EMAIL.validate_python(email.strip()))
    except ValidationError:
        problems.append(f"{whose} e-postadress: skriv en giltig adress, t.ex. namn@kommun.se.")
    if problems:
        return None, problems
    return Person(name=tidy, email=address), []


async def read_form(request: Request, *, max_fields: int, max_files: int) -> FormData:
    """Parses the request's form once, with these caps (Starlette keeps the first parse).

    More fields or files than allowed answer 400 before anything is stored.
    """
    try:
        return await request.form(max_fields=max_fields, max_files=max_files)
    except HTTPException:
        raise  # 413 from the body limit, 400 from Starlette's caps
    except BaseExceptionGroup as group:  # a middleware's task group wraps what `receive` raised
        found = group.subgroup(HTTPException)
        while isinstance(found, BaseExceptionGroup):
            found = found.exceptions[0]  # type: ignore[assignment]
        if found is None:
            raise
        raise found from group
    except Exception as err:  # python-multipart's parse errors
        raise HTTPException(400, f"form could not be read: {err}") from err


def refuse_control_characters(form: FormData, cleaned: Callable[[str], bool]) -> None:
    """Refuses a form whose names or values hold a control character (NUL, escape, …).

    Called for every form POST (with the CSRF check): PostgreSQL cannot store a NUL, and the
    rounds refuse the same characters (arshjul.text.has_refused_characters). Fields for which
    `cleaned(name)` is true are cleaned by their own reader instead (a pasted report keeps its
    text). Line breaks, form feeds and tabs are not refused.
    """
    for name, value in form.multi_items():
        if has_refused_characters(name):
            raise FormInputError(REFUSED_SV + " Inget har ändrats.")
        if isinstance(value, str) and not cleaned(name) and has_refused_characters(value):
            raise FormInputError(REFUSED_SV + " Inget har ändrats.")


def date_from_form(value: str) -> dt.date | None:
    """Reads a date typed into a form (spaces around it allowed); None when left empty.

    The one reader of every date field: raises ValueError for anything but ÅÅÅÅ-MM-DD.
    """
    text = value.strip()
    return dt.date.fromisoformat(text) if text else None


def due_from_form(value: str, today: dt.date) -> tuple[dt.date | None, str | None]:
    """Reads a new due date typed into a form: (date, None), or (None, the Swedish problem).

    The range is the round's own rule (after today, at most five years ahead), so the page
    refuses exactly what the workflow's validator would.
    """
    try:
        due = date_from_form(value)
    except ValueError:
        due = None
    if due is None:
        return None, "Ange det nya sista datumet som ÅÅÅÅ-MM-DD."
    try:
        require_later_due(due, today)
    except ApplicationError as err:
        detail = err.details[0] if err.details and isinstance(err.details[0], str) else None
        return None, detail or err.message
    return due, None


def period_choices(months: Iterable[int], today: dt.date) -> list[tuple[str, str]]:
    """Lists a period select's options, (YYYY-MM, "mars 2026"), for these months of this year
    and then last year, in the order the months are given."""
    months = list(months)
    return [
        (p, month_sv(p))
        for y in (today.year, today.year - 1)
        for p in (f"{y}-{m:02d}" for m in months)
    ]


# A path of this site and at most a plain query: no scheme, host, escapes, spaces or line breaks
# (a crafted `next` once put its own lines and link into a genuine login mail).
_SAFE_NEXT = re.compile(r"/(?!/)[A-Za-z0-9._~/-]{0,200}(\?[A-Za-z0-9._~=&-]{0,200})?")


def safe_next(value: str | None) -> str:
    """Reduces a redirect target to a path of this site; anything else becomes "/"."""
    return value if value and _SAFE_NEXT.fullmatch(value) else "/"
