"""The registerförteckning (GDPR art. 30): which personal data arshjul's configuration and store
hold, about whom, why, on what legal basis and for how long, with how much of each there is.

The text is Swedish: it is a document for the municipality's dataskyddsombud and arkivarie.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from arshjul.calendar.config import ArshjulConfig
from arshjul.calendar.retention import RetentionConfig, retention_sv
from arshjul.store.models import (
    Attachment,
    AuditEntry,
    Base,
    CaseNumber,
    CaseProceedings,
    Compilation,
    ConfigVersion,
    Decision,
    DelegationDecision,
    DelegationParagraph,
    Draft,
    LedgerImport,
    LinkToken,
    Meeting,
    Membership,
    Motion,
    MotionReport,
    Person,
    PersonFeed,
    ProtocolArchive,
    ProtocolSignature,
    RateLimitHit,
    Round,
    SentMail,
    Submission,
    Unit,
    UnitPerson,
    WebSession,
)

# The legal bases arshjul's processing rests on, as a kommun states them.
PUBLIC_TASK = "Art. 6.1 e – uppgift av allmänt intresse (kommunallagen, budget och uppföljning)"
LEGAL_DUTY = "Art. 6.1 c – rättslig förpliktelse (arkivlagen, offentlighets- och sekretesslagen)"
SECURITY = "Art. 6.1 e – säker drift av tjänsten (inloggning, spårbarhet)"
# A kind without gallring in the configuration's `retention:` is never removed.
KEPT = "Bevaras tills vidare (ingen gallring konfigurerad)"


@dataclass(frozen=True)
class Processing:
    """One kind of personal data: whose, which, why, on what basis, how long, and where."""

    name: str
    subjects: str
    data: str
    purpose: str
    basis: str
    retention: str
    tables: tuple[type[Base], ...] = ()
    # The gallring kinds (calendar/retention.py) that set this processing's retention when
    # configured, each after the Swedish name of what it covers here; `kept` is what stays anyway.
    kinds: tuple[tuple[str, str], ...] = ()
    kept: str = ""

    def retention_in(self, retention: RetentionConfig | None) -> str:
        """Returns the retention text: from the configured gallring, else the fixed text."""
        texts = [(label, retention_sv(retention, kind)) for label, kind in self.kinds]
        if all(text is None for _, text in texts):
            return self.retention
        parts = [
            f"{label}: {(text or KEPT).lower()}" if label else (text or KEPT)
            for label, text in texts
        ]
        return "; ".join([self.kept, *parts] if self.kept else parts)


PROCESSINGS: tuple[Processing, ...] = (
    Processing(
        "Personer i konfigurationen",
        "Förvaltningschefer och VD, rollinnehavare, nämndledamöter, ordförande, sekreterare",
        "Namn, e-postadress, uppdrag (enhet, roll, nämnd)",
        "Skicka förfrågningar, påminnelser och dagordningar; bestämma vem som får logga in",
        PUBLIC_TASK,
        "Så länge personen har uppdraget i konfigurationen",
        (Person, Membership, Unit),
    ),
    Processing(
        "Konfigurationens versioner",
        "Personerna i konfigurationen, den som sparade en version",
        "Konfigurationens text (namn, e-post), vem som sparade och varför",
        "Spårbarhet: vem som ändrade årshjulet, när och varför",
        LEGAL_DUTY,
        KEPT,
        (ConfigVersion,),
    ),
    Processing(
        "Ersättare och extra mottagare",
        "Personer som en enhet lägger till",
        "Namn, e-postadress, period som ersättare, vem som lade till",
        "Nå rätt person när chefen är borta",
        PUBLIC_TASK,
        "Till dess enheten tar bort personen",
        (UnitPerson,),
    ),
    Processing(
        "Rapporter och deras versioner",
        "Den som lämnar in; personer som nämns i fritext och bilagor",
        "E-postadress, tidpunkt, rapportens innehåll och bilagor, utkast",
        "Uppföljning som allmän handling; underlag till nämndens beslut",
        LEGAL_DUTY,
        "Inlämnade versioner och bilagor bevaras (arkiveras); utkast: " + KEPT.lower(),
        (Round, Submission, Draft, Attachment),
        kinds=(("utkast", "drafts"),),
        kept="Inlämnade versioner och bilagor bevaras (arkiveras)",
    ),
    Processing(
        "Protokoll och beslut",
        "Ledamöter, ersättare, övriga närvarande, justerare, protokollförare",
        "Namn, e-postadress, närvaro, underskrift (justering) med tidpunkt, anslag; per ärende "
        "jäv, yrkanden, röster i öppen omröstning, reservationer och protokollsanteckningar",
        "Protokollföra nämndens beslut och visa att protokollet är justerat",
        LEGAL_DUTY,
        "Bevaras (arkiveras): protokoll är allmänna handlingar som inte gallras",
        (Meeting, ProtocolSignature, Decision, ProtocolArchive, CaseProceedings),
    ),
    Processing(
        "Diarienummer",
        "Den som angav eller tilldelade ett ärendes diarienummer",
        "E-postadress, tidpunkt, numret",
        "Registrera allmänna handlingar (diarieföring) och hitta ärendet vid en begäran",
        LEGAL_DUTY,
        "Bevaras med ärendet",
        (CaseNumber,),
    ),
    Processing(
        "Anmälda delegationsbeslut",
        "Delegater (beslutsfattare), protokollföraren som förde in beslutet",
        "Namn på beslutsfattaren, ärendemening, beteckning, vem som förde in och när",
        "Anmäla delegationsbeslut till nämnden (KL 6 kap. 40 §) i protokollet",
        LEGAL_DUTY,
        "Bevaras (arkiveras) med protokollet",
        (DelegationParagraph, DelegationDecision),
    ),
    Processing(
        "Motioner och medborgarförslag",
        "Ledamöter som väcker motioner; enskilda som lämnar medborgarförslag (privatpersoner); "
        "den som registrerar och ändrar ärendet",
        "Förslagsställarens namn (för ett medborgarförslag en enskild persons namn), rubrik, "
        "datum, ansvarig nämnd, redovisning av beredningen; vem som registrerade och ändrade",
        "Följa beredningen och redovisa ärenden som inte har beretts färdigt för fullmäktige "
        "(KL 5 kap. 35 §, 8 kap. 1 §); förslagsställarens namn står inte i redovisningen",
        LEGAL_DUTY,
        "Bevaras (arkiveras) med fullmäktiges ärenden; redovisningen med protokollet",
        (Motion, MotionReport),
    ),
    Processing(
        "Sammanställningar",
        "Enheternas chefer; personer som nämns i rapporternas texter",
        "Sammanställd rapport, vem som skapade den",
        "Underlag till kommunstyrelse och fullmäktige",
        PUBLIC_TASK,
        KEPT,
        (Compilation,),
    ),
    Processing(
        "Utskick",
        "Mottagare av e-post från årshjulet",
        "E-postadresser, ämnesrad, tidpunkt, serverns svar",
        "Visa att och när en förfrågan, påminnelse eller kallelse skickades",
        LEGAL_DUTY,
        KEPT,
        (SentMail,),
        kinds=(("", "mail_log"),),
    ),
    Processing(
        "Händelselogg",
        "Den som gjorde en ändring eller ett beslut",
        "E-postadress, åtgärd, tidpunkt, angivet skäl",
        "Spårbarhet för ärendets handläggning",
        LEGAL_DUTY,
        KEPT,
        (AuditEntry,),
        kinds=(("", "audit"),),
    ),
    Processing(
        "Inloggning och länkar",
        "Alla som loggar in eller får en länk",
        "E-postadress, inloggningssätt, uppgifter från kommunens IdP (namn, roller), "
        "tidpunkter; länkar lagras bara som kontrollsumma",
        "Säker inloggning och behörighet",
        SECURITY,
        "Sessioner och länkar upphör att gälla; raderna: " + KEPT.lower(),
        (WebSession, LinkToken),
        kinds=(("sessioner", "sessions"), ("länkar", "login_records")),
    ),
    Processing(
        "Skydd mot överbelastning",
        "Den som begär inloggningslänkar",
        "Nyckel med IP-adress eller e-postadress, tidpunkt",
        "Begränsa hur ofta inloggningslänkar kan begäras",
        SECURITY,
        KEPT,
        (RateLimitHit,),
        kinds=(("", "login_records"),),
    ),
    Processing(
        "Personliga kalenderflöden",
        "Den som prenumererar på sin kalender",
        "E-postadress och flödets adress",
        "Visa personens egna datum i hens kalender",
        PUBLIC_TASK,
        "Till dess personen byter adress; ersatta adresser: " + KEPT.lower(),
        (PersonFeed,),
    ),
    Processing(
        "Import av huvudbok",
        "Den som importerade filen",
        "E-postadress, tidpunkt, filens namn",
        "Visa varifrån utfallet i rapporterna kommer",
        PUBLIC_TASK,
        KEPT,
        (LedgerImport,),
        kinds=(("", "ledger_files"),),
    ),
)


@dataclass(frozen=True)
class RegisterLine:
    """One processing with how much of it the store holds."""

    processing: Processing
    rows: dict[str, int]  # table: rows


def configured_people(config: ArshjulConfig) -> int:
    """Returns how many distinct addresses the configuration names."""
    return len({p.email.lower() for p in config.people()})


def register_lines(session: Session) -> list[RegisterLine]:
    """Counts the rows of every table a processing keeps its personal data in."""
    lines = []
    for p in PROCESSINGS:
        rows = {
            t.__tablename__: session.scalar(select(func.count()).select_from(t)) or 0
            for t in p.tables
        }
        lines.append(RegisterLine(p, rows))
    return lines


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(config: ArshjulConfig, lines: list[RegisterLine], today: dt.date) -> str:
    """The register as a Markdown document (a table a spreadsheet or a wiki takes as it is)."""
    org = config.organisation.name
    out = [
        f"# Registerförteckning – {org}",
        "",
        "Förteckning över behandling av personuppgifter enligt artikel 30 i "
        "dataskyddsförordningen (GDPR) i årshjulet.",
        "",
        f"- Personuppgiftsansvarig: {org}",
        f"- Upprättad: {today.isoformat()}",
        f"- Personer i konfigurationen: {configured_people(config)}",
        "",
        "| Behandling | Registrerade | Personuppgifter | Ändamål | Rättslig grund | Lagringstid "
        "| Lagras i | Antal rader |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for line in lines:
        p = line.processing
        where = ", ".join(line.rows)
        counts = ", ".join(f"{t}: {n}" for t, n in line.rows.items())
        retention = p.retention_in(config.retention)
        cells = (p.name, p.subjects, p.data, p.purpose, p.basis, retention, where, counts)
        out.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    out += [
        "",
        "Mottagare: kommunens egna funktioner. E-post lämnas till den SMTP-server kommunen har "
        "angett"
        + (", inloggning sker via kommunens identitetstjänst" if config.sign_in else "")
        + "; om det innebär överföring till tredje land bedömer kommunen utifrån de tjänsterna.",
        "",
        "Säkerhet: inloggningslänkar och sessioner lagras bara som kontrollsummor; justerade "
        "protokoll och inlämnade versioner är låsta i databasen; varje ändring skrivs i "
        "händelseloggen.",
        "",
    ]
    return "\n".join(out)
