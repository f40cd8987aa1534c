"""The seal in the web and beyond: the anslag posted through the web seals the copy, the meeting
page and the archive package say whether it is sealed, and a bad certificate stops the start."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree
from typer.testing import CliRunner

from arshjul.archive.export import export_meeting
from arshjul.cli import app as cli
from arshjul.protocol.seal import SealError, load_seal
from arshjul.runtime.endpoints import DataDir, demo_seal
from arshjul.settings import Settings, get_settings
from arshjul.web.app import create_app
from tests.protocol.ca import ORG, SEAL_NAME, CertAuthority, make_ca
from tests.protocol.conftest import MEETING, Committee, post_anslag

SECRET = "test-secret-for-the-seal"
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture
def ca(tmp_path: Path) -> CertAuthority:
    """A root CA and the kommun's seal it issued (PKCS#12 in tmp_path)."""
    return make_ca(tmp_path / "ca")


def _settings(**extra: str) -> Settings:
    return Settings.model_validate({"SECRET_KEY": SECRET, "BASE_URL": "http://testserver", **extra})


async def _anslag_and_page(c: Committee, settings: Settings) -> str:
    c.decide("bun", "approved")
    c.justera(anslag=False)
    posted, page = await post_anslag(c, settings)
    assert posted.status_code == 303, posted.text
    return page


def _package_protocol(c: Committee, out: Path) -> etree._Element:
    with c.sessions() as session:
        folder = export_meeting(session, c.config, "ksau", MEETING, out)
    meeting = etree.parse(next(folder.glob("representations/rep1/data/*.xml")))
    found = meeting.find("protocol")
    assert found is not None
    return found


async def test_the_anslag_in_the_web_seals_and_the_page_and_package_say_so(
    committee: Committee, ca: CertAuthority, tmp_path: Path
) -> None:
    settings = _settings(ARSHJUL_SIGNING_P12=str(ca.p12), ARSHJUL_SIGNING_PASSPHRASE=ca.passphrase)
    page = await _anslag_and_page(committee, settings)
    assert f"elektroniskt förseglat med {SEAL_NAME}, {ORG}" in page
    protocol = _package_protocol(committee, tmp_path / "e-arkiv")
    assert protocol.get("sealed") == "true"
    assert [s.text for s in protocol.findall("seal")] == [f"{SEAL_NAME}, {ORG}"]


async def test_without_a_certificate_nothing_claims_a_seal(
    committee: Committee, tmp_path: Path
) -> None:
    page = await _anslag_and_page(committee, _settings())
    assert "Arkivexemplaret är inte elektroniskt förseglat" in page
    assert "förseglat med" not in page
    protocol = _package_protocol(committee, tmp_path / "e-arkiv")
    assert protocol.get("sealed") == "false" and protocol.find("seal") is None


def test_a_wrong_passphrase_stops_the_web_at_start(
    ca: CertAuthority, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(SealError, match="wrong passphrase"):
        create_app(_settings(ARSHJUL_SIGNING_P12=str(ca.p12), ARSHJUL_SIGNING_PASSPHRASE="fel"))
    for key, value in (
        ("SECRET_KEY", SECRET),
        ("ARSHJUL_SIGNING_P12", str(ca.p12)),
        ("ARSHJUL_SIGNING_PASSPHRASE", "fel"),
    ):
        monkeypatch.setenv(key, value)
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(cli, ["web", "--port", "1"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 2, result.output
    assert "wrong passphrase (ARSHJUL_SIGNING_PASSPHRASE)" in result.output


def test_up_gives_the_webs_a_demo_seal_unless_one_is_configured(tmp_path: Path) -> None:
    data = DataDir(tmp_path / "data")
    assert demo_seal(data, True, "Hedemora kommun") == {}
    env = demo_seal(data, False, "Hedemora kommun")
    seal = load_seal(Path(env["ARSHJUL_SIGNING_P12"]), env["ARSHJUL_SIGNING_PASSPHRASE"])
    assert "Demosigill" in seal.subject and "O=Hedemora kommun" in seal.subject
    assert Path(env["ARSHJUL_SIGNING_P12"]).parent == data.run
    assert demo_seal(data, False, "Hedemora kommun") == env  # made once, kept across restarts
