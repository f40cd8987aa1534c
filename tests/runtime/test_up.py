"""`arshjul up` end to end: a newcomer's first mail, a submission, a power cut, a dead server."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import re
import signal
from collections import Counter
from pathlib import Path

import httpx
import pytest
from temporalio.client import Client, WorkflowExecutionStatus, WorkflowQueryFailedError
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.service import RPCError

from arshjul.calendar.loader import load_config
from arshjul.models.rounds import QUERY_STATUS, RoundState, RoundStatus
from arshjul.runtime.processes import port_open, process_identity
from tests.runtime.conftest import (
    UpProcess,
    config_without_reports,
    eventually,
    post_forms,
    read_state,
)

# Over a minute of real processes or skipped days: `make test-slow` (docs/TESTING.md).
pytestmark = pytest.mark.slow

_HREF = re.compile(r'<a href="(http[^"]+)"')


def _inbox(up: UpProcess) -> list[dict[str, str]]:
    return httpx.get(f"{up.base_url}/dev/mail.json", timeout=5).json()


def _request_mail(up: UpProcess) -> dict[str, str]:
    """Waits for the first mail that carries a link into the web app (a round's request)."""

    def find() -> dict[str, str] | None:
        for mail in reversed(_inbox(up)):  # oldest first
            page = httpx.get(f"{up.base_url}/dev/mail/{mail['name']}", timeout=5).text
            links = [h.replace("&amp;", "&") for h in _HREF.findall(page)]
            links = [h for h in links if h.startswith(up.base_url)]
            if links:
                return {**mail, "link": links[0]}
        return None

    return eventually(find, timeout=60)  # type: ignore[return-value]


def _fill(fields: list[tuple[str, dict[str, str]]]) -> dict[str, str]:
    """Fills a report form the way a hurried förvaltningschef would: every field, plausibly."""
    today = dt.date.today().isoformat()
    data: dict[str, str] = {}
    for kind, a in fields:
        name, typ = a["name"], a.get("type", "text").lower()
        leaf = name.rsplit(".", 1)[-1]
        if kind == "button":
            if a.get("value") == "submit":
                data[name] = "submit"
        elif kind == "select":
            options = [o for o in a.get("options", "").split("\n") if o]
            data[name] = options[0] if options else ""
        elif typ in ("hidden", "submit"):
            data.setdefault(name, a.get("value", ""))
        elif typ in ("checkbox", "radio", "file"):
            continue
        elif a.get("value") or (kind == "textarea" and a.get("text", "").strip()):
            data[name] = a.get("value") or a.get("text", "")
        elif typ == "date" or leaf in ("start", "end", "date"):
            data[name] = today
        elif typ == "number" or leaf.endswith("_tkr"):
            data[name] = "100"
        else:
            data[name] = "Arbetet följer planen."
    return data


def _submit(up: UpProcess, link: str) -> httpx.Response:
    """Opens the mail's link and submits its form with the page's CSRF field."""
    with httpx.Client(base_url=up.base_url, follow_redirects=True, timeout=20) as browser:
        page = browser.get(link)
        assert page.status_code == 200, page.text[:500]
        forms = post_forms(page.text)
        assert forms, f"no POST form at {link}"
        form = max(forms, key=lambda f: len(f["fields"]))  # the report, not a logout button
        data = _fill(form["fields"])  # type: ignore[arg-type]
        assert any("csrf" in k.lower() for k in data), f"no CSRF field in {sorted(data)}"
        answer = browser.post(str(form["action"]) or str(page.url), data=data)
        assert answer.status_code == 200, answer.text[:2000]
        return answer


async def _client(up: UpProcess) -> Client:
    return await Client.connect(up.temporal_address, data_converter=pydantic_data_converter)


async def _status(up: UpProcess, workflow_id: str) -> RoundStatus:
    client = await _client(up)
    handle = client.get_workflow_handle(workflow_id)
    return await handle.query(QUERY_STATUS, result_type=RoundStatus)


def _status_when_ready(up: UpProcess, workflow_id: str) -> RoundStatus:
    """Queries the round, retrying while the server or the worker is still coming back."""

    def attempt() -> RoundStatus | None:
        try:
            return asyncio.run(_status(up, workflow_id))
        except (RuntimeError, RPCError, WorkflowQueryFailedError):
            return None

    return eventually(attempt, timeout=60)  # type: ignore[return-value]


def _sql(up: UpProcess, query: str, **params: object) -> list[tuple[object, ...]]:
    """Runs a read-only query on the store of the data dir."""
    from sqlalchemy import create_engine, text

    engine = create_engine(f"sqlite:///{up.data_dir / 'arshjul.sqlite'}")
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(text(query), params)]
    finally:
        engine.dispose()


def _round_of(up: UpProcess, mail: dict[str, str]) -> str:
    """Finds the round a received mail belongs to, through the store's sent-mail record."""
    rows = _sql(up, "SELECT workflow_id FROM sent_mail WHERE message_id = :m", m=mail["message_id"])
    assert len(rows) == 1, f"no sent_mail row for {mail['message_id']}"
    return str(rows[0][0])


