"""Every refusal of the pages, each leaving the round, the store and the mail as they were."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

from sqlalchemy import func, select

from arshjul.models.rounds import RoundState
from arshjul.notifications import tokens
from arshjul.store.db import utc_now
from arshjul.store.models import Attachment, Decision, Draft, Submission
from tests.web.conftest import (
    CHEF,
    EKONOMICHEF,
    HR_CHEF,
    KSAU_MEMBER,
    KSAU_SECRETARY,
    WebRig,
    csrf_of,
    round_spec,
)

GOOD = {
    "economic.budget_tkr": "1000",
    "economic.utfall_tkr": "700",
    "economic.forecast_tkr": "950",
    "economic.analysis": "Inom budget.",
    "action": "submit",
}


def counts(web: WebRig) -> tuple[int, int, int, int]:
    """Counts submissions, drafts, attachments and decisions: what a refusal must not change."""
    with web.sessions() as session:
        return tuple(  # type: ignore[return-value]
            session.scalar(select(func.count()).select_from(model)) or 0
            for model in (Submission, Draft, Attachment, Decision)
        )


def docx_bytes() -> bytes:
    """Returns a minimal file with the structure of a Word document, the same bytes every call."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        # A fixed time: writestr(name) stamps the clock, and a second boundary between two calls
        # would make "the same file" differ.
        parts = (("[Content_Types].xml", "<Types/>"), ("word/document.xml", "<document/>"))
        for name, text in parts:
            archive.writestr(zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), text)
    return buffer.getvalue()


async def test_bad_links_change_nothing(web: WebRig) -> None:
    spec, link = await web.open_round()
    other = round_spec(web.config, unit_id="sof")
    with web.sessions.begin() as session:
        expired = tokens.issue(
            session,
            purpose="submit",
            ttl=dt.timedelta(minutes=5),
            workflow_id=spec.workflow_id,
            unit_id="bun",
            secret_key=web.settings.secret_key,
            now=utc_now() - dt.timedelta(days=1),
        )
        # A token whose unit is not the unit of its round (forged scope).
        wrong_unit = tokens.issue(
            session,
            purpose="submit",
            ttl=dt.timedelta(days=1),
            workflow_id=other.workflow_id,
            unit_id="bun",
            secret_key=web.settings.secret_key,
        )
        login = tokens.issue(
            session,
            purpose="login",
            ttl=dt.timedelta(days=1),
            email=CHEF,
            secret_key=web.settings.secret_key,
        )
    page = await web.http.get(link)
    csrf = csrf_of(page.text)
    before = counts(web)
    tampered = link[:-2] + ("AA" if not link.endswith("AA") else "BB")
    cases = {
        tampered: 403,
        "/s/" + "x" * 43: 403,
        f"/s/{expired}": 410,
        f"/s/{wrong_unit}": 403,
        f"/s/{login}": 403,
    }
    for path, code in cases.items():
        shown = await web.http.get(path)
        assert shown.status_code == code, path
        assert 'lang="sv"' in shown.text
        if path == f"/s/{expired}":
            continue  # what is typed behind an expired link is kept (test_kept_answers)
        posted = await web.http.post(path, data={"csrf": csrf, **GOOD})
        assert posted.status_code == code, path
    assert "Länken har gått ut" in (await web.http.get(f"/s/{expired}")).text
    assert counts(web) == before
    assert (await web.status(spec.workflow_id)).state == RoundState.OPEN


async def test_missing_csrf_changes_nothing(web: WebRig) -> None:
    spec, link = await web.open_round()
    await web.http.get(link)
    before = counts(web)
    for data in (GOOD, {**GOOD, "csrf": "forged"}, {**GOOD, "action": "save"}):
        answer = await web.http.post(link, data=data)
        assert answer.status_code == 403
        assert "Åtkomst nekad" in answer.text
    assert counts(web) == before
    assert (await web.status(spec.workflow_id)).state == RoundState.OPEN


