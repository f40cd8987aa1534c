"""Repositories: rounds mirror their workflow, versions and audit survive, § run on per year."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session, sessionmaker

from arshjul.calendar.loader import load_config
from arshjul.forms.content import EconomicSection, ReportContent
from arshjul.models.effects import DecisionRecord
from arshjul.models.rounds import RoundState
from arshjul.settings import BUNDLED_CONFIG
from arshjul.store.repositories import (
    AttachmentRepository,
    AuditRepository,
    CompilationRepository,
    DecisionRepository,
    DraftRepository,
    OrganisationRepository,
    PeopleRepository,
    RoundIdError,
    RoundRepository,
    SubmissionRepository,
    content_sha256,
    sync_config,
)
from tests.store.conftest import event, round_spec

Sessions = sessionmaker[Session]


def content(forecast: str) -> ReportContent:
    return ReportContent(
        economic=EconomicSection(
            budget_tkr=Decimal("1000"),
            utfall_tkr=Decimal("250"),
            forecast_tkr=Decimal(forecast),
            analysis="Prognosen följer budget.",
        )
    )


def test_versions_and_audit_survive_every_transition(sessions: Sessions) -> None:
    spec = round_spec()
    wid = spec.workflow_id
    steps = [
        ("request", RoundState.OPEN, None),
        ("submitted", RoundState.SUBMITTED, "1000"),
        ("on_agenda", RoundState.ON_AGENDA, None),
        ("remitted", RoundState.REMITTED, None),
        ("submitted", RoundState.SUBMITTED, "990"),
        ("on_agenda", RoundState.ON_AGENDA, None),
        ("approved", RoundState.APPROVED, None),
    ]
    for seq, (name, state, forecast) in enumerate(steps):
        with sessions() as session, session.begin():
            submission_id = None
            if forecast is not None:
                submission = SubmissionRepository(session).add_version(
                    workflow_id=wid, content=content(forecast), submitted_by="asa@example.org"
                )
                SubmissionRepository(session).mark_delivered(submission_id=submission.id)
                submission_id = submission.id
            record = event(spec, seq, name, state, submission_id=submission_id)
            RoundRepository(session).upsert_from_event(record)
            AuditRepository(session).append(
                actor="system", action=name, workflow_id=wid, seq=seq, time=record.time
            )
    with sessions() as session:
        versions = SubmissionRepository(session).versions(workflow_id=wid)
        assert [v.version for v in versions] == [1, 2]
        assert versions[0].content["economic"]["forecast_tkr"] == "1000"
        assert versions[1].sha256 == content_sha256(content("990"))
        row = RoundRepository(session).get(workflow_id=wid)
        assert row is not None and row.state == "approved" and row.submission_id == versions[1].id
        audit = AuditRepository(session).list_for_round(workflow_id=wid)
        assert [a.action for a in audit] == [name for name, _, _ in steps]
        assert audit[0].time.tzinfo is not None
        approved = SubmissionRepository(session).latest_for(
            report_id="manad", period="2026-03", approved_only=True
        )
        assert [s.version for s in approved] == [2]


def test_a_late_event_never_moves_the_round_back(sessions: Sessions) -> None:
    spec = round_spec()
    with sessions() as session, session.begin():
        rounds = RoundRepository(session)
        rounds.upsert_from_event(event(spec, 3, "submitted", RoundState.SUBMITTED))
        rounds.upsert_from_event(event(spec, 1, "reminder", RoundState.OPEN))
    with sessions() as session:
        assert RoundRepository(session).get(workflow_id=spec.workflow_id).state == "submitted"  # type: ignore[union-attr]
        listed = RoundRepository(session).list(org_id="hedemora", year=2026, unit_id="bun")
        assert [r.workflow_id for r in listed] == [spec.workflow_id]
        assert RoundRepository(session).list(year=2025) == []


def test_pending_delivery_is_kept_until_marked(sessions: Sessions) -> None:
    wid = round_spec().workflow_id
    with sessions() as session, session.begin():
        repo = SubmissionRepository(session)
        first = repo.add_version(workflow_id=wid, content=content("1200"), submitted_by="a@x.se")
        second = repo.add_version(workflow_id=wid, content=content("1100"), submitted_by="a@x.se")
    with sessions() as session, session.begin():
        repo = SubmissionRepository(session)
        assert [s.id for s in repo.pending_deliveries()] == [first.id, second.id]
        repo.mark_rejected(submission_id=first.id, message="Rapporten är redan godkänd.")
        repo.mark_delivered(submission_id=second.id)
    with sessions() as session:
        repo = SubmissionRepository(session)
        assert repo.pending_deliveries() == []
        rejected = repo.get(submission_id=first.id)
        assert rejected is not None and rejected.delivery_status == "rejected"
        assert rejected.content["economic"]["forecast_tkr"] == "1200"
        assert [
            s.id for s in repo.latest_for(report_id="manad", period="2026-03", approved_only=False)
        ] == [second.id]


def test_a_submission_needs_a_round_id(sessions: Sessions) -> None:
    with sessions() as session, pytest.raises(RoundIdError):
        SubmissionRepository(session).add_version(
            workflow_id="cycle/hedemora/2026", content=content("1"), submitted_by="a@x.se"
        )


def test_paragraphs_run_on_through_the_year_and_are_idempotent(sessions: Sessions) -> None:
    meeting = dt.date(2026, 5, 5)
    time = dt.datetime(2026, 5, 5, 10, tzinfo=dt.UTC)

    def decide(key: str, unit: str, meeting: dt.date = meeting) -> int:
        record = DecisionRecord(
            idempotency_key=key,
            workflow_id=round_spec(unit_id=unit).workflow_id,
            committee_id="ksau",
            meeting=meeting,
            outcome="remitted",
            reason="Åtgärdsplan saknas.",
            decided_by="ordf@example.org",
            time=time,
        )
        with sessions() as session, session.begin():
            return DecisionRepository(session).record(record).paragraph

    assert decide("a", "bun") == 1
    assert decide("b", "sbf") == 2
    assert decide("a", "bun") == 1  # a retried activity gets the same §
    assert decide("c", "bun", dt.date(2026, 6, 2)) == 3  # the next meeting continues the year
    assert decide("d", "sbf", dt.date(2027, 1, 12)) == 1  # a new year starts at § 1
    with sessions() as session:
        listed = DecisionRepository(session).list_for_meeting(committee_id="ksau", meeting=meeting)
        assert [(d.paragraph, d.reason) for d in listed] == [
            (1, "Åtgärdsplan saknas."),
            (2, "Åtgärdsplan saknas."),
        ]
        since = DecisionRepository(session).list_since(
            org_id="hedemora", committee_id="ksau", since=dt.date(2026, 6, 1)
        )
        assert [(d.meeting, d.paragraph) for d in since] == [
            (dt.date(2026, 6, 2), 3),
            (dt.date(2027, 1, 12), 1),
        ]


def test_drafts_overwrite_and_attachments_dedupe(sessions: Sessions) -> None:
    wid = round_spec().workflow_id
    with sessions() as session, session.begin():
        drafts = DraftRepository(session)
        drafts.save(workflow_id=wid, content={"economic": {"analysis": "ut"}}, saved_by="a@x.se")
        drafts.save(
            workflow_id=wid, content={"economic": {"analysis": "utkast"}}, saved_by="a@x.se"
        )
        files = AttachmentRepository(session)
        one = files.add(
            workflow_id=wid,
            name="plan.pdf",
            content_type="application/pdf",
            data=b"%PDF-1.4 plan",
            uploaded_by="a@x.se",
        )
        two = files.add(
            workflow_id=wid,
            name="plan (1).pdf",
            content_type="application/pdf",
            data=b"%PDF-1.4 plan",
            uploaded_by="a@x.se",
        )
        assert one.id == two.id and one.size == 13
    with sessions() as session:
        draft = DraftRepository(session).get(workflow_id=wid)
        assert draft is not None and draft.content["economic"]["analysis"] == "utkast"
        stored = AttachmentRepository(session).list_for_round(workflow_id=wid)
        assert [(a.name, a.data) for a in stored] == [("plan.pdf", b"%PDF-1.4 plan")]


def test_the_agenda_shows_the_newest_compilation_that_is_not_a_hand_made_draft(
    sessions: Sessions,
) -> None:
    def compile_(session: Session, made_by: str, **inputs: object) -> int:
        return (
            CompilationRepository(session)
            .add(
                org_id="hedemora",
                report_id="delarsrapport",
                period="2026-08",
                format="html",
                content=b"<p>x</p>",
                sha256="0" * 64,
                inputs=dict(inputs),
                created_by=made_by,
            )
            .id
        )

    def shown(session: Session) -> int | None:
        found = CompilationRepository(session).for_agenda(
            org_id="hedemora", report_id="delarsrapport", period="2026-08"
        )
        return found.id if found else None

    with sessions() as session, session.begin():
        assert shown(session) is None
        by_hand_draft = compile_(session, "ekonomi@x.se", draft=True)
        assert shown(session) == by_hand_draft  # nothing better yet
        automatic = compile_(session, "arshjul", key="v1", draft=True)
        assert shown(session) == automatic
        compile_(session, "ekonomi@x.se", draft=True)
        assert shown(session) == automatic  # a newer hand-made draft is no better
        final = compile_(session, "ekonomi@x.se", draft=False)
        assert shown(session) == final  # made after the approvals
        resubmitted = compile_(session, "arshjul", key="v2", draft=True)
        assert shown(session) == resubmitted  # a new version after it


def test_sync_config_keeps_people_in_step(sessions: Sessions) -> None:
    config = load_config(BUNDLED_CONFIG)
    with sessions() as session, session.begin():
        sync_config(session, config)
    chef = config.units[0].chef.email
    with sessions() as session:
        people = PeopleRepository(session)
        assert people.get(email=chef.upper()) is not None
        kinds = {m.kind for m in people.memberships(email=chef)}
        assert "unit_chef" in kinds
        assert len(people.units(org_id=config.organisation.id)) == len(config.units)
    smaller = config.model_copy(update={"units": config.units[1:]})
    with sessions() as session, session.begin():
        sync_config(session, smaller)
        sync_config(session, smaller)  # twice is harmless
    with sessions() as session:
        people = PeopleRepository(session)
        assert len(people.units(org_id=config.organisation.id)) == len(config.units) - 1
        still_named = (
            any(u.chef.email == chef for u in smaller.units)
            or any(p.email == chef for r in smaller.roles for p in r.people)
            or any(m.email == chef for c in smaller.committees for m in c.members)
        )
        assert (people.get(email=chef) is not None) == still_named


def test_the_organisation_its_role_holders_and_its_rounds_last_change(sessions: Sessions) -> None:
    config = load_config(BUNDLED_CONFIG)
    org_id = config.organisation.id
    with sessions() as session, session.begin():
        sync_config(session, config)
        assert RoundRepository(session).last_updated(org_id=org_id) is None
    roles = {r.id: r for r in config.roles}
    with sessions() as session:
        org = OrganisationRepository(session).get(org_id=org_id)
        assert org is not None and org.contact_role == "ekonomichef"
        assert OrganisationRepository(session).get(org_id="okand") is None
        people = PeopleRepository(session)
        found = people.first_holder(org_id=org_id, role_id="ekonomichef")
        assert found is not None
        member, person = found
        first = roles["ekonomichef"].people[0]
        assert (person.email, member.ref_title) == (first.email.lower(), roles["ekonomichef"].title)
        assert people.first_holder(org_id=org_id, role_id="okand") is None
        wanted = ["ekonomichef", "kommundirektor"]
        expected = {(p.name, p.email.lower()) for r in wanted for p in roles[r].people}
        holders = people.holders(org_id=org_id, role_ids=wanted)
        assert set(holders) == expected and len(holders) == len(expected)
        assert [email for _, email in holders] == sorted(email for _, email in holders)
        assert people.org_of(email=f" {first.email.upper()} ") == org_id
        assert people.org_of(email="nobody@example.org") is None
    with sessions() as session, session.begin():
        row = RoundRepository(session).upsert_from_event(
            event(round_spec(), 0, "request", RoundState.OPEN)
        )
        assert RoundRepository(session).last_updated(org_id=org_id) == row.updated_at
        assert RoundRepository(session).last_updated(org_id="okand") is None


def test_the_store_refuses_a_nul_on_every_backend_and_keeps_nothing(
    sessions: sessionmaker[Session],
) -> None:
    # The last guard behind the forms: SQLite once stored it, PostgreSQL answered DataError.
    from arshjul.store.models.base import StoreTextError
    from arshjul.store.unit_people import UnitPeopleRepository

    person = {"kind": "recipient", "name": "Dana\x00", "email": "d@example.org"}
    with sessions() as session:
        repository = UnitPeopleRepository(session)
        with pytest.raises(StoreTextError):
            repository.add(org_id="hedemora", unit_id="bun", created_by="eva@example.org", **person)
    with sessions() as session:
        assert UnitPeopleRepository(session).list(org_id="hedemora", unit_id="bun") == []
