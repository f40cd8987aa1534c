"""Delegationsbeslut on the meeting page over HTTP: the secretary enters one or imports a file;
a bad entry or file is refused with each line's problem in Swedish and nothing stored; members
read the list but may not change it; justering locks it."""

from __future__ import annotations

import re

import httpx

from arshjul.protocol.delegation import read_csv
from arshjul.protocol.justering import MeetingDetails, save_details, sign
from tests.protocol.conftest import ADJUSTER, CHAIR, MEETING, MEMBER, SECRETARY, Committee
from tests.protocol.test_web import PAGE, as_person, http  # noqa: F401 - the app fixture

ONE = {
    "decided_on": "2026-09-14",
    "decided_by": "Ekonomichef Eva Ekström",
    "matter": "Attest av leverantörsfaktura över 500 tkr",
    "reference": "KS 2026/311",
}
GOOD_FILE = (
    "Datum;Beslutsfattare;Ärende;Beteckning\r\n"
    "2026-09-21;Kommundirektör;Anställning av enhetschef;KS 2026/318\r\n"
    "2026-09-28;Ekonomichef Eva Ekström;Budgetjustering inom ram;KS 2026/320\r\n"
).encode("cp1252")
BAD_FILE = (
    "Datum;Beslutsfattare;Ärende;Beteckning\n"
    "2026-09-22;Kommundirektör;Tjänsteresa;KS 2026/330\n"
    "22 sept;Kommundirektör;Tjänsteresa;KS 2026/331\n"
    "2026-09-23;;Tjänsteresa;KS 2026/332\n"
).encode()


def _listed(html: str) -> list[str]:
    found = re.search(r'<table class="cards" id="delegationslista">.*?</table>', html, re.S)
    return re.findall(r'data-label="Beteckning">([^<]+)<', found.group(0)) if found else []


async def test_the_secretary_reports_delegationsbeslut_and_justering_locks_them(
    committee: Committee,
    http: httpx.AsyncClient,  # noqa: F811
) -> None:
    committee.decide("bun", "approved")
    csrf = await as_person(http, MEMBER)
    member = await http.post(f"{PAGE}/delegationsbeslut", data={"csrf": csrf, **ONE})
    assert member.status_code == 403
    page = await http.get(PAGE)
    assert "Inga delegationsbeslut är anmälda" in page.text
    assert 'id="delegation-form"' not in page.text  # only the secretary enters them

    csrf = await as_person(http, SECRETARY)
    missing = await http.post(
        f"{PAGE}/delegationsbeslut", data={"csrf": csrf, **ONE, "reference": " "}
    )
    assert missing.status_code == 400
    assert "Beslutet: beteckning saknas." in missing.text
    assert "Delegationsbeslutet är inte sparat." in missing.text
    assert _listed(missing.text) == []
    added = await http.post(f"{PAGE}/delegationsbeslut", data={"csrf": csrf, **ONE})
    assert added.status_code == 303 and "klart=delegation" in added.headers["location"]

    files = {"file": ("delegationer.csv", BAD_FILE, "text/csv")}
    bad = await http.post(f"{PAGE}/delegationsbeslut/import", data={"csrf": csrf}, files=files)
    assert bad.status_code == 400
    assert "Rad 3: datumet ”22 sept” ska skrivas ÅÅÅÅ-MM-DD." in bad.text
    assert "Rad 4: beslutsfattare saknas." in bad.text
    assert _listed(bad.text) == ["KS 2026/311"]  # not even line 2 of the refused file
    empty = {"file": ("tom.csv", b"", "text/csv")}
    assert (
        "Filen är tom."
        in (
            await http.post(f"{PAGE}/delegationsbeslut/import", data={"csrf": csrf}, files=empty)
        ).text
    )

    files = {"file": ("delegationer.csv", GOOD_FILE, "text/csv")}
    good = await http.post(f"{PAGE}/delegationsbeslut/import", data={"csrf": csrf}, files=files)
    assert good.status_code == 303 and "klart=delegationer" in good.headers["location"]
    page = await http.get(good.headers["location"])
    assert "Delegationsbesluten i filen är inlästa" in page.text
    assert _listed(page.text) == ["KS 2026/311", "KS 2026/318", "KS 2026/320"]
    assert "Anmälan av delegationsbeslut (§ 2)" in page.text
    protocol = await http.get(f"/ksau/protokoll/{MEETING.isoformat()}")
    assert "§ 2 Anmälan av delegationsbeslut" in protocol.text
    assert "Anställning av enhetschef" in protocol.text

    # The template the page offers is what the import reads.
    template = await http.get(f"{PAGE}/delegationsbeslut.csv")
    assert template.status_code == 200
    assert read_csv(template.content)[1] == ["Filen har inga delegationsbeslut under rubrikraden."]

    first = re.search(r'action="([^"]+/ta-bort)"', page.text)
    assert first
    removed = await http.post(first.group(1), data={"csrf": csrf})
    assert removed.status_code == 303
    assert _listed((await http.get(PAGE)).text) == ["KS 2026/318", "KS 2026/320"]

    with committee.sessions.begin() as session:
        config = committee.config
        details = MeetingDetails(present=[CHAIR, ADJUSTER], adjusters=[ADJUSTER])
        save_details(session, config, "ksau", MEETING, details)
        sign(session, config, "ksau", MEETING, email=CHAIR, name="Gunnar Ståhl")
        sign(session, config, "ksau", MEETING, email=ADJUSTER, name="Ingrid Falk")
    csrf = await as_person(http, SECRETARY)
    late = await http.post(
        f"{PAGE}/delegationsbeslut", data={"csrf": csrf, **ONE, "reference": "KS 2026/399"}
    )
    assert late.status_code == 400 and "Protokollet är justerat" in late.text
    assert _listed(late.text) == ["KS 2026/318", "KS 2026/320"]
    assert 'id="delegation-form"' not in late.text
