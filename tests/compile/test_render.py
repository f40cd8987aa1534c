"""The rendered delårsrapport: HTML parsed back, DOCX opened with python-docx, same tables."""

from __future__ import annotations

import io

import docx
import pytest
from lxml import html as lxml_html

from arshjul.compile.build import build_document
from arshjul.compile.html import render_html
from arshjul.compile.model import CompiledDocument, CompileInputs
from arshjul.compile.word import render_docx
from arshjul.swedish import date_sv, percent, tkr
from tests.compile import scenario as sc

TOTAL_ROW = ["Totalt", "1 008 000 tkr", "675 500 tkr", "1 013 950 tkr", "−5 950 tkr", "−0,6 %"]


@pytest.fixture(scope="module")
def doc(example_config: object) -> CompiledDocument:
    from tests.compile.scenario import delar_inputs

    return build_document(delar_inputs(example_config))  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def page(doc: CompiledDocument) -> lxml_html.HtmlElement:
    return lxml_html.fromstring(render_html(doc))


@pytest.fixture(scope="module")
def word(doc: CompiledDocument) -> docx.document.Document:
    return docx.Document(io.BytesIO(render_docx(doc)))


def _rows(table: object) -> list[list[str]]:
    return [
        [" ".join(c.text_content().split()) for c in tr.xpath("./td|./th")]
        for tr in table.xpath(".//tr")
    ]  # type: ignore[attr-defined]


def _word_rows(table: object) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows]  # type: ignore[attr-defined]


def test_swedish_formats() -> None:
    assert tkr(1250) == "1 250 tkr"
    assert tkr(-1250.5) == "−1 250,5 tkr"
    assert percent(-0.55) == "−0,6 %"
    assert date_sv(sc.PERIOD_END) == "31 augusti 2026"


def test_html_first_page_says_draft_and_the_economy_table_has_the_hand_totals(
    page: lxml_html.HtmlElement,
) -> None:
    first = page.get_element_by_id("forsta-sidan").text_content()
    assert "UTKAST" in first and "31 augusti 2026" in first
    rows = _rows(page.xpath("//table[@class='ekonomi']")[0])
    assert rows[0] == ["Enhet", "Budget", "Utfall", "Helårsprognos", "Avvikelse", "Avvikelse %"]
    assert rows[-1] == TOTAL_ROW
    assert rows[2] == [
        "Barn- och utbildningsförvaltningen",
        "400 000 tkr",
        "270 000 tkr",
        "405 000 tkr",
        "−5 000 tkr",
        "−1,3 %",
    ]
    # The remitted unit's figures are there, marked as not approved.
    assert ["Miljö- och byggförvaltningen *", "20 000 tkr"] == rows[6][:2]


def test_html_quotes_the_flagged_units_measures(page: lxml_html.HtmlElement) -> None:
    flagged = page.xpath("//div[@class='flag-unit']")
    assert [f.xpath("./h4")[0].text_content().split(" – ")[0] for f in flagged] == sc.FLAGGED
    assert "vakanser hålls öppna" in flagged[0].xpath(".//blockquote")[0].text_content()


def test_html_status_page_and_goal_counts(page: lxml_html.HtmlElement) -> None:
    status = dict(r[:2] for r in _rows(page.get_element_by_id("status").xpath(".//table")[0])[1:])
    assert status["Hedemora Näringsliv AB"] == "Försenad"
    assert status["Miljö- och byggförvaltningen"] == "Återremitterad för komplettering"
    counts = dict(_rows(page.xpath("//table[@class='bedomningar']")[0])[1:])
    assert counts == {a.value: str(n) for a, n in sc.ASSESSMENT_TOTALS.items()}
    goals = [h.text_content() for h in page.xpath("//div[@class='goal']/h3")]
    assert goals == list(sc.GOALS)


def test_html_has_three_inline_svg_charts(page: lxml_html.HtmlElement) -> None:
    captions = [c.text_content() for c in page.xpath("//figure/figcaption")]
    assert len(page.xpath("//figure/*[local-name()='svg']")) == 3
    assert "Fördelning av målbedömningar" in captions
    # Text stays text in the SVG, so the unit names can be found (and read by a screen reader).
    assert "Barn- och utbildningsförvaltningen" in page.xpath("//figure")[0].text_content()


def test_html_escapes_what_units_wrote(delar_inputs: CompileInputs) -> None:
    hostile = delar_inputs.model_copy(deep=True)
    first = hostile.units[0].submission
    assert first is not None and first.content.texts is not None
    first.content.texts.forvaltningsberattelse = "<script>alert(1)</script>"
    out = render_html(build_document(hostile), charts=False)
    assert "<script>" not in out and "&lt;script&gt;" in out


def test_docx_holds_the_same_tables(
    word: docx.document.Document, page: lxml_html.HtmlElement
) -> None:
    text = "\n".join(p.text for p in word.paragraphs)
    assert "UTKAST" in text
    tables = [_word_rows(t) for t in word.tables]
    economy = next(t for t in tables if t[0][0] == "Enhet" and t[0][1] == "Budget")
    assert economy == _rows(page.xpath("//table[@class='ekonomi']")[0])
    assert economy[-1] == TOTAL_ROW
    status = next(t for t in tables if t[0] == ["Enhet", "Status", "Sista dag", "Version"])
    assert status == _rows(page.get_element_by_id("status").xpath(".//table")[0])
    counts = next(t for t in tables if t[0] == ["Bedömning", "Antal"])
    assert dict(counts[1:]) == {a.value: str(n) for a, n in sc.ASSESSMENT_TOTALS.items()}
    goal_tables = [t for t in tables if t[0] == ["Enhet", "Bedömning", "Trend", "Kommentar"]]
    assert len(goal_tables) == 3 and len(goal_tables[2]) == 1 + 6
    assert len(word.inline_shapes) == 3  # the three charts as PNG
    assert round(word.sections[0].page_width.cm, 1) == 21.0  # A4, not US Letter


def test_docx_lists_the_texts_in_configuration_order(word: docx.document.Document) -> None:
    headings = [p.text for p in word.paragraphs if p.style.name == "Heading 2"]
    start = headings.index("Kommunstyrelseförvaltningen")
    assert headings[start : start + 2] == [
        "Kommunstyrelseförvaltningen",
        "Barn- och utbildningsförvaltningen",
    ]


def test_a_document_compiled_with_the_old_status_word_renders_in_the_pages_words(
    doc: CompiledDocument,
) -> None:
    stored = doc.model_dump(mode="json")
    row = next(r for r in stored["status"] if r["unit_name"] == "Miljö- och byggförvaltningen")
    row["status"] = "Återremitterad"  # as documents compiled before the shared words stored it
    again = lxml_html.fromstring(render_html(CompiledDocument.model_validate(stored)))
    status = dict(r[:2] for r in _rows(again.get_element_by_id("status").xpath(".//table")[0])[1:])
    assert status["Miljö- och byggförvaltningen"] == "Återremitterad för komplettering"
