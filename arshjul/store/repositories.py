"""Every repository in one import: `from arshjul.store.repositories import RoundRepository`."""

from arshjul.store.case_numbers import CaseNumberRepository, NumberTaken
from arshjul.store.delegations import DelegationEntry, DelegationRepository
from arshjul.store.meetings import MeetingRepository
from arshjul.store.motions import MotionFields, MotionRepository
from arshjul.store.people import OrganisationRepository, PeopleRepository, sync_config
from arshjul.store.proceedings import ProceedingsRepository
from arshjul.store.records import (
    CompilationRepository,
    DecisionRepository,
    MailRepository,
    TokenRepository,
)
from arshjul.store.rounds import AuditRepository, RoundRepository
from arshjul.store.submissions import (
    AttachmentRepository,
    DraftRepository,
    RoundIdError,
    SubmissionRepository,
    content_sha256,
    parse_round_id,
)
from arshjul.store.unit_people import Responsible, UnitPeopleRepository, UnitRole

__all__ = [
    "AttachmentRepository",
    "AuditRepository",
    "CaseNumberRepository",
    "CompilationRepository",
    "DecisionRepository",
    "DelegationEntry",
    "DelegationRepository",
    "ProceedingsRepository",
    "DraftRepository",
    "MailRepository",
    "MeetingRepository",
    "NumberTaken",
    "MotionFields",
    "MotionRepository",
    "OrganisationRepository",
    "PeopleRepository",
    "Responsible",
    "RoundIdError",
    "RoundRepository",
    "SubmissionRepository",
    "TokenRepository",
    "UnitPeopleRepository",
    "UnitRole",
    "content_sha256",
    "parse_round_id",
    "sync_config",
]
