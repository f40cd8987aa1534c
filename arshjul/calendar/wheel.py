"""The årshjul as a picture: an SVG circle of twelve months with reports, meetings and milestones.

Pure: takes the year's entries and the states to colour by, returns SVG text (no clock, no I/O).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable, Mapping
from html import escape

from arshjul.calendar.expand import CalendarEntry
from arshjul.models import status
from arshjul.swedish import MONTHS_SV, date_sv

SIZE = 640
CENTRE = SIZE / 2
R_OUTER = 300
R_MONTHS = 262  # inner edge of the month ring
RINGS = {"milestone": 236, "meeting": 206, "due": 170}
# Colours chosen for at least 3:1 contrast against white (WCAG 2.1 non-text contrast).
_COLOURS = {
    status.NOT_OPENED: "#6b6b6b",
    status.NEVER_OPENED: "#595959",
    "open": "#1f5fa8",
    status.LATE: "#b3261e",
    "submitted": "#7a4fa0",
    "accepted": "#7a4fa0",
    "awaiting_meeting": "#7a4fa0",
    "on_agenda": "#9a5b00",
    "remitted": "#c2410c",
    "referred": "#8a3a6b",
    "approved": "#1e7a3c",
    "cancelled": "#444444",
}
# Keyed by the status's label (the one vocabulary), which is also what the marks say.
STATE_COLOURS: dict[str, str] = {status.label(k): c for k, c in _COLOURS.items()}
KIND_COLOURS = {"milestone": "#0f4c5c", "meeting": "#5a5a5a", "due": "#1f5fa8"}
MONTH_FILLS = ("#eef3f8", "#f7f7f2")


def _angle(day: dt.date, year: int) -> float:
    # 0 at the top (1 January), clockwise, one full turn per year.
    start = dt.date(year, 1, 1)
    length = (dt.date(year + 1, 1, 1) - start).days
    return 2 * math.pi * ((day - start).days + 0.5) / length


def _point(angle: float, radius: float) -> tuple[float, float]:
    return CENTRE + radius * math.sin(angle), CENTRE - radius * math.cos(angle)


def _sector(a0: float, a1: float, r_in: float, r_out: float) -> str:
    x0, y0 = _point(a0, r_out)
    x1, y1 = _point(a1, r_out)
    x2, y2 = _point(a1, r_in)
    x3, y3 = _point(a0, r_in)
    large = 1 if a1 - a0 > math.pi else 0
    return (
        f"M{x0:.1f},{y0:.1f} A{r_out},{r_out} 0 {large} 1 {x1:.1f},{y1:.1f} "
        f"L{x2:.1f},{y2:.1f} A{r_in},{r_in} 0 {large} 0 {x3:.1f},{y3:.1f} Z"
    )


def _month_ring(year: int) -> list[str]:
    parts = []
    for m in range(1, 13):
        a0 = _angle(dt.date(year, m, 1), year) - math.pi / 366
        end = dt.date(year + 1, 1, 1) if m == 12 else dt.date(year, m + 1, 1)
        a1 = _angle(end, year) - math.pi / 366
        fill = MONTH_FILLS[m % 2]
        parts.append(
            f'<path d="{_sector(a0, a1, R_MONTHS, R_OUTER)}" fill="{fill}" stroke="#8a8a8a"/>'
        )
        lx, ly = _point((a0 + a1) / 2, (R_MONTHS + R_OUTER) / 2)
        parts.append(
            f'<text x="{lx:.1f}" y="{ly:.1f}" font-size="14" text-anchor="middle" '
            f'dominant-baseline="middle" fill="#1a1a1a">{MONTHS_SV[m - 1][:3]}</text>'
        )
    for ring in RINGS.values():
        parts.append(
            f'<circle cx="{CENTRE}" cy="{CENTRE}" r="{ring}" fill="none" stroke="#d0d0d0" '
            f'stroke-dasharray="2 4"/>'
        )
    return parts


# What every mark means, for the legend beside the picture (shape, ring, what it stands for).
LEGEND: tuple[tuple[str, str, str], ...] = (
    ("diamond", "yttre ringen", "milstolpe (budgetdag, beslut i fullmäktige, leverans)"),
    ("square", "mellanringen", "sammanträde i ett utskott, en nämnd eller fullmäktige"),
    ("circle", "inre ringen", "sista dag för en rapport; färgen visar läget för enheterna"),
    ("line", "strecket från mitten", "dagens datum"),
)
LinkFor = Callable[[CalendarEntry], str | None]


def _shape(kind: str, x: float, y: float, colour: str) -> str:
    if kind == "milestone":
        return (
            f'<rect x="{x - 6:.1f}" y="{y - 6:.1f}" width="12" height="12" fill="{colour}" '
            f'stroke="#ffffff" transform="rotate(45 {x:.1f} {y:.1f})"/>'
        )
    if kind == "meeting":
        return (
            f'<rect x="{x - 5.5:.1f}" y="{y - 5.5:.1f}" width="11" height="11" fill="{colour}" '
            f'stroke="#ffffff"/>'
        )
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="7" fill="{colour}" stroke="#ffffff"/>'


def legend_swatch(kind: str, colour: str = "#1a1a1a") -> str:
    """Returns a small SVG of a mark's shape, for a legend."""
    inner = (
        '<line x1="2" y1="8" x2="14" y2="8" stroke="#1a1a1a" stroke-width="2"/>'
        if kind == "line"
        else _shape({"diamond": "milestone", "square": "meeting"}.get(kind, "due"), 8, 8, colour)
    )
    return (
        f'<svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" '
        f'focusable="false">{inner}</svg>'
    )


