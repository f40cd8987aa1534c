"""The årshjul picture: twelve months, entries on their rings, due dates coloured by state."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

from arshjul.calendar.expand import expand_year
from arshjul.calendar.loader import load_config
from arshjul.calendar.wheel import STATE_COLOURS, wheel_svg
from arshjul.settings import BUNDLED_CONFIG


def test_wheel_places_months_and_colours_by_state() -> None:
    config = load_config(BUNDLED_CONFIG)
    entries = expand_year(config, 2026)
    svg = wheel_svg(
        entries, 2026, states={"manadsrapport/2026-02": "Försenad"}, today=dt.date(2026, 3, 10)
    )
    root = ET.fromstring(svg)  # well-formed SVG
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert texts[:12] == [
        "jan",
        "feb",
        "mar",
        "apr",
        "maj",
        "jun",
        "jul",
        "aug",
        "sep",
        "okt",
        "nov",
        "dec",
    ]
    assert "2026" in texts
    late = [
        g
        for g in root.iter("{http://www.w3.org/2000/svg}g")
        if "Månadsrapport (februari 2026) – Försenad"
        in (g.findtext("{http://www.w3.org/2000/svg}title") or "")
    ]
    assert len(late) == 1
    assert late[0][1].get("fill") == STATE_COLOURS["Försenad"]
    assert svg.count('class="wheel-meeting"') == sum(1 for e in entries if e.kind == "meeting")
