"""Text pasted into the form from a PDF or Word (form feed, vertical tab) reaches a valid DOCX."""

from __future__ import annotations

import io

import docx

from arshjul.compile.service import compile_report
from arshjul.models.rounds import RoundState
from arshjul.store.repositories import SubmissionRepository
from tests.web.conftest import ON_BUDGET, WebRig, csrf_of, today

PASTED = "Vakanser hålls öppna.\fNästa sida\vny rad.\x00"
# 1 000 tkr over budget: the measures are required and quoted in the compiled document.
OVER_BUDGET = {"economic.forecast_tkr": "1100", "economic.measures": PASTED}


async def test_pasted_control_characters_in_the_form_never_break_the_word_document(
    web: WebRig,
) -> None:
    spec, link = await web.open_round()
    page = await web.http.get(link)
    form = {"csrf": csrf_of(page.text), **ON_BUDGET, **OVER_BUDGET}
    sent = await web.http.post(link, data=form)
    if sent.status_code == 400:
        # Refused at the form: a Swedish message, everything typed kept, nothing stored.
        assert "tecken" in sent.text
        with web.sessions() as session:
            assert SubmissionRepository(session).versions(workflow_id=spec.workflow_id) == []
        return
    assert sent.status_code == 303, sent.text
    await web.wait_for_state(spec.workflow_id, lambda s: s.state == RoundState.ON_AGENDA)
    with web.sessions() as session:
        rendered = compile_report(
            session, web.config, spec.report_id, spec.period, "docx", today=today()
        )
    word = docx.Document(io.BytesIO(rendered.content))
    quoted = [p.text for p in word.paragraphs if p.text.startswith("Vakanser")]
    assert quoted == ["Vakanser hålls öppna.\nNästa sida\nny rad."]
