"""The rules of a § at the meeting, apart from any store: who is beslutför after jäv (KL 6:27),
what an open vote decides with the ordförande's utslagsröst (KL 5:55, 6:33), how it is worded."""

from __future__ import annotations

import pytest

from arshjul.protocol.proceedings import (
    Motion,
    Participant,
    Proceedings,
    ProceedingsError,
    Reservation,
    Vote,
    after_decision_sv,
    check_motion_makers,
    genitive,
    quorum_problem,
    serving,
    tally,
    wording_sv,
)

PRESENT = serving(
    [("gunnar@k.se", "Gunnar Ståhl"), ("ingrid@k.se", "Ingrid Falk"), ("mats@k.se", "Mats Ryd")],
    ["Lars Öst"],  # a tjänstgörande ersättare
)
CHAIR = "gunnar@k.se"
APPROVE = Motion(by="ingrid@k.se", by_name="Ingrid Falk", outcome="approve", label="Godkänn")
REMIT = Motion(by="mats@k.se", by_name="Mats Ryd", outcome="remit", label="Återremittera")


def test_more_than_half_must_take_part() -> None:
    # Five ledamöter: three taking part is more than half, two is not, jäv counted out.
    assert quorum_problem(5, participants=4, jav=1) is None
    refused = quorum_problem(5, participants=4, jav=2)
    assert refused is not None and "2 av 5 ledamöter deltar efter jäv" in refused
    assert quorum_problem(4, participants=2, jav=0) is not None  # exactly half is too few


def test_the_majority_decides_and_abstentions_do_not_count() -> None:
    vote = Vote(
        ja=0,
        nej=1,
        ballots={
            "gunnar@k.se": "ja",
            "ingrid@k.se": "ja",
            "mats@k.se": "nej",
            "ersattare:Lars Öst": "avstar",
        },
    )
    t = tally(PRESENT, Proceedings(motions=[APPROVE, REMIT], vote=vote), CHAIR)
    assert (t.ja, t.nej, t.abstained, t.winner, t.casting) == (2, 1, 1, 0, False)


def test_a_tie_is_decided_by_the_chair_and_needs_the_chair_to_vote() -> None:
    ballots = {"gunnar@k.se": "nej", "ingrid@k.se": "ja", "mats@k.se": "nej"}
    p = Proceedings(
        motions=[APPROVE, REMIT],
        vote=Vote(ja=0, nej=1, ballots={**ballots, "ersattare:Lars Öst": "ja"}),
    )
    t = tally(PRESENT, p, CHAIR)
    assert (t.ja, t.nej, t.winner, t.casting) == (2, 2, 1, True)  # the chair said nej
    # 1–1 with the ordförande abstaining: nobody can decide the tie.
    tied = {"gunnar@k.se": "avstar", "ingrid@k.se": "ja", "mats@k.se": "nej"}
    abstaining = p.model_copy(
        update={"vote": Vote(ja=0, nej=1, ballots={**tied, "ersattare:Lars Öst": "avstar"})}
    )
    with pytest.raises(ProceedingsError, match="chair"):
        tally(PRESENT, abstaining, CHAIR)


def test_a_javig_or_absent_member_may_not_vote_and_nobody_is_forgotten() -> None:
    jav = [Participant(key="ingrid@k.se", name="Ingrid Falk")]
    ballots = {"gunnar@k.se": "ja", "ingrid@k.se": "ja", "mats@k.se": "nej"}
    with pytest.raises(ProceedingsError) as caught:
        tally(
            PRESENT,
            Proceedings(jav=jav, motions=[APPROVE, REMIT], vote=Vote(ja=0, nej=1, ballots=ballots)),
            CHAIR,
        )
    assert "Ingrid Falk är jävig" in caught.value.message_sv
    stranger = {**ballots, "ingrid@k.se": "ja", "okand@k.se": "ja"}
    with pytest.raises(ProceedingsError, match="not serve"):
        tally(
            PRESENT,
            Proceedings(motions=[APPROVE, REMIT], vote=Vote(ja=0, nej=1, ballots=stranger)),
            CHAIR,
        )
    with pytest.raises(ProceedingsError) as missing:
        tally(
            PRESENT,
            Proceedings(motions=[APPROVE, REMIT], vote=Vote(ja=0, nej=1, ballots=ballots)),
            CHAIR,
        )
    assert missing.value.message_sv.endswith("Saknas: Lars Öst.")
    with pytest.raises(ProceedingsError) as motion:
        check_motion_makers(PRESENT, Proceedings(jav=jav, motions=[APPROVE]))
    assert "Ingrid Falk deltar inte i ärendet" in motion.value.message_sv


def test_the_protocol_words_it_as_swedish_protocols_do() -> None:
    vote = Vote(ja=0, nej=1, ballots={"gunnar@k.se": "ja", "ingrid@k.se": "ja", "mats@k.se": "nej"})
    p = Proceedings(
        jav=[Participant(key="ersattare:Lars Öst", name="Lars Öst")],
        motions=[APPROVE, REMIT],
        vote=vote,
        reservations=[
            Reservation(by="mats@k.se", by_name="Mats Ryd", reason="Underlaget räcker inte.")
        ],
    )
    assert wording_sv(p, "kommunstyrelsens arbetsutskott", PRESENT, CHAIR, "approve") == [
        "Lars Öst anmäler jäv och deltar inte i handläggningen av ärendet.",
        "Ingrid Falk yrkar: godkänn.",
        "Mats Ryd yrkar: återremittera.",
        "Ordföranden ställer proposition på Ingrid Falks yrkande och Mats Ryds yrkande och finner "
        "att kommunstyrelsens arbetsutskott beslutar enligt Ingrid Falks yrkande.",
        "Omröstning begärs och verkställs.",
        "Följande voteringsproposition godkänns: ja-röst för Ingrid Falks yrkande, nej-röst för "
        "Mats Ryds yrkande.",
        "Ja: Gunnar Ståhl, Ingrid Falk.",
        "Nej: Mats Ryd.",
        "Med 2 ja-röster mot 1 nej-röst beslutar kommunstyrelsens arbetsutskott enligt Ingrid "
        "Falks yrkande.",
    ]
    assert after_decision_sv(p) == [
        "Mats Ryd reserverar sig mot beslutet till förmån för eget yrkande, med skriftlig "
        "motivering: Underlaget räcker inte."
    ]
    assert (genitive("Lars"), genitive("Anna")) == ("Lars", "Annas")
