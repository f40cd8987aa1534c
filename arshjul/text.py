"""Free text made safe for documents: the control characters that Word and PDF files cannot hold.

Text pasted from a PDF or a Word document can carry a form feed (page break), a vertical tab
(Word's line break) or other control characters. XML 1.0, and so DOCX, refuses them ("All strings
must be XML compatible"); PostgreSQL refuses NUL. Stored submissions may hold them already, so
every document renderer cleans what it reads, whatever the form did.
"""

from __future__ import annotations

import re
from typing import Any

# Breaks that people meant as a new line or paragraph: kept as a line break.
_BREAKS = re.compile("\r\n|[\r\f\v\x1c\x1d\x1e\x85\u2028\u2029]")
# Everything else XML 1.0 cannot hold (tab and newline are fine), C1 controls, and the
# non-characters U+FFFE/U+FFFF; lone surrogates come from broken clipboard data.
_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def clean_text(value: str) -> str:
    """Returns the text with breaks as newlines and every other control character removed."""
    return _INVALID.sub("", _BREAKS.sub("\n", value))


def has_control_characters(value: str) -> bool:
    """Tells whether the text holds anything clean_text would change."""
    return clean_text(value) != value


def has_refused_characters(value: str) -> bool:
    """Tells whether the text holds a control character that is not a line break (e.g. NUL).

    The one check of what a form field or an update's text may not hold: the web refuses it with
    REFUSED_SV and the round's validators refuse it with the same sentence.
    """
    return _INVALID.search(_BREAKS.sub("\n", value)) is not None


# What a person reads when a field holds such a character.
REFUSED_SV = "Texten innehåller otillåtna tecken (styrtecken). Skriv om den och försök igen."


def clean_strings(value: Any) -> Any:
    """Cleans every string inside nested dicts, lists and tuples (e.g. a model_dump())."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {clean_strings(k): clean_strings(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(clean_strings(v) for v in value)
    return value
