"""The API reference in Swedish: what each endpoint and model is, as /api/docs and the OpenAPI
document say it. Kept apart from the code's English docstrings, which are for developers; a test
holds every endpoint and model of the document to having its text here."""

from __future__ import annotations

# (method, path) -> (summary, description)
OPERATIONS: dict[tuple[str, str], tuple[str, str]] = {
    ("get", "/api/rounds"): (
        "Omgångar",
        "Organisationens rapportomgångar, valfritt för ett år, en rapport och en enhet.",
    ),
    ("get", "/api/rounds/{org}/{report}/{period}/{unit}"): (
        "En omgång",
        "En omgångs läge, sista dag, sammanträdet den ligger på och hela historiken.",
    ),
    ("get", "/api/rounds/{org}/{report}/{period}/{unit}/submissions"): (
        "Inlämnade versioner",
        "Varje version som har lämnats in för en omgång, den äldsta först.",
    ),
    ("get", "/api/decisions"): (
        "Beslut vid ett sammanträde",
        "Ett sammanträdes beslut i paragrafordning, som i protokollet.",
    ),
    ("get", "/api/calendar"): (
        "Årshjulet",
        "Årshjulets daterade poster för ett år: en enhets egna och de gemensamma.",
    ),
    ("get", "/calendar/all.ics"): (
        "Hela årshjulet (iCalendar)",
        "Hela organisationens årshjul att prenumerera på; en rapports enheter samma dag är en "
        "händelse.",
    ),
    ("get", "/calendar/{unit}.ics"): (
        "En enhets årshjul (iCalendar)",
        "En enhets (eller inlämnande rolls) årshjul med omgångarnas verkliga sista dagar.",
    ),
    ("get", "/calendar/roll/{ref}.ics"): (
        "En rolls eller nämnds kalender (iCalendar)",
        "Det en roll eller en nämnd följer: dess sammanträden, rapporter och milstolpar.",
    ),
    ("get", "/calendar/person/{token}.ics"): (
        "Min kalender (iCalendar)",
        "En persons kalender: enheternas sista dagar och rollernas och nämndernas poster. "
        "Adressen är personlig.",
    ),
}

# OpenAPI schema name -> what the model is
MODELS: dict[str, str] = {
    "ApiError": "Ett felsvar i JSON: rubrik och mening på svenska och en teknisk detalj på "
    "engelska.",
    "CalendarEntry": "En daterad post i årshjulet, likadan i tabeller, JSON och iCalendar.",
    "ChainStepSpec": "En nämnd i en beredningskedja, som omgången går igenom den.",
    "CommitteeSpec": "En nämnd som omgången ser den: dess sammanträden (tid och plats) och "
    "ledamöter.",
    "DecisionRead": "Ett beslut av en nämnd med dess paragraf i protokollet.",
    "EscalationSpec": "När en sen omgång eskaleras, hur ofta igen och till vilka roller.",
    "FollowupSpec": "Den åtgärdsplan som en stor avvikelse kräver: vilken rapport, över vilket "
    "belopp och hur snart.",
    "HistoryEntry": "En rad i en omgångs historik: vad som hände, när, av vem och varför.",
    "MeetingInfo": "Tid och plats för ett sammanträde när de skiljer sig från nämndens vanliga.",
    "Recipient": "En mottagare av e-post: namn och adress.",
    "ReviewSpec": "Vilka nämnder som behandlar omgången, i vilken ordning och hur tidigt den "
    "ska vara inne.",
    "RoundRead": "En omgång som databasen visar den.",
    "RoundSpec": "Allt en omgång behöver för att gå utan att läsa konfigurationen igen.",
    "RoundState": "Omgångens läge (väntar på inlämning, inlämnad, på dagordningen, beslutad …).",
    "RoundStatus": "En omgångs läge, datum, sammanträde, senaste inlämning och hela historik.",
    "SubmissionRead": "En sparad version av en inlämning.",
}

SUCCESS = "Svaret"  # FastAPI's "Successful Response"
