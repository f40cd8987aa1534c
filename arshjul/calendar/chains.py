"""Review chains: the committees a report passes in order, each step's defaults resolved, and
the mistakes a chain can hold."""

from __future__ import annotations

import datetime as dt

from arshjul.calendar.config import UNIT_COMMITTEE, ArshjulConfig, ChainStep, Report, Review, Unit

Issue = tuple[str, str]  # (path, message)


def chain_for(config: ArshjulConfig, review: Review, unit: Unit | None = None) -> list[ChainStep]:
    """Returns the review's steps for one submitter with defaults and forward targets filled in.

    `unit_committee` becomes the unit's own committee. A step without its own `forward_to` may
    forward to its committee's `refers_to`, unless that committee comes earlier in the chain (a
    report never goes back up the chain).
    """
    steps = []
    for step in review.steps():
        if step.committee == UNIT_COMMITTEE:
            own = unit.committee if unit is not None else None
            if own is None or any(s.committee == own for s in review.steps()):
                continue
            meeting = step.meeting
            if meeting is not None and meeting.committee is not None:
                meeting = meeting.model_copy(update={"committee": own})
            step = step.model_copy(update={"committee": own, "meeting": meeting})
        steps.append(step)
    ids = [s.committee for s in steps]
    result = []
    for k, step in enumerate(steps):
        forward = step.forward_to
        if forward is None:
            refers = config.committee(step.committee).refers_to
            forward = [refers] if refers and refers not in ids[: k + 1] else []
        result.append(step.model_copy(update={"forward_to": list(forward)}))
    return result


def reviews_of(report: Report, p: str) -> list[tuple[Review, str, list[int]]]:
    """Lists (review, its path, the period months it serves) of a report and its overrides."""
    overridden = {
        o.period_month: (o.review, f"{p}.period_overrides[{j}].review")
        for j, o in enumerate(report.period_overrides)
        if o.review is not None
    }
    found: list[tuple[Review, str, list[int]]] = []
    if report.review is not None:
        served = [m for m in report.period_months if m not in overridden]
        found.append((report.review, f"{p}.review", served))
    for month, (review, path) in overridden.items():
        found.append((review, path, [month]))
    return found


def _step_paths(review: Review, path: str) -> list[str]:
    if review.chain is None:
        return [f"{path}.committee"]
    return [f"{path}.chain[{k}]" for k in range(len(review.chain))]


def review_issues(config: ArshjulConfig, report: Report, p: str) -> list[Issue]:
    """Lists the mistakes in a report's review chains (its own and its periods')."""
    committees = {c.id for c in config.committees}
    known = ", ".join(sorted(committees)) or "none"
    issues: list[Issue] = []
    committees.add(UNIT_COMMITTEE)
    for review, path, served in reviews_of(report, p):
        steps = review.steps()
        ids = [s.committee for s in steps]
        paths = _step_paths(review, path)
        unknown = False
        for k, step in enumerate(steps):
            if step.committee not in committees:
                issues.append((paths[k], f"unknown committee {step.committee!r} (known: {known})"))
                unknown = True
            elif step.committee in ids[:k]:
                issues.append(
                    (
                        paths[k],
                        f"{step.committee!r} appears twice in the chain: each step is a "
                        "different committee",
                    )
                )
        if unknown:
            continue
        target = review.meeting
        if target is not None and target.committee is not None and target.committee not in ids:
            issues.append(
                (f"{path}.meeting.committee", f"{target.committee!r} is not a step of the chain")
            )
        raw = review.chain or []
        for k, step in enumerate(raw):
            own = step.meeting
            if own is not None and own.committee not in (None, step.committee):
                issues.append(
                    (f"{paths[k]}.meeting.committee", "a step's meeting is that step's committee's")
                )
            if own is not None and target is not None and (target.committee or ids[0]) == ids[k]:
                issues.append(
                    (f"{paths[k]}.meeting", "this step's meeting is also given by review.meeting")
                )
            for j, fwd in enumerate(step.forward_to or []):
                issues += _forward_issue(fwd, ids, k, committees, f"{paths[k]}.forward_to[{j}]")
        for j, fwd in enumerate(review.forward_to or []):
            for k in range(len(ids)):
                if raw and raw[k].forward_to is not None:
                    continue
                found = _forward_issue(fwd, ids, k, committees, f"{path}.forward_to[{j}]")
                if found:
                    issues += found
                    break
        if len(served) > 1:
            for k, step in enumerate(steps):
                if step.meeting is not None and step.meeting.month is not None:
                    issues.append(
                        (
                            f"{paths[k]}" if raw and raw[k].meeting else f"{path}.meeting",
                            "ambiguous: a meeting in one fixed month serves the periods ending in "
                            f"months {', '.join(map(str, sorted(served)))}. Use "
                            "months_after_period or days_after_due, or give each period its own "
                            "review under period_overrides",
                        )
                    )
    return issues


def _forward_issue(
    target: str, ids: list[str], k: int, committees: set[str], path: str
) -> list[Issue]:
    if target not in committees:
        known = ", ".join(sorted(committees)) or "none"
        return [(path, f"unknown committee {target!r} (known: {known})")]
    if target in ids[: k + 1]:
        return [
            (
                path,
                f"{ids[k]!r} cannot forward to {target!r}: it is the same or an earlier step of "
                "the chain",
            )
        ]
    return []


def place(
    meetings: list[dt.date], today: dt.date, min_days: int, target: dt.date | None
) -> tuple[dt.date | None, bool]:
    """Returns the meeting a report goes to from `today`, and whether it misses its target.

    Without a target: the first meeting at least `min_days` away. With one: the target while its
    agenda is still open, even when earlier meetings exist; after that the first meeting it can
    still reach, marked as missed (it never moves silently).
    """
    earliest = today + dt.timedelta(days=min_days)
    if target is not None and target >= earliest:
        return target, False
    found = next((m for m in sorted(meetings) if m >= earliest), None)
    return found, target is not None


def feeders(config: ArshjulConfig, committee_id: str) -> set[str]:
    """Returns the committees that prepare cases for this one: earlier steps of a chain that
    reaches it, and committees that may forward to it (their members follow its agenda)."""
    found = {c.id for c in config.committees if c.refers_to == committee_id}
    unit_committees = {u.committee for u in config.units if u.committee}
    for report in config.reports:
        for review, _, _ in reviews_of(report, ""):
            ids = [s.committee for s in review.steps()]
            forwards = [s.forward_to or [] for s in review.steps()]
            for k, step_id in enumerate(ids):
                if step_id == committee_id:
                    found.update(ids[:k])
                if committee_id in forwards[k]:
                    found.add(step_id)
    if UNIT_COMMITTEE in found:
        found = (found - {UNIT_COMMITTEE}) | unit_committees
    return found - {committee_id}
