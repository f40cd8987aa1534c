"""Documents any report can produce: activities only, pasted control characters, empty, metadata."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import docx
from lxml import html as lxml_html

from arshjul.calendar.config import ArshjulConfig
from arshjul.compile.build import build_document
from arshjul.compile.html import render_html
from arshjul.compile.model import CompileInputs, SubmissionInput, UnitInput
from arshjul.compile.word import render_docx
from arshjul.forms.content import ReportContent
from arshjul.models.rounds import RoundState
from arshjul.text import clean_text

PERIOD_END = dt.date(2026, 10, 31)
# What a paste from a PDF or Word brings: a page break, Word's line break, NUL, a bell, C1.
PASTED = "Första stycket.\fAndra stycket\vmed radbrytning.\x00\x07\x85Slut."


def _activities_only(config: ArshjulConfig, comment: str = "Klar i tid.") -> CompileInputs:
    # "Nya aktivitetsplaner" of the bundled example: its only section is activities.
    report = config.report("aktivitetsplaner")
    units = []
    for i, unit in enumerate(config.units[:3]):
        content = ReportContent.model_validate(
            {
                "activities": [
                    {
                        "title": f"Digital ansökan {unit.id}",
                        "status": "Pågående enligt plan",
                        "start": "2027-01-10",
                        "end": "2027-06-30",
                        "responsible": "Verksamhetschef",
                        "comment": comment,
                    }
                ]
            }
        )
        units.append(
            UnitInput(
                unit_id=unit.id,
                unit_name=unit.name,
                state=RoundState.SUBMITTED,
                submission=SubmissionInput(
                    submission_id=i + 1, version=1, approved=False, content=content
                ),
            )
        )
    return CompileInputs(
        org_name=config.organisation.name,
        report_id=report.id,
        report_title=report.title,
        period="2026-10",
        period_end=PERIOD_END,
        units=units,
    )


def test_an_activities_only_report_lists_its_activities_in_html_and_docx(
    example_config: ArshjulConfig,
) -> None:
    doc = build_document(_activities_only(example_config))
    assert not doc.goals and len(doc.other_activities) == 3 and not doc.empty
    page = lxml_html.fromstring(render_html(doc, charts=False))
    section = page.get_element_by_id("aktiviteter")
    rows = section.xpath(".//tbody/tr")
    assert [r.xpath("./td")[0].text_content() for r in rows] == [
        f"Digital ansökan {u.id}" for u in example_config.units[:3]
    ]
    assert "10 januari 2027" in section.text_content()
    word = docx.Document(io.BytesIO(render_docx(doc, charts=False)))
    headings = [p.text for p in word.paragraphs if p.style.name.startswith("Heading")]
    assert "Aktiviteter" in headings
    table = word.tables[-1]
    assert table.rows[0].cells[0].text == "Aktivitet"
    assert [r.cells[0].text for r in table.rows[1:]] == [
        f"Digital ansökan {u.id}" for u in example_config.units[:3]
    ]


def test_pasted_control_characters_become_line_breaks_in_docx_and_html(
    example_config: ArshjulConfig,
) -> None:
    doc = build_document(_activities_only(example_config, comment=PASTED))
    expected = "Första stycket.\nAndra stycket\nmed radbrytning.\nSlut."
    assert clean_text(PASTED) == expected
    assert doc.other_activities[0].comment == expected
    word = docx.Document(io.BytesIO(render_docx(doc, charts=False)))  # no "XML compatible" error
    assert word.tables[-1].rows[1].cells[6].text == expected
    page = render_html(doc, charts=False)
    assert "\f" not in page and "\x00" not in page and "\x0b" not in page


def test_an_empty_compilation_says_so_on_its_first_page(example_config: ArshjulConfig) -> None:
    inputs = _activities_only(example_config)
    inputs.units = [u.model_copy(update={"submission": None}) for u in inputs.units]
    doc = build_document(inputs)
    assert doc.empty
    first = lxml_html.fromstring(render_html(doc, charts=False)).get_element_by_id("tom")
    assert "Inga underlag är inlämnade för nya aktivitetsplaner per 31 oktober 2026" in (
        first.text_content()
    )
    word = docx.Document(io.BytesIO(render_docx(doc, charts=False)))
    assert any("Inga underlag är inlämnade" in p.text for p in word.paragraphs)


def test_docx_metadata_is_swedish_with_title_organisation_and_the_real_creation_time(
    example_config: ArshjulConfig,
) -> None:
    doc = build_document(_activities_only(example_config))
    created = dt.datetime(2026, 11, 2, 9, 30, tzinfo=dt.UTC)
    data = render_docx(doc, charts=False, created=created)
    props = docx.Document(io.BytesIO(data)).core_properties
    assert props.language == "sv-SE"
    assert props.title == "Nya aktivitetsplaner 2026 – sammanställning"
    org = example_config.organisation.name
    assert props.author == props.last_modified_by == org
    # python-docx reads the time back naive or in UTC depending on its version.
    assert props.created.replace(tzinfo=None) == created.replace(tzinfo=None)
    assert props.modified.replace(tzinfo=None) == created.replace(tzinfo=None)
    assert "python-docx" not in (props.comments or "") + (props.author or "")
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        styles = z.read("word/styles.xml").decode()
        app = z.read("docProps/app.xml").decode()
        settings = z.read("word/settings.xml").decode()
    assert 'w:lang w:val="sv-SE"' in styles and "en-US" not in styles
    assert "en-US" not in settings
    assert f"<Company>{org}</Company>" in app
    # Without a given time the file carries the time it was made, not 2013.
    now = docx.Document(io.BytesIO(render_docx(doc, charts=False))).core_properties.created
    assert now.year >= 2026
