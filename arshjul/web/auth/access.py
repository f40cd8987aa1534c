"""What a person may reach: the committees they follow and the links they hold."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from fastapi import HTTPException

from arshjul.calendar.chains import feeders
from arshjul.calendar.config import OWNER_ROLE, ArshjulConfig, Committee
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


def may_manage_motions(config: ArshjulConfig, user: WebUser | None) -> bool:
    """The årshjul's owner, the roles the motions name and the secretary of their committee
    (the kommunsekreterare) register and close motions; nobody when none are configured."""
    motions = config.motions
    if user is None or motions is None:
        return False
    if user.has(OWNER_ROLE, *motions.roles):
        return True
    committee = next((c for c in config.committees if c.id == motions.committee), None)
    secretary = committee.secretary if committee else None
    return secretary is not None and secretary.email.lower() == user.email


class LinkRefused(HTTPException):
    """A mailed link that cannot be used: what the page says, and where logging in leads."""

    def __init__(self, status: int, detail: str, *, title: str, text: str, login_next: str):
        super().__init__(status, detail)
        self.title, self.text, self.login_next = title, text, login_next


# What a refused link's page says, by the link's kind and why. A person holding a dead link is
# told which way leads on: a new login link, or their reports after logging in.
_LINK_TEXTS: dict[tuple[str, str], tuple[str, str]] = {
    ("login", "expired"): (
        "Länken har gått ut",
        "Inloggningslänken gällde i 30 minuter och har gått ut. Be om en ny länk.",
    ),
    ("login", "used"): (
        "Länken har redan använts",
        "En inloggningslänk fungerar en gång, och den här har redan använts. Be om en ny länk.",
    ),
    ("submission", "expired"): (
        "Länken har gått ut",
        "Länken till rapporten har gått ut. Logga in för att nå din enhets rapporter under "
        "Mina rapporter, eller be om en ny länk.",
    ),
    ("submission", "used"): (
        "Länken har redan använts",
        "Länken till rapporten har redan använts. Logga in för att nå din enhets rapporter "
        "under Mina rapporter.",
    ),
}
# Where logging in leads after a dead link of this kind, when the route does not say.
_AFTER_LOGIN = {"submission": "/mina-rapporter"}


@contextlib.contextmanager
def link_errors(what: str, next: str | None = None) -> Iterator[None]:
    """Turns a refused link into the page's answer: 410 when expired or used (told apart),
    403 otherwise; the page leads to the login, on to `next` (or the kind's own page)."""
    login_next = next or _AFTER_LOGIN.get(what, "/")
    try:
        yield
    except (tokens.ExpiredTokenError, tokens.UsedTokenError) as err:
        why = "used" if isinstance(err, tokens.UsedTokenError) else "expired"
        title, text = _LINK_TEXTS.get((what, why), ("Länken gäller inte längre", err.message_sv))
        raise LinkRefused(
            410, f"{what} link {why}", title=title, text=text, login_next=login_next
        ) from err
    except tokens.TokenError as err:
        raise LinkRefused(
            403,
            f"bad {what} link: {type(err).__name__}",
            title="Länken fungerar inte",
            text=f"{err.message_sv} Logga in, eller be om en ny länk.",
            login_next=login_next,
        ) from err
