"""How a § was handled at the meeting: jäv, yrkanden, an open vote, reservations and
protokollsanteckningar (kommunallagen 4 kap. 27 §, 5 kap. 53–55 §§, 6 kap. 27–33 §§).

Plain data and pure rules, no store: who may take part, whether the committee is beslutför for
the §, what a vote decides, and how a Swedish protocol words it. The secretary records them on
the case page; the decision the round receives is the one the vote gave.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from pydantic import BaseModel, Field

Ballot = Literal["ja", "nej", "avstar"]
# A voter is a present member (by address) or a tjänstgörande ersättare (by name: the protocol
# records them as text); the key keeps them apart.
SUBSTITUTE = "ersattare:"
MAX_MOTIONS = 6


class Participant(BaseModel):
    """Someone who serves at the meeting: a present ledamot or a tjänstgörande ersättare."""

    key: str  # the member's address, or "ersattare:<name>"
    name: str


class Motion(BaseModel):
    """A yrkande: a member proposes one of the decisions the committee may take."""

    by: str  # participant key
    by_name: str
    outcome: str  # the decision's form value ("approve", "remit", "forward:ks", …)
    label: str  # what it proposes, in the decision form's words


class Vote(BaseModel):
    """An open vote (öppen omröstning) between two yrkanden: ja for one, nej for the other."""

    ja: int  # index in Proceedings.motions
    nej: int
    ballots: dict[str, Ballot] = Field(default_factory=dict)  # participant key → ballot


class Reservation(BaseModel):
    """A member reserves against the decision, with a written reason handed in before justering."""

    by: str
    by_name: str
    reason: str | None = None


class Note(BaseModel):
    """A protokollsanteckning: a member's statement entered in the protocol."""

    by: str
    by_name: str
    text: str


class Proceedings(BaseModel):
    """Everything recorded about one case at one meeting besides the decision itself."""

    jav: list[Participant] = Field(default_factory=list)
    motions: list[Motion] = Field(default_factory=list)
    vote: Vote | None = None
    reservations: list[Reservation] = Field(default_factory=list)
    notes: list[Note] = Field(default_factory=list)

    @property
    def empty(self) -> bool:
        """True when nothing has been recorded."""
        return not (self.jav or self.motions or self.vote or self.reservations or self.notes)


class ProceedingsError(ValueError):
    """A record the law or the meeting does not allow; `message_sv` says why."""

    def __init__(self, message: str, message_sv: str) -> None:
        super().__init__(message)
        self.message_sv = message_sv


class Tally(BaseModel):
    """What a vote gave: the counts, the yrkande that won and whether the chair's vote decided."""

    ja: int
    nej: int
    abstained: int
    winner: int  # index in Proceedings.motions
    casting: bool  # a tie, decided by the ordförande's utslagsröst


def serving(present: Iterable[tuple[str, str]], substitutes: Iterable[str]) -> list[Participant]:
    """The meeting's participants: present members (address, name) and ersättare (name)."""
    found = [Participant(key=email.lower(), name=name) for email, name in present]
    found += [Participant(key=SUBSTITUTE + name, name=name) for name in substitutes]
    return found


def quorum_problem(member_count: int, participants: int, jav: int) -> str | None:
    """KL 6 kap. 27 §: the committee may handle a case only when more than half its ledamöter
    take part (tjänstgörande ersättare count); None when it is beslutför for the §."""
    taking_part = participants - jav
    if member_count and taking_part * 2 <= member_count:
        return (
            f"Organet är inte beslutfört i ärendet: {taking_part} av {member_count} ledamöter "
            f"deltar{' efter jäv' if jav else ''}, och mer än hälften måste delta "
            "(6 kap. 27 § kommunallagen)."
        )
    return None


def taking_part(participants: list[Participant], p: Proceedings) -> list[Participant]:
    """The participants who take part in the § (the jäviga leave it)."""
    out = {j.key for j in p.jav}
    return [x for x in participants if x.key not in out]


def check_motion_makers(participants: list[Participant], p: Proceedings) -> None:
    """Only a member who takes part in the § may make a yrkande."""
    allowed = {x.key for x in taking_part(participants, p)}
    for m in p.motions:
        if m.by not in allowed:
            raise ProceedingsError(
                f"{m.by} does not take part in the case",
                f"{m.by_name} deltar inte i ärendet (frånvarande eller jävig) och kan inte yrka.",
            )


