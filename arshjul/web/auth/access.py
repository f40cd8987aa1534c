"""What a person may reach: the committees they follow and the links they hold."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from fastapi import HTTPException

from arshjul.calendar.chains import feeders
from arshjul.calendar.config import ArshjulConfig, Committee
from arshjul.notifications import tokens
from arshjul.web.auth.user import WebUser


def may_view(config: ArshjulConfig, committee_id: str, user: WebUser) -> bool:
    """Members, the secretary, the owners, and members of committees that prepare its cases."""
    return user.has(committee_id, *config.agenda_viewer_roles(), *feeders(config, committee_id))


def committees_for(config: ArshjulConfig, user: WebUser | None) -> list[Committee]:
    """Lists the committees of a person's menu: those they sit on (every one for the owners)."""
    if user is None:
        return []
    viewers = config.agenda_viewer_roles()
    return [c for c in config.committees if user.has(c.id, *viewers)]


@contextlib.contextmanager
def link_errors(what: str) -> Iterator[None]:
    """Turns a refused link into the page's answer: 410 when expired or used, 403 otherwise."""
    try:
        yield
    except (tokens.ExpiredTokenError, tokens.UsedTokenError) as err:
        raise HTTPException(410, f"{what} link expired or used") from err
    except tokens.TokenError as err:
        raise HTTPException(403, f"bad {what} link: {type(err).__name__}") from err
