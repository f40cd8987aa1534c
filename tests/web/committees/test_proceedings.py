"""KSAU's secretary records how a report is handled at the meeting: two yrkanden, an open vote,
the decision the vote gave (another is refused), a reservation with its reason; the protocol
words it all. Jäv that leaves KSAU not beslutför stops the decision."""

from __future__ import annotations

import datetime as dt
import re

import httpx

from arshjul.models.rounds import RoundState
from tests.web.conftest import KSAU_SECRETARY, ON_BUDGET, WebRig, csrf_of, today

GUNNAR, INGRID, MATS = "gunnar.stahl@example.org", "ingrid.falk@example.org", "mats.ryd@example.org"


async def _on_agenda_today(web: WebRig) -> tuple[str, str]:
    spec, link = await web.open_round(meeting_in_days=0)
    page = await web.http.get(link)
    sent = await web.http.post(link, data={"csrf": csrf_of(page.text), **ON_BUDGET})
    assert sent.status_code == 303
    await web.wait_for_state(spec.workflow_id, lambda s: s.state == RoundState.ON_AGENDA)
    return "/ksau/arenden/" + spec.workflow_id.removeprefix("round/"), spec.workflow_id


async def _attend(ksau: httpx.AsyncClient, day: dt.date, present: list[str]) -> None:
    page = f"/ksau/sammantraden/{day.isoformat()}"
    csrf = csrf_of((await ksau.get(page)).text)
    details = {"present": present, "adjusters": [INGRID], "chair": GUNNAR, "starts_at": "08:30"}
    saved = await ksau.post(f"{page}/uppgifter", data={"csrf": csrf, **details})
    assert saved.status_code == 303, saved.text[-1500:]


def _said(page: httpx.Response) -> str:
    found = re.search(r'id="problem">([^<]*)<', page.text)
    return found.group(1) if found else ""


async def test_a_vote_decides_and_the_protocol_says_how(web: WebRig) -> None:
    case, wid = await _on_agenda_today(web)
    ksau = await web.login(KSAU_SECRETARY)
    first = await ksau.get(case)
    assert 'id="no-attendance"' in first.text  # the närvaro comes first
    await _attend(ksau, today(), [GUNNAR, INGRID, MATS])
    csrf = csrf_of((await ksau.get(case)).text)
    handle = f"{case}/handlaggning"

    stranger = await ksau.post(
        handle,
        data={"csrf": csrf, "action": "yrkande", "by": "x@example.org", "outcome": "approve"},
    )
    assert stranger.status_code == 409 and "närvarande ledamot" in _said(stranger)
    for who, outcome in ((INGRID, "approve"), (MATS, "remit")):
        made = await ksau.post(
            handle, data={"csrf": csrf, "action": "yrkande", "by": who, "outcome": outcome}
        )
        assert made.status_code == 303, made.text[-1500:]
    vote = {"csrf": csrf, "action": "omrostning", "ja": "0", "nej": "1"}
    ballots = {f"rost:{GUNNAR}": "ja", f"rost:{INGRID}": "ja"}
    short = await ksau.post(handle, data={**vote, **ballots})
    assert short.status_code == 409 and "Saknas: Mats Ryd." in _said(short)
    counted = await ksau.post(
        handle, data={**vote, **ballots, f"rost:{MATS}": "nej"}, follow_redirects=True
    )
    assert "Omröstningen är registrerad." in counted.text
    assert 'id="vote-result">Omröstningen ger <strong>Godkänn' in counted.text

    remit = {"csrf": csrf, "outcome": "remit", "reason": "Mer underlag", "confirm": "ja"}
    refused = await ksau.post(f"{case}/beslut", data=remit)
    assert refused.status_code == 409
    assert "Omröstningen gav Ingrid Falks yrkande" in _said(refused)
    assert ">Mer underlag</textarea>" in refused.text  # what was typed is kept
    assert (await web.status(wid)).state == RoundState.ON_AGENDA
    approve = {"csrf": csrf, "outcome": "approve", "reason": "", "confirm": "ja"}
    assert (await ksau.post(f"{case}/beslut", data=approve)).status_code == 303
    await web.wait_for_state(wid, lambda s: s.state == RoundState.APPROVED)

    reserved = await ksau.post(
        handle,
        data={"csrf": csrf, "action": "reservation", "by": MATS, "text": "Underlaget räcker inte."},
    )
    assert reserved.status_code == 303
    protocol = (await ksau.get(f"/ksau/protokoll/{today().isoformat()}")).text
    for sentence in (
        "Ingrid Falk yrkar: godkänn.",
        "Mats Ryd yrkar: återremittera för komplettering.",
        "Omröstning begärs och verkställs.",
        "Ja: Gunnar Ståhl, Ingrid Falk.",
        "Nej: Mats Ryd.",
        "Med 2 ja-röster mot 1 nej-röst beslutar kommunstyrelsens arbetsutskott enligt Ingrid "
        "Falks yrkande.",
        "Mats Ryd reserverar sig mot beslutet till förmån för eget yrkande, med skriftlig "
        "motivering: Underlaget räcker inte.",
    ):
        assert sentence in protocol, sentence
    # The vote comes before the decision, the reservation after it.
    assert protocol.index("Omröstning begärs") < protocol.index("beslutar att")
    assert protocol.index("beslutar att") < protocol.index("reserverar sig")

    # Justerat, the protocol takes no more reservations or anteckningar.
    meeting = f"/ksau/sammantraden/{today().isoformat()}"
    for signer in (GUNNAR, INGRID):
        person = await web.login(signer)
        signed = await person.post(
            f"{meeting}/justera",
            data={"csrf": csrf_of((await person.get(meeting)).text), "confirm": "ja"},
        )
        assert signed.status_code == 303, signed.text[-1500:]
    late = await ksau.post(
        handle, data={"csrf": csrf, "action": "anteckning", "by": GUNNAR, "text": "Sent."}
    )
    assert late.status_code == 409 and "Protokollet är justerat" in _said(late)
    assert "Sent." not in (await ksau.get(f"/ksau/protokoll/{today().isoformat()}")).text