def _dot(
    entry: CalendarEntry, year: int, radius: float, colour: str, label: str, href: str | None
) -> str:
    x, y = _point(_angle(entry.date, year), radius)
    mark = f"<title>{escape(label)}</title>{_shape(entry.kind, x, y, colour)}"
    if href is None:
        return f'<g class="wheel-{entry.kind}">{mark}</g>'
    # A link in the SVG is reachable by the keyboard and names itself to a screen reader.
    return (
        f'<a class="wheel-{entry.kind}" href="{escape(href)}" aria-label="{escape(label)}">'
        f"{mark}</a>"
    )


def report_key(report: str | None, period: str | None) -> str:
    """Returns the key by which a report period's state is looked up ("manadsrapport/2026-02")."""
    return f"{report}/{period}"


def wheel_svg(
    entries: Iterable[CalendarEntry],
    year: int,
    *,
    states: Mapping[str, str] | None = None,
    today: dt.date | None = None,
    title: str | None = None,
    link_for: LinkFor | None = None,
) -> str:
    """Returns the årshjul of `year` as SVG: months, milestones, meetings and due dates by state.

    `states` maps report_key(report, period) to a Swedish status label (see STATE_COLOURS);
    due dates of all units of one report period are drawn as one dot. With `link_for`, every
    mark is a link to where it is explained (the page decides where).
    """
    states = states or {}
    heading = title or f"Årshjul {year}"
    # A picture of links is a group (a role="img" may hold no links); without links, an image.
    role = "group" if link_for is not None else "img"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SIZE} {SIZE}" role="{role}" '
        f'aria-labelledby="wheel-title wheel-desc" class="wheel">',
        f'<title id="wheel-title">{escape(heading)}</title>',
        '<desc id="wheel-desc">Tolv månader medurs från januari överst. Yttre ring: milstolpar '
        "(romber); mellanring: sammanträden (kvadrater); inre ring: sista dag för rapporter "
        "(cirklar), färgade efter läget; strecket från mitten: idag.</desc>",
        *_month_ring(year),
    ]
    seen: set[tuple[str, str]] = set()
    for entry in entries:
        if entry.date.year != year or entry.kind not in RINGS:
            continue
        if entry.kind == "due":
            key = report_key(entry.report, entry.period)
            if (key, entry.date.isoformat()) in seen:
                continue
            seen.add((key, entry.date.isoformat()))
            state = states.get(key)
            colour = STATE_COLOURS.get(state or "", KIND_COLOURS["due"])
            name = entry.title.split(" – ")[0].removeprefix("Sista dag: ")
            label = f"{date_sv(entry.date)}: sista dag {name}" + (f" – {state}" if state else "")
        else:
            colour = KIND_COLOURS[entry.kind]
            label = f"{date_sv(entry.date)}: {entry.title}"
        href = link_for(entry) if link_for is not None else None
        parts.append(_dot(entry, year, RINGS[entry.kind], colour, label, href))
    if today is not None and today.year == year:
        x, y = _point(_angle(today, year), R_OUTER + 8)
        parts.append(
            f'<line x1="{CENTRE}" y1="{CENTRE}" x2="{x:.1f}" y2="{y:.1f}" stroke="#1a1a1a" '
            f'stroke-width="2"><title>Idag {escape(date_sv(today))}</title></line>'
        )
    parts.append(
        f'<text x="{CENTRE}" y="{CENTRE}" font-size="34" font-weight="bold" text-anchor="middle" '
        f'dominant-baseline="middle" fill="#1a1a1a">{year}</text>'
    )
    parts.append("</svg>")
    return "\n".join(parts)
