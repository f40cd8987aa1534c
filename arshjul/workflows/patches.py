"""Every `workflow.patched` id of the workflows, in one place (docs/VERSIONING.md).

A workflow that started before a change replays without its patch id and keeps the old path; one
started after takes the new. An id never changes and is never reused: running workflows carry it
in their history. Each is read where the changed command is (the module named beside it).
"""

from __future__ import annotations

# Checked once when a round starts (round.py): a round keeps the behaviour it started with for
# its whole life.
PATCH_REVIEW_CHAIN = "review-chain"
PATCH_REMINDERS_FROM_DUE = "reminders-count-from-due"
# An återremiss without a date of its own keeps a later current due date (never shortens it;
# round_chain.py).
PATCH_REMIT_KEEPS_LATER_DUE = "remit-keeps-later-due"
# An extension mails the unit its new date (the same calendar event moved; round.py).
PATCH_EXTENSION_MAIL = "extension-mails-unit"
# A cancellation mails a unit that was asked, with a calendar CANCEL (round.py).
PATCH_CANCEL_MAIL = "cancel-mails-unit"
# After each submission the round asks for the Sammanställning (compile_when_complete; round.py).
PATCH_COMPILE_WHEN_COMPLETE = "compile-when-complete"
# A round waiting for a meeting counts new meetings from when it began to wait (a configuration
# that arrived while it still mailed the owners was lost before; round.py).
PATCH_AWAITING_KEEPS_NEWS = "awaiting-meeting-keeps-news"
# Bordläggning and "utgår" at a meeting (round_meeting.py).
PATCH_MEETING_OUTCOMES = "meeting-outcomes-table-withdraw"
# A bordläggning mails the unit: the committee, the meeting and the next one (round_meeting.py).
PATCH_TABLED_MAIL = "tabled-mails-unit"
# "Utgår" mails the unit: the committee, the meeting and the next one (round_meeting.py).
PATCH_WITHDRAWN_MAIL = "withdrawn-mails-unit"
# A due date moved by a changed configuration mails the unit its new date, with the same calendar
# event moved (round.py spec_changed).
PATCH_CONFIGURED_DUE_MAIL = "configured-due-mails-unit"
