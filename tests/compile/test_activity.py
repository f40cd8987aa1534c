"""The compile_report activity via Temporal: stored with its inputs' versions, bad input final."""

from __future__ import annotations

import datetime as dt
import io
import uuid

import docx
import pytest
from sqlalchemy.orm import Session, sessionmaker
from temporalio.client import WorkflowFailureError
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from arshjul.activities.compile import CompileActivities
from arshjul.calendar.config import ArshjulConfig
from arshjul.compile.model import CompileReportInput, CompileReportResult
from arshjul.compile.service import reproduce
from arshjul.models.rounds import RoundState
from arshjul.store.repositories import CompilationRepository, SubmissionRepository
from tests.compile import scenario as sc
from tests.compile.seed import Seeder
from tests.compile.workflows import CompileOnceWorkflow

NOW = dt.datetime(2026, 9, 30, 8, 0, tzinfo=dt.UTC)


async def _run(
    env: WorkflowEnvironment, acts: CompileActivities, request: CompileReportInput
) -> CompileReportResult:
    queue = f"compile-{uuid.uuid4().hex[:8]}"
    async with Worker(
        env.client,
        task_queue=queue,
        workflows=[CompileOnceWorkflow],
        activities=[acts.compile_report],
    ):
        return await env.client.execute_workflow(
            CompileOnceWorkflow.run, request, id=f"compile-{uuid.uuid4()}", task_queue=queue
        )


async def test_activity_stores_the_docx_with_the_versions_it_used(
    temporal_env: WorkflowEnvironment,
    seeded_store: sessionmaker[Session],
    example_config: ArshjulConfig,
) -> None:
    acts = CompileActivities(seeded_store, example_config, clock=lambda: NOW)
    request = CompileReportInput(
        report_id="delarsrapport",
        period=sc.PERIOD,
        format="docx",
        requested_by="eva.ekstrom@example.org",
    )
    result = await _run(temporal_env, acts, request)
    assert result.draft
    assert result.not_approved == ["Miljö- och byggförvaltningen", "Hedemora Näringsliv AB"]
    with seeded_store() as session:
        row = CompilationRepository(session).get(compilation_id=result.compilation_id)
        assert row is not None and row.created_by == "eva.ekstrom@example.org"
        word = docx.Document(io.BytesIO(row.content))
        assert any(t.rows[-1].cells[0].text == "Totalt" for t in word.tables)
        # Every version named in the provenance is the stored one, unchanged (same hash).
        used = row.inputs["submissions"]
        assert len(used) == 9
        for entry in used:
            sub = SubmissionRepository(session).get(submission_id=entry["id"])
            assert sub is not None
            assert (sub.version, sub.sha256) == (entry["version"], entry["sha256"])
        late = [u["unit_id"] for u in row.inputs["units"] if u["late"]]
        assert late == [sc.MISSING]


async def test_unknown_report_fails_at_once_and_stores_nothing(
    temporal_env: WorkflowEnvironment,
    seeded_store: sessionmaker[Session],
    example_config: ArshjulConfig,
) -> None:
    acts = CompileActivities(seeded_store, example_config, clock=lambda: NOW)
    request = CompileReportInput(report_id="tertialrapport", period=sc.PERIOD)
    with pytest.raises(WorkflowFailureError) as failure:
        await _run(temporal_env, acts, request)
    cause = failure.value.cause.cause  # type: ignore[union-attr]
    assert "unknown report 'tertialrapport'" in str(cause)
    with seeded_store() as session:
        stored = CompilationRepository(session).list(report_id="tertialrapport", period=sc.PERIOD)
        assert stored == []


async def test_a_stored_compilation_can_be_reproduced_after_new_versions_arrive(
    temporal_env: WorkflowEnvironment,
    seeded_store: sessionmaker[Session],
    example_config: ArshjulConfig,
) -> None:
    acts = CompileActivities(seeded_store, example_config, clock=lambda: NOW)
    request = CompileReportInput(report_id="delarsrapport", period=sc.PERIOD, format="html")
    result = await _run(temporal_env, acts, request)
    # Later the remitted unit completes its report and it is approved: a new compilation differs,
    # but the stored one is rebuilt from the versions it named, to the same bytes.
    with seeded_store.begin() as session:
        seeder = Seeder(session, example_config)
        spec = seeder.spec("delarsrapport", sc.PERIOD, sc.REMITTED, sc.DUE)
        content = sc.delar_content(sc.REMITTED, "Miljö- och byggförvaltningen")
        sid = seeder.submit(spec, content)
        seeder.event(spec, 3, "submitted", RoundState.ON_AGENDA, sid)
        seeder.event(spec, 4, "approved", RoundState.APPROVED, sid)
    newer = await _run(temporal_env, acts, request)
    assert newer.sha256 != result.sha256
    assert newer.not_approved == ["Hedemora Näringsliv AB"]
    with seeded_store() as session:
        again = reproduce(session, example_config, result.compilation_id)
    assert again.sha256 == result.sha256