async def test_jav_that_leaves_too_few_stops_the_decision(web: WebRig) -> None:
    case, wid = await _on_agenda_today(web)
    ksau = await web.login(KSAU_SECRETARY)
    await _attend(ksau, today(), [GUNNAR, INGRID, MATS])
    csrf = csrf_of((await ksau.get(case)).text)
    jav = await ksau.post(
        f"{case}/handlaggning", data={"csrf": csrf, "action": "jav", "jav": [INGRID, MATS]}
    )
    assert jav.status_code == 303
    page = await ksau.get(case)
    assert "Organet är inte beslutfört i ärendet: 1 av 3 ledamöter deltar efter jäv" in page.text
    approve = {"csrf": csrf, "outcome": "approve", "reason": "", "confirm": "ja"}
    refused = await ksau.post(f"{case}/beslut", data=approve)
    assert refused.status_code == 409 and "inte beslutfört" in _said(refused)
    assert (await web.status(wid)).state == RoundState.ON_AGENDA
    # A jävig member makes no yrkande.
    motion = await ksau.post(
        f"{case}/handlaggning",
        data={"csrf": csrf, "action": "yrkande", "by": MATS, "outcome": "approve"},
    )
    assert motion.status_code == 409 and "Mats Ryd deltar inte i ärendet" in _said(motion)
    one = await ksau.post(
        f"{case}/handlaggning", data={"csrf": csrf, "action": "jav", "jav": [INGRID]}
    )
    assert one.status_code == 303
    assert (await ksau.post(f"{case}/beslut", data=approve)).status_code == 303
    await web.wait_for_state(wid, lambda s: s.state == RoundState.APPROVED)
    protocol = (await ksau.get(f"/ksau/protokoll/{today().isoformat()}")).text
    assert "Ingrid Falk anmäler jäv och deltar inte i handläggningen av ärendet." in protocol
