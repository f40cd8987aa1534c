"""The ekonomichef's settings pages: the version in use and the last ones, a version's text, two
versions compared field by field, a restore through the preview, the YAML editor keeping what
was typed, a sammanträdesplan for a later year, and a unit's new chef."""

from __future__ import annotations

import httpx

from arshjul.settings import BUNDLED_CONFIG
from arshjul.store import configuration as store
from tests.web.configuration.conftest import hidden_form, plan_csv, plan_like, text_of
from tests.web.conftest import CHEF, EKONOMICHEF, WebRig, csrf_of, today


async def save(owner: httpx.AsyncClient, preview: httpx.Response, reason: str) -> httpx.Response:
    """Confirms a preview with a reason, as the button does."""
    assert preview.status_code == 200, text_of(preview.text)
    done = await owner.post(
        "/installningar/spara", data=hidden_form(preview.text) | {"reason": reason}
    )
    assert done.status_code == 200, text_of(done.text)
    return done


async def test_versions_compare_and_restore(web: WebRig) -> None:
    with web.sessions() as session:
        store.import_file(session, BUNDLED_CONFIG, actor="arshjul up", reason="Första start")
        session.commit()
    owner = await web.login(EKONOMICHEF)
    overview = await owner.get("/")
    assert '<a href="/installningar">Inställningar</a>' in overview.text
    chef = await web.login(CHEF)
    assert '<a href="/installningar">' not in (await chef.get("/mina-rapporter")).text
    assert (await chef.get("/installningar")).status_code == 403

    units = await owner.get("/installningar/enheter")
    assert "Barn- och utbildningsförvaltningen" in units.text and "2*" in units.text
    assert 'href="/enheter/bun#personer"' in units.text  # where its ersättare are kept
    blank = await owner.post(
        "/installningar/enheter/bun/chef",
        data={"csrf": csrf_of(units.text), "name": " ", "email": "nina.ny@"},
    )
    assert blank.status_code == 422
    said = text_of(blank.text)
    assert "Skriv chefens namn." in said and "Chefens e-postadress: skriv en giltig" in said
    preview = await owner.post(
        "/installningar/enheter/bun/chef",
        data={"csrf": csrf_of(units.text), "name": "Nina Ny", "email": "nina.ny@example.org"},
    )
    shown = text_of(preview.text)
    assert "Chef för Barn- och utbildningsförvaltningen" in shown and "Nina Ny" in shown
    done = await save(owner, preview, "Ny förvaltningschef från 1 januari")
    assert "Version 2 sparad och tillämpad" in text_of(done.text)
    # The overview tells the ekonomichef what the newest change did, and links to all of it.
    home = await owner.get("/")
    change = home.text.split('id="config-change"')[1].split("</div>")[0]
    assert "version 2, ”Ny förvaltningschef från 1 januari” (Eva Ekström)" in change
    assert "Nina Ny" in change and 'href="/installningar/versioner/2/jamfor"' in change
    # The new chef is the unit's at once: "Mina rapporter" for her, not for the one before.
    nina = await web.login("nina.ny@example.org")
    assert "Barn- och utbildningsförvaltningen" in (await nina.get("/mina-rapporter")).text

    home = text_of((await owner.get("/installningar")).text)
    assert "Version 2" in home and "Ny förvaltningschef från 1 januari" in home
    assert "Eva Ekström" in home and "inläst från filen hedemora.yaml" in home

    version = await owner.get("/installningar/versioner/1")
    assert "Första start" in version.text and "organisation:" in version.text
    compared = text_of((await owner.get("/installningar/versioner/2/jamfor?med=1")).text)
    assert "Per Sandberg" in compared and "Nina Ny" in compared and "1 ändring" in compared
    assert (await owner.get("/installningar/versioner/9")).status_code == 404

    restore = await owner.post(
        "/installningar/versioner/1/aterstall", data={"csrf": csrf_of(version.text)}
    )
    assert "Återställ version 1" in text_of(restore.text)
    await save(owner, restore, "Fel person angiven")
    with web.sessions() as session:
        newest = store.get(session)
        assert newest is not None and newest.version == 3
        assert newest.line.source == "restore:1" and newest.text == BUNDLED_CONFIG.read_text()
    # Restored: the unit is Per Sandberg's again.
    assert "Barn- och utbildningsförvaltningen" in (await chef.get("/mina-rapporter")).text


async def test_yaml_editor_keeps_what_was_typed(web: WebRig) -> None:
    owner = await web.login(EKONOMICHEF)
    page = await owner.get("/installningar/yaml")
    assert page.status_code == 200 and "<textarea" in page.text
    text = BUNDLED_CONFIG.read_text()
    edited = text.replace(
        "    title: Månadsrapport\n",
        "    title: Månadsrapport\n    # Byte av rubrik diskuteras i ekonomiforum.\n",
    ).replace(
        "reminders_working_days_before_due: [3, 1]", "reminders_working_days_before_due: [4, 1]", 1
    )
    broken = await owner.post(
        "/installningar/yaml", data={"csrf": csrf_of(page.text), "text": edited + "  - oj: [\n"}
    )
    assert broken.status_code == 422
    assert "YAML-syntaxfel" in text_of(broken.text) and "Rad " in text_of(broken.text)
    assert "Byte av rubrik diskuteras" in broken.text  # the text is kept
    preview = await owner.post(
        "/installningar/yaml",
        data={"csrf": csrf_of(page.text), "text": edited.replace("\n", "\r\n")},
    )
    assert "Påminnelser" in text_of(preview.text) or "påminnelse" in text_of(preview.text).lower()
    await save(owner, preview, "Påminnelse fyra dagar före")
    with web.sessions() as session:
        newest = store.get(session)
        assert newest is not None and newest.text == edited  # comments and layout kept
        assert newest.config.report("manadsrapport").reminders_working_days_before_due == [4, 1]


