"""`arshjul protocol` writes a meeting's protocol: §, decisions in the committee's name, reasons."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker
from temporalio.testing import ActivityEnvironment
from typer.testing import CliRunner

from arshjul.activities.rounds import RoundActivities
from arshjul.cli import app
from arshjul.models.effects import DecisionRecord
from arshjul.models.rounds import RoundState
from tests.notifications.conftest import review_round
from tests.protocol.conftest import pdf_text
from tests.store.conftest import event

MEETING = dt.date(2026, 10, 6)


async def test_protocol_extract_lists_paragraphs_in_order(
    acts: RoundActivities, sessions: sessionmaker[Session], database_url: str, tmp_path: Path
) -> None:
    env = ActivityEnvironment()
    outcomes = [("sbf", "approved", None), ("buf", "remitted", "Åtgärdsplan <saknas> & mer.")]
    for unit, outcome, reason in outcomes:
        spec = review_round(unit_id=unit, unit_name=f"Förvaltning {unit.upper()}")
        await env.run(acts.record_event, event(spec, 0, "on_agenda", RoundState.ON_AGENDA))
        await env.run(
            acts.record_decision,
            DecisionRecord(
                idempotency_key=f"{spec.workflow_id}/d",
                workflow_id=spec.workflow_id,
                committee_id="ksau",
                meeting=MEETING,
                outcome=outcome,
                reason=reason,
                decided_by="Anna Ordförande",
                time=dt.datetime(2026, 10, 6, 9, tzinfo=dt.UTC),
            ),
        )
    out = tmp_path / "protokoll.html"
    runner = CliRunner()
    result = runner.invoke(
        app,
        [
            "protocol",
            "--committee",
            "ksau",
            "--meeting",
            "2026-10-06",
            "-o",
            str(out),
            "--database-url",
            database_url,
        ],
    )
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert "Kommunstyrelsens arbetsutskott" in html and "tisdag 6 oktober 2026" in html
    first = html.index("§ 1 Delårsrapport augusti 2026 – Förvaltning SBF")
    second = html.index("§ 2 Delårsrapport augusti 2026 – Förvaltning BUF")
    assert first < second
    assert "Kommunstyrelsens arbetsutskott beslutar att godkänna rapporten." in html
    assert (
        "Kommunstyrelsens arbetsutskott beslutar att återremittera rapporten till "
        "Förvaltning BUF för komplettering." in html
    )
    assert "Åtgärdsplan &lt;saknas&gt; &amp; mer." in html
    assert "@page" in html and "UTKAST" in html  # not justerat yet

    pdf = tmp_path / "protokoll.pdf"
    result = runner.invoke(
        app,
        ["protocol", "--committee", "ksau", "--meeting", "2026-10-06", "-o", str(pdf)]
        + ["--database-url", database_url],
    )
    assert result.exit_code == 0, result.output
    assert "not justerat yet" in result.output
    words = pdf_text(pdf.read_bytes())
    assert "§ 2 Delårsrapport augusti 2026 – Förvaltning BUF" in words
    assert "Åtgärdsplan <saknas> & mer." in words

    bad = runner.invoke(
        app,
        ["protocol", "--committee", "ksau", "--meeting", "6/10", "--database-url", database_url],
    )
    assert bad.exit_code == 2 and "--meeting must be a date" in bad.output


def test_protocol_on_an_empty_database_says_what_to_do(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'empty.sqlite'}"
    result = CliRunner().invoke(
        app, ["protocol", "--committee", "ksau", "--meeting", "2026-10-06", "--database-url", url]
    )
    assert result.exit_code == 1 and "arshjul db upgrade" in result.output


def test_protocol_of_an_unknown_committee_or_a_day_without_meeting_is_refused(
    sessions: sessionmaker[Session], database_url: str, tmp_path: Path
) -> None:
    out = tmp_path / "protokoll.html"
    runner = CliRunner()
    asked = {
        "nope": "no committee 'nope' in the configuration (committees: ksau, ",
        "ksau": "ksau has no meeting on 2026-10-07 (its meetings in 2026: ",
    }
    for committee, message in asked.items():
        result = runner.invoke(
            app,
            ["protocol", "--committee", committee, "--meeting", "2026-10-07", "-o", str(out)]
            + ["--database-url", database_url],
        )
        assert result.exit_code == 2, result.output
        assert message in " ".join(result.output.split())
        assert "Traceback" not in result.output and not out.exists()


async def test_two_workers_deciding_at_one_meeting_get_the_next_paragraphs(
    acts: RoundActivities, sessions: sessionmaker[Session]
) -> None:
    from sqlalchemy import event as orm_event
    from sqlalchemy import select

    from arshjul.store.models import Decision

    env = ActivityEnvironment()

    def decision(unit: str) -> DecisionRecord:
        spec = review_round(unit_id=unit, unit_name=f"Förvaltning {unit.upper()}")
        return DecisionRecord(
            idempotency_key=f"{spec.workflow_id}/d",
            workflow_id=spec.workflow_id,
            committee_id="ksau",
            meeting=MEETING,
            outcome="approved",
            decided_by="Anna Ordförande",
            time=dt.datetime(2026, 10, 6, 9, tzinfo=dt.UTC),
        )

    for unit in ("sbf", "buf"):
        spec = review_round(unit_id=unit, unit_name=f"Förvaltning {unit.upper()}")
        await env.run(acts.record_event, event(spec, 0, "on_agenda", RoundState.ON_AGENDA))
    other_worker = RoundActivities(sessions, acts.sender, acts.settings)
    raced: list[int] = []

    def the_other_worker_commits_first(session: Session, *_: object) -> None:
        # Between this worker's count of the § and its insert, the other one takes that §.
        if not raced:
            raced.append(0)  # once: the other worker's own flush comes through here too
            raced[0] = other_worker._record_decision(decision("buf")).paragraph

    orm_event.listen(sessions, "before_flush", the_other_worker_commits_first)
    try:
        mine = await env.run(acts.record_decision, decision("sbf"))
    finally:
        orm_event.remove(sessions, "before_flush", the_other_worker_commits_first)
    assert (raced, mine.paragraph) == ([1], 2)
    with sessions() as session:
        rows = session.execute(select(Decision.workflow_id, Decision.paragraph)).all()
    assert sorted(p for _, p in rows) == [1, 2]
