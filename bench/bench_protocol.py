"""Benchmark: a meeting's protocol as PDF/A (WeasyPrint) against the same protocol as HTML.

Run: .venv/bin/python bench/bench_protocol.py [--paragraphs 30] [--repeat 3]
Prints the best of `repeat` runs of each, and the ratio PDF/HTML measured in the same run.
A committee meeting has 5–40 paragraphs; the PDF is made once, when the anslag is recorded.
"""

from __future__ import annotations

import argparse
import datetime as dt

from timing import best

from arshjul.protocol.model import Attendance, Attendee, Paragraph, ProtocolDocument, SignatureLine
from arshjul.protocol.render import render_protocol_html, render_protocol_pdf

REASON = (
    "Åtgärdsplanen saknar belopp och tidplan. Förvaltningen ska redovisa hur underskottet ska "
    "hanteras under resten av året och vilka effekter åtgärderna väntas ge. "
)


def make_protocol(n: int) -> ProtocolDocument:
    """A KSAU protocol with `n` paragraphs, full attendance, justerat and posted."""
    members = [Attendee(name=f"Ledamot {i}", email=f"l{i}@example.org") for i in range(7)]
    outcomes = ("approved", "remitted", "tabled")
    return ProtocolDocument(
        org_name="Exempelkommun",
        committee_id="ksau",
        committee_name="Kommunstyrelsens arbetsutskott",
        meeting=dt.date(2026, 10, 6),
        starts_at="08:30",
        ends_at="12:00",
        place="Kommunhuset",
        chair=members[0],
        secretary=Attendee(name="Sekreteraren", email="s@example.org"),
        attendance=Attendance(present=members, others=[Attendee(name="Ekonomichef", role="")]),
        adjusters=members[1:3],
        paragraphs=[
            Paragraph(
                number=100 + i,
                workflow_id=f"round/x/manadsrapport/2026-08/u{i}",
                report_title="Månadsrapport",
                period="2026-08",
                unit_name=f"Förvaltning {i}",
                outcome=outcomes[i % 3],
                decision_text="Kommunstyrelsens arbetsutskott beslutar att godkänna rapporten.",
                reason=REASON * (1 + i % 3) if i % 3 else None,
                recorded_by="Sekreteraren",
                decided_at=dt.datetime(2026, 10, 6, 9, tzinfo=dt.UTC),
                case_path=f"/ksau/arenden/x/manadsrapport/2026-08/u{i}",
            )
            for i in range(n)
        ],
        signatures=[
            SignatureLine(
                role="ordforande" if i == 0 else "justerare",
                name=m.name,
                email=m.email,
                signed_at=dt.datetime(2026, 10, 7, 9, tzinfo=dt.UTC),
                current=True,
            )
            for i, m in enumerate(members[:3])
        ],
        justerat_at=dt.datetime(2026, 10, 7, 9, tzinfo=dt.UTC),
        anslag_date=dt.date(2026, 10, 8),
        appeal_until=dt.date(2026, 10, 29),
        protocol_url="https://arshjul.example.org/ksau/protokoll/2026-10-06",
        base_url="https://arshjul.example.org",
    )


def main() -> None:
    """Measures and prints."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--paragraphs", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    doc = make_protocol(args.paragraphs)
    render_protocol_pdf(make_protocol(1))  # WeasyPrint loads Pango and fonts once
    html = best(lambda: render_protocol_html(doc), args.repeat)
    pdf = best(lambda: render_protocol_pdf(doc), args.repeat)
    size = len(render_protocol_pdf(doc)) // 1024
    print(f"protocol with {args.paragraphs} paragraphs, best of {args.repeat}")
    print(f"  HTML (baseline) {html * 1000:8.1f} ms")
    print(f"  PDF/A-2u        {pdf * 1000:8.1f} ms  ({size} kB)  ratio {pdf / html:.0f}x")


if __name__ == "__main__":
    main()
