"""The loader's issues in Swedish, for the ekonomichef's pages: the YAML and field checks and the
cross-reference checks (crossref.py, chains.py, municipal.py) word their findings in English for
the command line and the log; each known form of message has its Swedish sentence here."""

from __future__ import annotations

import re
from collections.abc import Callable

# What an id names, in Swedish, with the ending its gender gives "okän-": okänt organ, okänd roll.
WHAT_SV: dict[str, tuple[str, str]] = {
    "committee": ("organ", "t"),
    "unit": ("enhet", "d"),
    "role": ("roll", "d"),
    "report": ("rapport", "d"),
    "milestone": ("milstolpe", "d"),
    "unit or role": ("enhet eller roll", "d"),
    "committee or role": ("organ eller roll", "t"),
}


def _known(text: str | None) -> str:
    return f" (kända: {text})" if text and text != "none" else ""


# (pattern over the English message, its Swedish sentence); the first that matches is used.
_RULES: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    (re.compile(r"^required key is missing$"), lambda m: "obligatorisk uppgift saknas"),
    (
        re.compile(r"^unknown key \(not allowed here\)$"),
        lambda m: "okänd nyckel (hör inte hemma här)",
    ),
    (re.compile(r"^key '(.+)' appears twice$"), lambda m: f"nyckeln ”{m[1]}” står två gånger"),
    (re.compile(r"^YAML syntax error: (.+)$"), lambda m: f"YAML-syntaxfel ({m[1]})"),
    (
        re.compile(
            r"^unknown (committee|unit|role|report|milestone) '([^']*)'(?: \(known: (.*)\))?$"
        ),
        lambda m: f"okän{WHAT_SV[m[1]][1]} {WHAT_SV[m[1]][0]} ”{m[2]}”{_known(m[3])}",
    ),
    (
        re.compile(r"^duplicate (unit or role|committee or role|\w+) id '([^']*)'$"),
        lambda m: (
            f"id ”{m[2]}” används två gånger ({WHAT_SV.get(m[1], (m[1], ''))[0]}); "
            "varje id måste vara unikt"
        ),
    ),
    (
        re.compile(r"'([^']*)' appears twice in the chain"),
        lambda m: f"'{m[1]}' står två gånger i granskningskedjan: varje steg är ett annat organ",
    ),
    (
        re.compile(r"'([^']*)' is not a step of the chain$"),
        lambda m: f"'{m[1]}' är inget steg i granskningskedjan",
    ),
    (
        re.compile(r"'([^']*)' cannot forward to '([^']*)'"),
        lambda m: (
            f"'{m[1]}' kan inte lämna ärendet vidare till '{m[2]}': det är samma eller ett "
            "tidigare steg i kedjan"
        ),
    ),
    (
        re.compile(r"a step's meeting is that step's committee's$"),
        lambda m: "ett stegs sammanträde ska vara det stegets eget organs",
    ),
    (
        re.compile(r"this step's meeting is also given by review.meeting$"),
        lambda m: "stegets sammanträde anges också under review.meeting: ange det på ett ställe",
    ),
    (
        re.compile(r"code '([^']*)' already belongs to unit '([^']*)'$"),
        lambda m: f"koden '{m[1]}' hör redan till enheten '{m[2]}'",
    ),
    (
        re.compile(r"'([^']*)' is reserved for"),
        lambda m: f"'{m[1]}' är ett reserverat id: välj ett annat",
    ),
    (
        re.compile(r"nobody submits this report"),
        lambda m: "ingen lämnar rapporten: ange enheter och/eller roller under submitters",
    ),
    (re.compile(r"a month appears twice$"), lambda m: "en månad står två gånger"),
    (
        re.compile(r"(?:period )?month (\d+) is (?:given|overridden) twice$"),
        lambda m: f"månad {m[1]} står två gånger",
    ),
    (
        re.compile(r"month (\d+) is not between 1 and 12$"),
        lambda m: f"månad {m[1]} finns inte (1–12)",
    ),
    (
        re.compile(r"month (\d+) is not one of period_months$"),
        lambda m: f"månad {m[1]} är inte en av rapportens perioder (period_months)",
    ),
    (re.compile(r"must be 1 or more$"), lambda m: "ska vara 1 eller mer"),
    (
        re.compile(r"day (\d+) does not exist in month (\d+)$"),
        lambda m: f"dag {m[1]} finns inte i månad {m[2]}",
    ),
    (
        re.compile(r"'([^']*)' is not .* \(known: (.*)\)$"),
        lambda m: f"'{m[1]}' är inget datum att räkna från{_known(m[2])}",
    ),
    (
        re.compile(r"offset cycle: (.*)$"),
        lambda m: f"datumen räknas från varandra i en cirkel: {m[1].replace(' -> ', ' → ')}",
    ),
    (
        re.compile(r"due (\S+) comes before opens (\S+) for period (\S+)$"),
        lambda m: f"sista dag {m[1]} kommer före öppningsdagen {m[2]} för perioden {m[3]}",
    ),
    (
        re.compile(r"unknown time zone '([^']*)'$"),
        lambda m: f"tidszonen '{m[1]}' finns inte",
    ),
    (
        re.compile(r"^ambiguous:"),
        lambda m: (
            "tvetydigt: regeln ger samma datum varje år men gäller flera perioder; räkna "
            "från perioden eller ge varje period ett eget datum under period_overrides"
        ),
    ),
]


def issue_sv(message: str) -> str | None:
    """The Swedish sentence for one of the checks' English messages, None for an unknown form."""
    for pattern, sentence in _RULES:
        found = pattern.search(message)
        if found:
            return sentence(found)
    return None