async def test_a_sammantradesplan_for_a_later_year_is_added(web: WebRig) -> None:
    owner = await web.login(EKONOMICHEF)
    year = today().year + 3
    plan = plan_csv(web.config, year)
    count = plan.count("\n") - 1
    page = await owner.get("/installningar/organ")
    assert f"{year}" in page.text and "plan saknas" in page.text
    preview = await owner.post(
        "/installningar/sammantradesplan",
        data={"csrf": csrf_of(page.text), "text": plan},
    )
    shown = text_of(preview.text)
    assert f"Sammanträdesplan för {year}: {count} sammanträden" in shown, shown[:3000]
    await save(owner, preview, f"Sammanträdesplan {year} antagen av KS")
    ksau = await owner.get(f"/installningar/organ/ksau?ar={year}")
    planned = [d for label, d in plan_like(web.config, year) if label == "KSAU"]
    assert ksau.text.count('<li id="m-') == len(planned) and "kl. 13.00" in ksau.text


async def test_secretary_and_ordforande_are_changed(web: WebRig) -> None:
    owner = await web.login(EKONOMICHEF)
    ksau = web.config.committee("ksau")
    member = ksau.members[-1]
    page = await owner.get("/installningar/organ/ksau")
    assert "Byt sekreterare eller ordförande" in page.text
    wrong = await owner.post(
        "/installningar/organ/ksau/personer",
        data={"csrf": csrf_of(page.text), "chair": "ingen.ledamot@example.org"},
    )
    assert wrong.status_code == 422
    assert "Ordföranden ska vara en av organets ledamöter." in text_of(wrong.text)
    preview = await owner.post(
        "/installningar/organ/ksau/personer",
        data={
            "csrf": csrf_of(page.text),
            "secretary_name": "Siv Ny",
            "secretary_email": "siv.ny@example.org",
            "chair": member.email,
        },
    )
    shown = text_of(preview.text)
    assert "Siv Ny" in shown and member.name in shown
    await save(owner, preview, "Nytt presidium")
    again = text_of((await owner.get("/installningar/organ/ksau")).text)
    assert f"Ordförande {member.name} ({member.email})" in again
    assert "Sekreterare Siv Ny (siv.ny@example.org)" in again


async def test_members_are_added_and_removed_but_not_the_ordforande(web: WebRig) -> None:
    owner = await web.login(EKONOMICHEF)
    ksau = web.config.committee("ksau")
    page = await owner.get("/installningar/organ/ksau")
    csrf = csrf_of(page.text)
    bad = await owner.post(
        "/installningar/organ/ksau/ledamoter",
        data={"csrf": csrf, "member_name": " Nils  Ny ", "member_email": "nils.ny@"},
    )
    assert bad.status_code == 422
    assert "Ledamotens e-postadress: skriv en giltig adress" in text_of(bad.text)
    assert 'value=" Nils  Ny "' in bad.text  # what was typed is kept
    known = ksau.members[0]
    twice = await owner.post(
        "/installningar/organ/ksau/ledamoter",
        data={"csrf": csrf, "member_name": known.name, "member_email": known.email.upper()},
    )
    assert twice.status_code == 422 and "är redan ledamot i" in text_of(twice.text)
    preview = await owner.post(
        "/installningar/organ/ksau/ledamoter",
        data={"csrf": csrf, "member_name": " Nils  Ny ", "member_email": "nils.ny@example.org"},
    )
    assert "Ny ledamot i" in text_of(preview.text) and "Nils Ny" in text_of(preview.text)
    await save(owner, preview, "Fyllnadsval")
    listed = text_of((await owner.get("/installningar/organ/ksau")).text)
    assert "Nils Ny (nils.ny@example.org)" in listed

    assert ksau.chair is not None  # the bundled KSAU has its ordförande
    kept = await owner.post(
        "/installningar/organ/ksau/ledamoter/ta-bort",
        data={"csrf": csrf, "email": ksau.chair.email},
    )
    assert kept.status_code == 422
    assert "välj en annan ordförande först" in text_of(kept.text)
    leaving = await owner.post(
        "/installningar/organ/ksau/ledamoter/ta-bort",
        data={"csrf": csrf, "email": "nils.ny@example.org"},
    )
    assert "Nils Ny lämnar" in text_of(leaving.text)
    await save(owner, leaving, "Avsägelse")
    after = text_of((await owner.get("/installningar/organ/ksau")).text)
    assert "nils.ny@example.org" not in after and f"{known.name} ({known.email})" in after