async def test_committee_actions_need_the_right_login(web: WebRig) -> None:
    spec, link = await web.open_round()
    page = await web.http.get(link)
    await web.http.post(link, data={"csrf": csrf_of(page.text), **GOOD})
    await web.wait_for_state(spec.workflow_id, lambda s: s.state == RoundState.ON_AGENDA)
    case = f"/ksau/arenden/{spec.workflow_id.removeprefix('round/')}"
    decision = {"csrf": csrf_of(page.text), "outcome": "approve", "reason": ""}
    before = counts(web)

    anonymous = await web.http.post(f"{case}/beslut", data=decision)
    assert anonymous.status_code == 401
    assert (await web.http.get("/ksau")).headers["location"] == "/login?next=/ksau"

    hr = await web.login(HR_CHEF)
    assert (await hr.get("/ksau")).status_code == 403
    wrong_role = await hr.post(
        f"{case}/beslut", data={**decision, "csrf": csrf_of((await hr.get("/login")).text)}
    )
    assert wrong_role.status_code == 403
    # The ekonomichef may read the agenda but not decide.
    chef = await web.login(EKONOMICHEF)
    assert (await chef.get(case)).status_code == 200
    not_member = await chef.post(
        f"{case}/beslut", data={**decision, "csrf": csrf_of((await chef.get("/login")).text)}
    )
    assert not_member.status_code == 403
    # A KSAU member who is not its secretary does not record decisions.
    ksau = await web.login(KSAU_MEMBER)
    member_page = await ksau.get(case)
    assert "Sekreteraren protokollför" in member_page.text and "Granska beslutet" not in (
        member_page.text
    )
    member = await ksau.post(
        f"{case}/beslut", data={**decision, "csrf": csrf_of(member_page.text), "confirm": "ja"}
    )
    assert member.status_code == 403

    assert counts(web) == before
    assert (await web.status(spec.workflow_id)).state == RoundState.ON_AGENDA
    for client in (hr, chef, ksau):
        await client.aclose()


async def test_the_workflow_refusal_is_shown(web: WebRig) -> None:
    spec = round_spec(web.config)
    await web.start_round(spec)
    ksau = await web.login(KSAU_SECRETARY)
    case = f"/ksau/arenden/{spec.workflow_id.removeprefix('round/')}"
    page = await ksau.get(case)
    assert "Granska beslutet" not in page.text  # not on the agenda: no form offered
    forced = await ksau.post(
        f"{case}/beslut",
        data={
            "csrf": csrf_of((await ksau.get("/login")).text),
            "outcome": "approve",
            "confirm": "ja",
        },
    )
    assert forced.status_code == 409
    assert "inte står på föredragningslistan" in forced.text
    assert (await web.status(spec.workflow_id)).state == RoundState.OPEN
    await ksau.aclose()


async def test_uploads_are_checked_by_content_and_size(web: WebRig) -> None:
    spec, link = await web.open_round()
    page = await web.http.get(link)
    csrf = csrf_of(page.text)
    before = counts(web)
    draft = {"csrf": csrf, "action": "save", "economic.analysis": "Text som inte får försvinna."}
    fake_pdf = ("rapport.pdf", b"<html>not a pdf</html>", "application/pdf")
    wrong = await web.http.post(link, data=draft, files={"files": fake_pdf})
    assert wrong.status_code == 400
    assert "bara PDF, Word (.docx) och Excel (.xlsx)" in wrong.text
    assert "Text som inte får försvinna." in wrong.text
    renamed = ("rapport.xlsx", docx_bytes(), "application/octet-stream")  # a .docx named .xlsx
    assert (await web.http.post(link, data=draft, files={"files": renamed})).status_code == 400
    big = ("stor.pdf", b"%PDF-1.7\n" + b"0" * (70 * 1024), "application/pdf")
    too_big = await web.http.post(link, data=draft, files={"files": big})
    assert too_big.status_code == 413
    assert "För stor fil" in too_big.text
    huge = await web.http.post(link, data={**draft, "economic.analysis": "x" * (600 * 1024)})
    assert huge.status_code == 413
    assert counts(web) == before

    good = ("Bilaga 1.docx", docx_bytes(), "application/octet-stream")
    saved = await web.http.post(link, data=draft, files={"files": good})
    assert saved.status_code == 303  # Post/Redirect/Get: back and reload show the form
    shown = await web.http.get(saved.headers["location"])
    assert re.search(r"Utkastet sparades kl\. \d\d\.\d\d\.", shown.text)
    assert "Bilaga 1.docx" in shown.text
    assert "Text som inte får försvinna." in shown.text
    with web.sessions() as session:
        stored = session.scalars(select(Attachment)).one()
    assert stored.content_type.endswith("wordprocessingml.document")
    download = await web.http.get(f"{link}/bilagor/{stored.sha256}")
    assert download.content == docx_bytes()


async def test_html_in_free_text_is_shown_escaped(web: WebRig) -> None:
    spec, link = await web.open_round()
    page = await web.http.get(link)
    script = '<script>alert("x")</script><b>fet</b>'
    sent = await web.http.post(
        link, data={"csrf": csrf_of(page.text), **GOOD, "economic.analysis": script}
    )
    receipt = await web.http.get(sent.headers["location"])
    assert script not in receipt.text
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&lt;b&gt;fet&lt;/b&gt;" in receipt.text
    await web.wait_for_state(spec.workflow_id, lambda s: s.state == RoundState.ON_AGENDA)
    ksau = await web.login(KSAU_MEMBER)
    report = await ksau.get(f"/ksau/arenden/{spec.workflow_id.removeprefix('round/')}")
    assert script not in report.text
    assert "&lt;script&gt;" in report.text
    await ksau.aclose()