def test_submission_survives_a_power_cut_and_no_mail_is_sent_twice(
    up_process: UpProcess,
    tmp_path: Path,
) -> None:
    # On a day without a real open round: the demo round, which goes on KSAU's agenda.
    up = up_process
    up.config = config_without_reports(tmp_path / "no-reports.yaml")
    up.start()
    mail = _request_mail(up)
    assert "Demonstration" in mail["subject"]
    workflow_id = _round_of(up, mail)
    assert workflow_id.startswith("round/hedemora/demo-uppsiktsrapport/")
    _submit(up, mail["link"])
    before = asyncio.run(_status(up, workflow_id))
    assert before.state == RoundState.ON_AGENDA
    assert before.meeting is not None
    assert before.submission_id is not None  # next step: KSAU decides at `meeting`
    mails_before = _inbox(up)

    up.kill_group()
    up.start()

    after = _status_when_ready(up, workflow_id)
    assert (after.state, after.submission_id, after.due, after.next_step, after.meeting) == (
        before.state,
        before.submission_id,
        before.due,
        before.next_step,
        before.meeting,
    )
    assert [h.event for h in after.history] == [h.event for h in before.history]
    # The mail's link still opens the round's page after the crash.
    page = httpx.get(mail["link"], timeout=20, follow_redirects=True)
    assert page.status_code == 200, page.text[:500]
    assert _sql(up, "SELECT id FROM submissions WHERE workflow_id = :w", w=workflow_id) == [
        (before.submission_id,)
    ]
    # No second copy: every mail in the inbox has its own Message-ID and one sent_mail record.
    mails_after = _inbox(up)
    ids = Counter(m["message_id"] for m in mails_after)
    assert [k for k, n in ids.items() if n > 1] == []
    assert {m["name"] for m in mails_before} <= {m["name"] for m in mails_after}
    eventually(lambda: len(_inbox(up)) == _sql(up, "SELECT count(*) FROM sent_mail")[0][0])
    assert read_state(up.data_dir)["parts"]  # the second run is up and recorded its parts
    # The file went into the store once; the restart with the same file made no new version.
    versions = _sql(up, "SELECT version, source, actor FROM config_versions")
    assert versions == [(1, "file:no-reports.yaml", "arshjul up")]
    assert up.stop() == 0
    # Two runs of every part sent, took and restarted: no log names a configured person.
    config = load_config(up.config)
    people = {str(u.chef.email).lower() for u in config.units}
    people |= {str(p.email).lower() for c in config.committees for p in c.members}
    logs = " ".join(f.read_text(errors="replace") for f in (up.data_dir / "logs").glob("*.log"))
    assert "event=" in logs and not {a for a in people if a in logs.lower()}


def test_supervisor_restarts_a_killed_dev_server_with_workflows_intact(
    up_process: UpProcess,
) -> None:
    # The bundled example: a real round if one is open today, else the demo round.
    up = up_process
    up.start()
    mail = _request_mail(up)
    workflow_id = _round_of(up, mail)
    before = asyncio.run(_status(up, workflow_id))
    old_pid = up.pid_of("temporal")

    os.kill(old_pid, signal.SIGKILL)
    eventually(lambda: up.pid_of("temporal") != old_pid)
    eventually(lambda: port_open("127.0.0.1", up.temporal_port))

    after = _status_when_ready(up, workflow_id)
    assert (after.state, after.due, after.next_step) == (before.state, before.due, before.next_step)

    async def described() -> WorkflowExecutionStatus | None:
        return (await (await _client(up)).get_workflow_handle(workflow_id).describe()).status

    assert asyncio.run(described()) == WorkflowExecutionStatus.RUNNING
    log = (up.data_dir / "logs" / "up.log").read_text()
    assert "event=process.restarted" in log
    assert "part=temporal" in log
    assert up.stop() == 0


def test_a_killed_up_takes_its_parts_along_and_the_next_up_starts(
    up_process: UpProcess, tmp_path: Path
) -> None:
    # SIGKILL of `up` alone once left Temporal, worker and web running unsupervised (login links
    # answered 503 with no mail sink) and the next `up` failed on "port already in use".
    up = up_process
    up.config = config_without_reports(tmp_path / "no-reports.yaml")
    up.start()
    children = {part: up.pid_of(part) for part in ("temporal", "worker", "web")}
    assert up.proc is not None
    os.kill(up.proc.pid, signal.SIGKILL)
    up.proc.wait()

    eventually(lambda: all(process_identity(p) is None for p in children.values()), timeout=30)
    assert not port_open("127.0.0.1", up.port)
    assert not port_open("127.0.0.1", up.temporal_port)

    up.start()
    assert httpx.get(f"{up.base_url}/readyz", timeout=10).status_code == 200
    assert set(read_state(up.data_dir)["parts"]) == set(children)  # type: ignore[arg-type]
    assert up.stop() == 0
