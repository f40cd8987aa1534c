"""The compiled report as a Word document (python-docx) the ekonomichef can edit further."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Sequence
from typing import Any

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from lxml import etree

from arshjul.compile.charts import Chart, render_charts
from arshjul.compile.model import ActivityRow, CompiledDocument, EconomyRow
from arshjul.forms.content import Assessment
from arshjul.swedish import date_sv, percent, tkr

LANGUAGE = "sv-SE"
APP_NS = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
RED = RGBColor(0xB2, 0x18, 0x2B)
ECONOMY_HEADER = ["Enhet", "Budget", "Utfall", "Helårsprognos", "Avvikelse", "Avvikelse %"]
ACTIVITY_HEADER = ["Aktivitet", "Enhet", "Status", "Start", "Slut", "Ansvarig", "Kommentar"]


def _table(
    d: DocxDocument,
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    numeric: Sequence[int] = (),
) -> None:
    table = d.add_table(rows=1 + len(rows), cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    # Filling cells through the row objects once is far faster than table.cell(i, j) lookups,
    # and only the header gets a bold flag: setting bold=False costs an XML element per cell.
    for i, row in enumerate(table.rows):
        values = header if i == 0 else rows[i - 1]
        for j, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
            para = cell.paragraphs[0]
            run = para.add_run(value)
            if i == 0:
                run.bold = True
            if j in numeric:
                para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    # The header row repeats on every page the table runs over.
    header_props = table.rows[0]._tr.get_or_add_trPr()
    header_props.append(OxmlElement("w:tblHeader"))


def _mark(name: str, approved: bool) -> str:
    return name if approved else f"{name} *"


def _economy_cells(r: EconomyRow, total: bool = False) -> list[str]:
    return [
        r.unit_name if total else _mark(r.unit_name, r.approved),
        tkr(r.budget_tkr),
        tkr(r.utfall_tkr),
        tkr(r.forecast_tkr),
        tkr(r.deviation_tkr),
        percent(r.deviation_percent),
    ]


def _activities(d: DocxDocument, activities: Sequence[ActivityRow]) -> None:
    rows = [
        [
            a.title,
            a.unit_name,
            a.status.value,
            date_sv(a.start),
            date_sv(a.end),
            a.responsible,
            a.comment,
        ]
        for a in activities
    ]
    _table(d, ACTIVITY_HEADER, rows)


def _figure(d: DocxDocument, chart: Chart | None) -> None:
    if chart is None:
        return
    d.add_picture(io.BytesIO(chart.data), width=Cm(16))
    d.add_paragraph(chart.caption, style="Caption")


def _page_break(d: DocxDocument) -> None:
    d.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _first_page(d: DocxDocument, doc: CompiledDocument) -> None:
    d.add_heading(doc.title, level=0)
    d.add_paragraph(f"{doc.org_name} · sammanställning per {date_sv(doc.period_end)}")
    if doc.draft:
        run = d.add_paragraph().add_run(
            "UTKAST – alla enheters underlag är inte godkända. Sammanställningen bygger på det "
            "som finns inlämnat; se statussidan. Underlag som inte är godkända är markerade med *."
        )
        run.bold = True
        run.font.color.rgb = RED
        run.font.size = Pt(12)
    if doc.empty:
        d.add_paragraph().add_run(doc.empty_sv).bold = True
    _page_break(d)
    d.add_heading("Status för underlagen", level=1)
    rows = [[s.unit_name, s.status.value, date_sv(s.due), str(s.version or "")] for s in doc.status]
    _table(d, ["Enhet", "Status", "Sista dag", "Version"], rows, numeric=(3,))


def _economy(d: DocxDocument, doc: CompiledDocument, charts: dict[str, Chart]) -> None:
    if not doc.economy or doc.economy_total is None:
        return
    d.add_heading("Ekonomisk uppföljning", level=1)
    rows = [*map(_economy_cells, doc.economy), _economy_cells(doc.economy_total, total=True)]
    _table(d, ECONOMY_HEADER, rows, numeric=(1, 2, 3, 4, 5))
    d.add_paragraph(
        "Avvikelse = budget − helårsprognos (nettokostnad); negativ avvikelse betyder underskott."
    )
    _figure(d, charts.get("deviation"))
    _figure(d, charts.get("trend"))
    d.add_heading("Enheter med underskott som kräver åtgärder", level=2)
    if not doc.flagged:
        d.add_paragraph("Ingen enhet har en negativ avvikelse som kräver åtgärder.")
    else:
        d.add_paragraph(f"Negativ avvikelse större än {tkr(doc.measures_threshold_tkr)}.")
    for f in doc.flagged:
        d.add_heading(f"{f.unit_name} – avvikelse {tkr(f.deviation_tkr)}", level=3)
        d.add_paragraph("Planerade åtgärder:").runs[0].bold = True
        d.add_paragraph(f.measures or "Inga åtgärder angivna.", style="Quote")


def _goals(d: DocxDocument, doc: CompiledDocument, charts: dict[str, Chart]) -> None:
    if not doc.goals:
        # A report whose only section is activities (an uppsiktsrapport, new aktivitetsplaner).
        if doc.other_activities:
            d.add_heading("Aktiviteter", level=1)
            _activities(d, doc.other_activities)
        return
    d.add_heading("Målkort", level=1)
    rows = [[a.value, str(doc.assessment_totals.get(a, 0))] for a in Assessment]
    _table(d, ["Bedömning", "Antal"], rows, numeric=(1,))
    _figure(d, charts.get("assessments"))
    for g in doc.goals:
        d.add_heading(g.goal, level=2)
        d.add_paragraph(" · ".join(f"{a.value}: {g.counts.get(a, 0)}" for a in Assessment))
        rows = [
            [_mark(r.unit_name, r.approved), r.assessment.value, r.trend.value, r.comment]
            for r in g.rows
        ]
        _table(d, ["Enhet", "Bedömning", "Trend", "Kommentar"], rows)
        if g.activities:
            d.add_heading("Aktiviteter", level=3)
            _activities(d, g.activities)
    if doc.other_activities:
        d.add_heading("Övriga aktiviteter", level=2)
        _activities(d, doc.other_activities)


def _metadata(d: DocxDocument, doc: CompiledDocument, created: dt.datetime) -> None:
    # python-docx's template says en-US, "python-docx" and 2013-12-23 unless told otherwise.
    props = d.core_properties
    props.title = f"{doc.title} – sammanställning"
    props.subject = f"{doc.report_title} per {date_sv(doc.period_end)}"
    props.author = props.last_modified_by = doc.org_name
    props.category = "Sammanställning"
    props.comments = "Sammanställd av årshjulet (arshjul) ur enheternas inlämnade underlag."
    props.keywords = f"{doc.report_title}; {doc.period}; {doc.org_name}"
    props.language = LANGUAGE
    props.created = props.modified = created.astimezone(dt.UTC).replace(tzinfo=None)
    props.revision = 1
    # Spelling and hyphenation follow the styles' default language, not the core property.
    for element in (d.styles.element, d.settings.element):
        _swedish(element)
    for part in d.part.package.parts:
        if part.partname == "/word/stylesWithEffects.xml":
            part._blob = _edited(part.blob, _swedish)
        elif part.partname == "/docProps/app.xml":
            part._blob = _edited(part.blob, lambda app: _app(app, doc.org_name))


def _swedish(element: Any) -> None:
    for node in element.iter(qn("w:lang"), qn("w:themeFontLang")):
        node.set(qn("w:val"), LANGUAGE)
        if node.get(qn("w:eastAsia")) is not None:
            node.set(qn("w:eastAsia"), LANGUAGE)


def _app(app: Any, org_name: str) -> None:
    for tag, value in (("Company", org_name), ("Application", "arshjul")):
        node = app.find(f"{{{APP_NS}}}{tag}")
        if node is not None:
            node.text = value


def _edited(blob: bytes, edit: Callable[[Any], None]) -> bytes:
    root = etree.fromstring(blob)
    edit(root)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def render_docx(
    doc: CompiledDocument, *, charts: bool = True, created: dt.datetime | None = None
) -> bytes:
    """Renders the compiled document as DOCX bytes, in Swedish, with PNG charts.

    `created` is the creation time written into the file (default: now).
    """
    d = Document()
    # python-docx's template is US Letter; Swedish documents are A4.
    for section in d.sections:
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.left_margin = section.right_margin = Cm(2)
        section.top_margin = section.bottom_margin = Cm(2)
    _metadata(d, doc, created or dt.datetime.now(dt.UTC))
    rendered = render_charts(doc, "png") if charts else {}
    _first_page(d, doc)
    _economy(d, doc, rendered)
    _goals(d, doc, rendered)
    if doc.texts:
        d.add_heading("Förvaltningsberättelser", level=1)
        for t in doc.texts:
            d.add_heading(_mark(t.unit_name, t.approved), level=2)
            for para in t.forvaltningsberattelse.split("\n\n"):
                if para.strip():
                    d.add_paragraph(para.strip())
            if t.personalberattelse:
                d.add_heading("Personalberättelse", level=3)
                d.add_paragraph(t.personalberattelse)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()
