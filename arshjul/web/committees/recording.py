"""Who records a committee's decisions, and the confirmation before a decision is recorded.

The committee decides at its meeting; its secretary (from the configuration) records the
decision in the app. A committee without a secretary in the configuration has its ordförande
record, and one with neither its members (as before secretaries existed).
"""

from __future__ import annotations

from arshjul.calendar.config import ArshjulConfig, Committee
from arshjul.protocol.wording import decision_text
from arshjul.web.auth.user import WebUser
from arshjul.web.committees.decisions import FORWARD
from arshjul.web.core.roundview import RoundView

RECORDER_ONLY_SV = "Sekreteraren protokollför utskottets beslut under sammanträdet."


def recorder_email(committee: Committee) -> str | None:
    """The address that records the committee's decisions (None: any member)."""
    person = committee.secretary or committee.chair
    return person.email.lower() if person else None


def is_secretary(config: ArshjulConfig, committee_id: str, user: WebUser) -> bool:
    """Tells whether the person is the committee's configured secretary."""
    committee = next((c for c in config.committees if c.id == committee_id), None)
    secretary = committee.secretary if committee else None
    return secretary is not None and secretary.email.lower() == user.email


def may_record(committee: Committee, user: WebUser) -> bool:
    """Tells whether the person records the committee's decisions."""
    email = recorder_email(committee)
    return user.email == email if email else user.has(committee.id)


def preview(committee: Committee, view: RoundView, value: str) -> str:
    """The decision as the protocol will state it ("… beslutar att …"), for the confirmation."""
    review = view.spec.review
    committees = review.committees() if review else {}
    target = None
    if value.startswith(FORWARD):
        outcome, target = "referred", value.removeprefix(FORWARD)
    elif value == "approve":
        after = view.route[view.step + 1 :] if view.route and view.step is not None else []
        outcome, target = ("passed_on", after[0]) if after else ("approved", None)
    else:
        outcome = {"remit": "remitted", "table": "tabled", "withdraw": "withdrawn"}.get(
            value, value
        )
    named = committees.get(target or "")
    return decision_text(
        outcome,
        committee.name,
        unit_name=view.spec.unit_name,
        refers_to_name=named.name if named else target,
    )
