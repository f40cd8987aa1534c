"""The ekonomichef's overview at a year's scale: late and at-risk rounds first with a bulk
reminder, filters, sorting and pages, rounds that never ran, and the table as Excel and CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io

from openpyxl import load_workbook

from arshjul.models.rounds import RoundState
from arshjul.store.repositories import AuditRepository, RoundRepository
from tests.store.conftest import event
from tests.web.conftest import EKONOMICHEF, KSAU_MEMBER, WebRig, csrf_of, round_spec, today

SOF_CHEF = "maria.holm@example.org"
KFO_CHEF = "sara.nystrom@example.org"


def _mirror(web: WebRig, unit: str, due: dt.date, state: RoundState) -> str:
    spec = round_spec(web.config, unit_id=unit).model_copy(update={"due": due})
    with web.sessions.begin() as session:
        RoundRepository(session).upsert_from_event(event(spec, 1, "request", RoundState.OPEN))
        if state != RoundState.OPEN:
            RoundRepository(session).upsert_from_event(event(spec, 2, "submitted", state))
    return spec.workflow_id


async def test_late_first_filters_export_and_bulk_reminder(web: WebRig) -> None:
    t = today()
    late = _mirror(web, "sof", t - dt.timedelta(days=3), RoundState.OPEN)
    soon = _mirror(web, "kfo", t + dt.timedelta(days=1), RoundState.OPEN)
    done = _mirror(web, "sbf", t + dt.timedelta(days=1), RoundState.SUBMITTED)
    eva = await web.login(EKONOMICHEF)

    page = (await eva.get("/")).text
    risk = page.split('id="risk"')[1].split("</table>")[0]
    assert risk.index(late) < risk.index(soon) and done not in risk
    assert f'value="{late}" id="risk-1"' in risk and " checked" in risk.split(soon)[0]
    assert "rapporter öppnades aldrig" in page  # the plan's rounds whose day passed, collapsed
    never = (await eva.get("/?status=never_opened")).text
    assert "rapporter, sida 1 av" in never  # a year of ten units does not fit one page

    only_late = (await eva.get("/?status=försenad")).text
    table = only_late.split('id="status"')[1].split("</table>")[0]
    assert table.count("data-round=") == 1 and late in table
    by_unit = (await eva.get("/?unit=sof&sort=report")).text.split('id="status"')[1]
    assert "Socialförvaltningen" in by_unit and "Kultur- och fritidsförvaltningen" not in by_unit

    sheet = await eva.get("/oversikt.csv?status=försenad")
    assert sheet.headers["content-type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(sheet.text.lstrip("\ufeff")), delimiter=";"))
    assert lines[0][:3] == ["Rapport", "Period", "Enhet"]
    assert [line[2] for line in lines[1:]] == ["Socialförvaltningen"]
    book = load_workbook(io.BytesIO((await eva.get("/oversikt.xlsx?unit=kfo")).content))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][4] == "Sista dag" and {r[2] for r in rows[1:]} == {
        "Kultur- och fritidsförvaltningen"
    }
    assert any(r[4] is not None and r[4].date() == t + dt.timedelta(days=1) for r in rows[1:])

    start = len(web.sink.messages)
    sent = await eva.post(
        "/omgangar/paminn",
        data={"csrf": csrf_of(page), "round": [late, soon, done]},
    )
    assert sent.status_code == 200
    assert "Påminnelse skickad för 2 rapporter" in sent.text and "Inte skickad" in sent.text
    mails = web.sink.messages[start:]
    assert sorted(str(m["To"].addresses[0].addr_spec) for m in mails) == [SOF_CHEF, KFO_CHEF]
    assert all(str(m["Subject"]).startswith("Påminnelse:") for m in mails)
    with web.sessions() as session:
        logged = [
            e for e in AuditRepository(session).list_recent() if e.action == "manual_reminder"
        ]
        assert {e.workflow_id for e in logged} == {late, soon}
        assert {e.actor for e in logged} == {EKONOMICHEF}

    ksau = await web.login(KSAU_MEMBER)  # sees the overview, may not remind
    refused = await ksau.post(
        "/omgangar/paminn", data={"csrf": csrf_of((await ksau.get("/")).text), "round": late}
    )
    assert refused.status_code == 403
    await eva.aclose()
    await ksau.aclose()


def test_the_year_plan_is_computed_once_per_configuration() -> None:
    from arshjul.calendar.loader import load_config
    from arshjul.calendar.specs import round_specs
    from arshjul.web.overview.rows import planned
    from tests.commands.test_calendar_cli import EXAMPLES

    examples = sorted(EXAMPLES.glob("*.yaml"))
    configs = [load_config(path) for path in examples]
    for config in configs + configs:  # the second pass is served from the cache
        specs, _ = planned(config, 2026)
        assert [s.workflow_id for s in specs] == [
            s.workflow_id for s in round_specs(config, 2026, skipped=[])
        ]
    first, _ = planned(configs[0], 2026)
    assert planned(configs[0], 2026)[0] is first  # no recomputation for the same configuration
    reloaded = load_config(examples[0])  # equal but new (a restart): planned anew
    assert planned(reloaded, 2026)[0] is not first


def _rounds_of(html: str, table_id: str) -> list[str]:
    body = html.split(f'id="{table_id}"')[1].split("</table>")[0]
    return [part.split('"')[0] for part in body.split('data-round="')[1:]]


async def test_the_first_page_opens_on_what_to_act_on_and_pages_stay_put(web: WebRig) -> None:
    t = today()
    done = _mirror(web, "sbf", t - dt.timedelta(days=20), RoundState.SUBMITTED)
    waiting = _mirror(web, "kfo", t + dt.timedelta(days=20), RoundState.OPEN)
    late = _mirror(web, "sof", t - dt.timedelta(days=3), RoundState.OPEN)
    eva = await web.login(EKONOMICHEF)

    page = (await eva.get("/")).text
    shown = _rounds_of(page, "status")
    assert shown[:3] == [late, waiting, done]  # late, then waiting, then at the committees
    status = page.split('id="status"')[1]
    assert "Försenad" in status.split(f'data-round="{late}"')[1].split("</tr>")[0]
    assert "Förläng / skicka länk" in status.split(f'data-round="{waiting}"')[1].split("</tr>")[0]
    # The plan's rounds whose day passed before the system ran: collapsed, counted, explained.
    collapsed = page.split('<details id="never-opened">')[1].split("</details>")[0]
    count = int(collapsed.split("<summary>")[1].split(" ")[0])
    assert count > 0 and "före systemets start" in collapsed
    assert "Öppnades aldrig" not in page.split('id="status"')[1].split("</table>")[0]

    # Asked for, they are a table of their own, paged; each page holds the same rows each time.
    pages = [
        _rounds_of((await eva.get(f"/?status=never_opened&page={n}")).text, "status")
        for n in (1, 2, 1, 2)
    ]
    assert pages[0] == pages[2] and pages[1] == pages[3]
    assert pages[0] and pages[1] and not set(pages[0]) & set(pages[1])
    assert len(pages[0]) + len(pages[1]) <= count
    await eva.aclose()
