"""The report's charts (matplotlib, Agg): SVG for the web page, PNG for Word.

Figures are built with `matplotlib.figure.Figure`, never pyplot, so no global figure state is
shared between concurrent compilations.
"""

from __future__ import annotations

import io
import re
import threading
from dataclasses import dataclass
from typing import Literal

import matplotlib

matplotlib.use("Agg")

from matplotlib.axes import Axes  # noqa: E402 - the backend must be chosen first
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

from arshjul.compile.model import CompiledDocument  # noqa: E402
from arshjul.forms.content import Assessment  # noqa: E402
from arshjul.swedish import (
    MONTHS_SV,  # noqa: E402
    number,  # noqa: E402
)

ChartFormat = Literal["svg", "png"]

# Colours that survive a black-and-white print: the four bedömningar from dark to light.
ASSESSMENT_COLOURS = {
    Assessment.HELT: "#1b7837",
    Assessment.HOG_GRAD: "#7fbf7b",
    Assessment.DELVIS: "#f1a340",
    Assessment.EJ: "#b2182b",
}
# rc_context changes matplotlib's global settings: compilations in parallel threads take turns.
_LOCK = threading.Lock()
SVG_RC = {"svg.fonttype": "none", "svg.hashsalt": "arshjul", "font.size": 9}


@dataclass(frozen=True)
class Chart:
    """One rendered chart: its Swedish caption and the image."""

    key: str
    caption: str
    data: bytes
    fmt: ChartFormat


def _tkr_axis(ax: Axes) -> None:
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: number(v)))


def _save(fig: Figure, fmt: ChartFormat) -> bytes:
    buf = io.BytesIO()
    # No dates in the metadata, so the same document renders to the same bytes.
    metadata = {"Date": None} if fmt == "svg" else {"Software": None}
    with matplotlib.rc_context(SVG_RC):
        fig.savefig(buf, format=fmt, dpi=150, bbox_inches="tight", metadata=metadata)
    data = buf.getvalue()
    if fmt == "svg":
        # Inlined in HTML: drop the XML prolog and fix the size to the column width.
        text = data.decode()
        text = text[text.index("<svg") :]
        text = re.sub(
            r'(<svg[^>]*?) width="[^"]*" height="[^"]*"', r'\1 width="100%"', text, count=1
        )
        data = text.encode()
    return data


def deviation_chart(doc: CompiledDocument, fmt: ChartFormat) -> Chart | None:
    """Forecast deviation per unit as horizontal bars (red: overspend)."""
    if not doc.economy:
        return None
    rows = doc.economy
    with matplotlib.rc_context(SVG_RC):
        fig = Figure(figsize=(7.0, 0.8 + 0.28 * len(rows)))
        ax = fig.add_subplot()
        names = [r.unit_name for r in rows][::-1]
        values = [float(r.deviation_tkr) for r in rows][::-1]
        ax.barh(names, values, color=["#b2182b" if v < 0 else "#2166ac" for v in values])
        ax.axvline(0, color="black", linewidth=0.8)
        ax.set_xlabel("Avvikelse mot budget, tkr (negativ = underskott)")
        _tkr_axis(ax)
        ax.grid(axis="x", linewidth=0.3)
        ax.set_axisbelow(True)
    return Chart("deviation", "Prognostiserad avvikelse mot budget per enhet", _save(fig, fmt), fmt)


def assessment_chart(doc: CompiledDocument, fmt: ChartFormat) -> Chart | None:
    """The distribution of goal assessments over every goal and unit."""
    if not doc.goals:
        return None
    with matplotlib.rc_context(SVG_RC):
        fig = Figure(figsize=(7.0, 2.6))
        ax = fig.add_subplot()
        labels = [a.value for a in Assessment]
        counts = [doc.assessment_totals.get(a, 0) for a in Assessment]
        bars = ax.bar(labels, counts, color=[ASSESSMENT_COLOURS[a] for a in Assessment])
        ax.bar_label(bars, labels=[str(c) for c in counts])
        ax.set_ylabel("Antal bedömningar")
        ax.set_ylim(0, max(counts + [1]) * 1.2)
    return Chart("assessments", "Fördelning av målbedömningar", _save(fig, fmt), fmt)


def trend_chart(doc: CompiledDocument, fmt: ChartFormat) -> Chart | None:
    """The total forecast deviation against budget in each of the year's reports so far."""
    points = doc.forecast_history
    if len(points) < 2:
        return None
    full = max(p.units_reporting for p in points)
    with matplotlib.rc_context(SVG_RC):
        fig = Figure(figsize=(7.0, 2.6))
        ax = fig.add_subplot()
        # Short month names on the axis; a report with fewer units than the others says so.
        labels = [
            MONTHS_SV[int(p.period[5:]) - 1][:3]
            + ("" if p.units_reporting == full else f"\n({p.units_reporting} enheter)")
            for p in points
        ]
        values = [float(p.budget_tkr - p.forecast_tkr) for p in points]
        ax.plot(labels, values, "o-", color="#2166ac")
        ax.axhline(0, color="black", linewidth=0.8)
        for x, v in zip(labels, values, strict=True):
            ax.annotate(number(v), (x, v), textcoords="offset points", xytext=(0, 6), ha="center")
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: number(v)))
        ax.set_ylabel("Avvikelse, tkr")
        ax.margins(y=0.25)
        ax.grid(axis="y", linewidth=0.3)
    caption = "Helårsprognosens avvikelse mot budget i årets rapporter"
    return Chart("trend", caption, _save(fig, fmt), fmt)


def render_charts(doc: CompiledDocument, fmt: ChartFormat) -> dict[str, Chart]:
    """Renders every chart the document has data for, keyed by name."""
    with _LOCK:
        charts = (deviation_chart(doc, fmt), assessment_chart(doc, fmt), trend_chart(doc, fmt))
    return {c.key: c for c in charts if c is not None}
