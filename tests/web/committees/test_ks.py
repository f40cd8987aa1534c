"""KSAU forwards a report to KS (reason required); a KS member decides it on the /ks page."""

from __future__ import annotations

from pathlib import Path

from arshjul.calendar.config import Person
from arshjul.calendar.loader import load_config
from arshjul.models.rounds import RoundState
from arshjul.settings import BUNDLED_CONFIG
from arshjul.store.repositories import DecisionRepository
from tests.conftest import MailSink
from tests.web.conftest import KSAU_SECRETARY, ON_BUDGET, csrf_of, open_rig

KS_MEMBER = "karl.ks@example.org"


def config_with_ks_member():  # type: ignore[no-untyped-def]
    """The bundled configuration with one KS member (it names none)."""
    config = load_config(BUNDLED_CONFIG)
    committees = [
        # No secretary or ordförande of its own here: its member records its decisions.
        c.model_copy(
            update={
                "members": [Person(name="Karl Ks", email=KS_MEMBER)],
                "secretary": None,
                "chair": None,
            }
        )
        if c.id == "ks"
        else c
        for c in config.committees
    ]
    return config.model_copy(update={"committees": committees})


async def test_referral_to_ks_and_its_decision(tmp_path: Path, smtp_sink: MailSink) -> None:
    async with open_rig(tmp_path, smtp_sink, config=config_with_ks_member()) as web:
        spec, link = await web.open_round(meeting_in_days=0)  # KSAU and KS meet today
        page = await web.http.get(link)
        await web.http.post(
            link,
            data={"csrf": csrf_of(page.text), **ON_BUDGET},
        )
        await web.wait_for_state(spec.workflow_id, lambda s: s.state == RoundState.ON_AGENDA)
        path = spec.workflow_id.removeprefix("round/")

        ksau = await web.login(KSAU_SECRETARY)
        report = await ksau.get(f"/ksau/arenden/{path}")
        csrf = csrf_of(report.text)
        decide = f"/ksau/arenden/{path}/beslut"
        bare = await ksau.post(decide, data={"csrf": csrf, "outcome": "forward:ks"})
        assert bare.status_code == 400
        reason = "Principiell fråga om placeringar."
        referred = await ksau.post(
            decide,
            data={"csrf": csrf, "outcome": "forward:ks", "reason": reason, "confirm": "ja"},
            follow_redirects=True,
        )
        assert referred.status_code == 200
        await web.wait_for_state(
            spec.workflow_id, lambda s: s.state == RoundState.ON_AGENDA and s.committee_id == "ks"
        )
        # KSAU's secretary may read the KS list but not record there.
        assert (await ksau.get("/ks")).status_code == 200
        assert (
            await ksau.post(f"/ks/arenden/{path}/beslut", data={"csrf": csrf, "outcome": "approve"})
        ).status_code == 403

        ks = await web.login(KS_MEMBER)
        listing = await ks.get("/ks")
        assert f'href="/ks/arenden/{path}"' in listing.text
        case = await ks.get(f"/ks/arenden/{path}")
        assert "Lämna ärendet till" not in case.text  # KS approves or remits only
        approved = await ks.post(
            f"/ks/arenden/{path}/beslut",
            data={"csrf": csrf_of(case.text), "outcome": "approve", "confirm": "ja"},
            follow_redirects=True,
        )
        assert approved.status_code == 200
        assert "Kommunstyrelsen (KS) har godkänt rapporten." in approved.text
        await web.wait_for_state(spec.workflow_id, lambda s: s.state == RoundState.APPROVED)
        with web.sessions() as session:
            outcomes = [
                d.outcome
                for d in DecisionRepository(session).list_for_round(workflow_id=spec.workflow_id)
            ]
        assert outcomes == ["referred", "approved"]
        await ksau.aclose()
        await ks.aclose()