def tally(participants: list[Participant], p: Proceedings, chair_key: str | None) -> Tally:
    """Counts the vote: every member who takes part votes ja, nej or avstår; more ja than nej
    decides for the ja-yrkande; a tie is decided by the ordförande (KL 5:55, 6:33)."""
    vote = p.vote
    if vote is None:
        raise ProceedingsError("no vote", "Ingen omröstning är registrerad.")
    known = range(len(p.motions))
    if vote.ja not in known or vote.nej not in known or vote.ja == vote.nej:
        raise ProceedingsError(
            "a vote is between two different yrkanden",
            "En omröstning står mellan två olika yrkanden.",
        )
    voters = {x.key: x for x in taking_part(participants, p)}
    jav = {j.key: j.name for j in p.jav}
    for key in vote.ballots:
        if key in jav:
            raise ProceedingsError(
                f"{key} is jävig",
                f"{jav[key]} är jävig i ärendet och får inte rösta.",
            )
        if key not in voters:
            raise ProceedingsError(
                f"{key} does not serve at the meeting",
                "En röst är lagd av någon som inte är närvarande ledamot eller tjänstgörande "
                "ersättare.",
            )
    missing = [x.name for k, x in voters.items() if k not in vote.ballots]
    if missing:
        raise ProceedingsError(
            "every member taking part votes",
            "Varje ledamot som deltar i ärendet röstar ja, nej eller avstår. Saknas: "
            + ", ".join(missing)
            + ".",
        )
    ja = sum(1 for b in vote.ballots.values() if b == "ja")
    nej = sum(1 for b in vote.ballots.values() if b == "nej")
    abstained = len(vote.ballots) - ja - nej
    if ja != nej:
        winner = vote.ja if ja > nej else vote.nej
        return Tally(ja=ja, nej=nej, abstained=abstained, winner=winner, casting=False)
    chair = vote.ballots.get(chair_key or "")
    if chair not in ("ja", "nej"):
        raise ProceedingsError(
            "a tie needs the chair's vote",
            "Lika röstetal: ordföranden har utslagsröst och måste rösta ja eller nej "
            "(5 kap. 55 §, 6 kap. 33 § kommunallagen).",
        )
    winner = vote.ja if chair == "ja" else vote.nej
    return Tally(ja=ja, nej=nej, abstained=abstained, winner=winner, casting=True)


def checked_tally(
    participants: list[Participant], p: Proceedings, chair_key: str | None
) -> tuple[Tally | None, str | None]:
    """The vote's result, or why it cannot be counted (the närvaro changed since, say)."""
    if p.vote is None:
        return None, None
    try:
        return tally(participants, p, chair_key), None
    except ProceedingsError as err:
        return None, err.message_sv


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def genitive(name: str) -> str:
    """A name in the genitive as Swedish writes it: "Annas", but "Lars", "Max"."""
    return name if name[-1:].lower() in ("s", "x", "z") else name + "s"


def wording_sv(
    p: Proceedings,
    body: str,
    participants: list[Participant],
    chair_key: str | None,
    decided_outcome: str | None,
) -> list[str]:
    """The protocol's sentences before the § decision, in the order Swedish protocols give them:
    jäv, yrkanden, propositionsordning, omröstning (after_decision_sv has the rest).
    `body` is the committee inside a sentence ("kommunfullmäktige"); `decided_outcome` the
    decision taken (None before)."""
    lines = [f"{j.name} anmäler jäv och deltar inte i handläggningen av ärendet." for j in p.jav]
    lines += [f"{m.by_name} yrkar: {m.label[:1].lower()}{m.label[1:]}." for m in p.motions]
    # The ordförande's finding: the vote's ja-proposition, else the yrkande the meeting took.
    found = (
        p.motions[p.vote.ja]
        if p.vote is not None
        else next((m for m in p.motions if m.outcome == decided_outcome), None)
    )
    if len(p.motions) > 1 and found is not None:
        lines.append(
            "Ordföranden ställer proposition på "
            + " och ".join(f"{genitive(m.by_name)} yrkande" for m in p.motions)
            + f" och finner att {body} beslutar enligt {genitive(found.by_name)} yrkande."
        )
    t, _ = checked_tally(participants, p, chair_key)
    if p.vote is not None and t is not None:
        ja, nej = p.motions[p.vote.ja], p.motions[p.vote.nej]
        lines.append("Omröstning begärs och verkställs.")
        lines.append(
            f"Följande voteringsproposition godkänns: ja-röst för {genitive(ja.by_name)} "
            f"yrkande, nej-röst för {genitive(nej.by_name)} yrkande."
        )
        names = {x.key: x.name for x in participants}
        for word, ballot in (("Ja", "ja"), ("Nej", "nej"), ("Avstår", "avstar")):
            who = [names.get(k, k) for k, b in p.vote.ballots.items() if b == ballot]
            if who:
                lines.append(f"{word}: {', '.join(who)}.")
        result = f"Med {_count(t.ja, 'ja-röst', 'ja-röster')} mot "
        result += _count(t.nej, "nej-röst", "nej-röster")
        if t.abstained:
            result += f" ({_count(t.abstained, 'ledamot avstår', 'ledamöter avstår')})"
        if t.casting:
            result += " och ordförandens utslagsröst"
        winner = genitive(p.motions[t.winner].by_name)
        lines.append(f"{result} beslutar {body} enligt {winner} yrkande.")
    return lines


def after_decision_sv(p: Proceedings) -> list[str]:
    """The protocol's sentences after the decision: reservations and protokollsanteckningar."""
    lines = []
    for r in p.reservations:
        own = " till förmån för eget yrkande" if any(m.by == r.by for m in p.motions) else ""
        reason = f", med skriftlig motivering: {r.reason.rstrip('.')}" if r.reason else ""
        lines.append(f"{r.by_name} reserverar sig mot beslutet{own}{reason}.")
    lines += [f"{n.by_name} antecknar till protokollet: {n.text}" for n in p.notes]
    return lines
