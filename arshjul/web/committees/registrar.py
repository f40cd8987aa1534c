"""Who keeps a case's records in the app: gives it a diarienummer and takes out its handlingar
for a public-records request. The ekonomichef for every case; a committee's secretary for the
cases that pass the committee."""

from __future__ import annotations

from arshjul.calendar.config import OWNER_ROLE, ArshjulConfig, Committee
from arshjul.web.auth.user import WebUser
from arshjul.web.committees.recording import is_secretary
from arshjul.web.core.roundview import RoundView

NOT_KEEPER_SV = (
    "Diarienummer och utlämnande av handlingar sköts av ekonomichefen eller nämndens sekreterare."
)


def passes(view: RoundView, committee_id: str) -> bool:
    """Tells whether the case goes through this committee (on its route or at its meeting)."""
    return committee_id in (view.route or []) or view.committee_id == committee_id


def keeps_records(
    config: ArshjulConfig, committee: Committee, user: WebUser, view: RoundView
) -> bool:
    """Tells whether the person numbers the case and hands out its handlingar."""
    if user.has(OWNER_ROLE):
        return True
    return is_secretary(config, committee.id, user) and passes(view, committee.id)
