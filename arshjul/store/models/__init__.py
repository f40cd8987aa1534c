"""The SQL records, one module per subject; every name is importable from here as before.

Temporal owns process state; these tables mirror it for listing and keep what people need to
search and prove (every version, every decision, every mail, every change). Alembic's env reads
`Base.metadata`, which holds every table once all the modules below are imported.
"""

from arshjul.store.models.access import PersonFeed as PersonFeed
from arshjul.store.models.access import RateLimitHit as RateLimitHit
from arshjul.store.models.access import WebSession as WebSession
from arshjul.store.models.base import NAMING as NAMING
from arshjul.store.models.base import Base as Base
from arshjul.store.models.base import UtcDateTime as UtcDateTime
from arshjul.store.models.calendar import PublishedEvent as PublishedEvent
from arshjul.store.models.configuration import ConfigVersion as ConfigVersion
from arshjul.store.models.ledger import LedgerFigure as LedgerFigure
from arshjul.store.models.ledger import LedgerImport as LedgerImport
from arshjul.store.models.motions import Motion as Motion
from arshjul.store.models.motions import MotionReport as MotionReport
from arshjul.store.models.organisation import UNIT_DEPUTY as UNIT_DEPUTY
from arshjul.store.models.organisation import UNIT_RECIPIENT as UNIT_RECIPIENT
from arshjul.store.models.organisation import Membership as Membership
from arshjul.store.models.organisation import Organisation as Organisation
from arshjul.store.models.organisation import Person as Person
from arshjul.store.models.organisation import Unit as Unit
from arshjul.store.models.organisation import UnitPerson as UnitPerson
from arshjul.store.models.plans import CyclePlan as CyclePlan
from arshjul.store.models.plans import CyclePlanRound as CyclePlanRound
from arshjul.store.models.protocol import CaseProceedings as CaseProceedings
from arshjul.store.models.protocol import Decision as Decision
from arshjul.store.models.protocol import DelegationDecision as DelegationDecision
from arshjul.store.models.protocol import DelegationParagraph as DelegationParagraph
from arshjul.store.models.protocol import Meeting as Meeting
from arshjul.store.models.protocol import ProtocolArchive as ProtocolArchive
from arshjul.store.models.protocol import ProtocolSignature as ProtocolSignature
from arshjul.store.models.records import AuditEntry as AuditEntry
from arshjul.store.models.records import Compilation as Compilation
from arshjul.store.models.records import LinkToken as LinkToken
from arshjul.store.models.records import RetentionPermit as RetentionPermit
from arshjul.store.models.records import SentMail as SentMail
from arshjul.store.models.registry import CASE_MEETING as CASE_MEETING
from arshjul.store.models.registry import CASE_ROUND as CASE_ROUND
from arshjul.store.models.registry import CaseNumber as CaseNumber
from arshjul.store.models.rounds import DELIVERY_DELIVERED as DELIVERY_DELIVERED
from arshjul.store.models.rounds import DELIVERY_PENDING as DELIVERY_PENDING
from arshjul.store.models.rounds import DELIVERY_REJECTED as DELIVERY_REJECTED
from arshjul.store.models.rounds import Attachment as Attachment
from arshjul.store.models.rounds import Draft as Draft
from arshjul.store.models.rounds import Round as Round
from arshjul.store.models.rounds import Submission as Submission
