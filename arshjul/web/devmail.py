"""`/dev/mail`: the inbox of the local SMTP sink of `arshjul up`, each mail with clickable links.

Included by `create_app` only when ARSHJUL_DEV_MAILDIR is set (never in production); behind a
login unless the request comes from the machine itself when ARSHJUL_DEV_MAIL_LOGIN is set.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

from anyio import to_thread
from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment
from markupsafe import Markup, escape

from arshjul.runtime.maildir import MailSummary, bodies, inbox, read_mail, summarize
from arshjul.settings import get_settings
from arshjul.swedish import datetime_sv
from arshjul.web.auth.current import resolve_user

# Not part of the API's contract: a page for people trying `arshjul up` on their machine.
router = APIRouter(prefix="/dev/mail", include_in_schema=False)

_URL = re.compile(r"https?://[^\s<>\"']+")

# A page of its own: the dev inbox must work even before the app's templates exist.
_env = Environment(autoescape=True)
# Local Swedish time, as on the app's pages ("30 november 2026 kl. 05.18"), not UTC in ISO.
_env.filters["datetime_sv"] = datetime_sv
_LAYOUT = """<!doctype html>
<html lang="sv"><head><meta charset="utf-8"><title>{{ title }} – arshjul</title>
<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}
table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:.3rem .5rem;
border-bottom:1px solid #ddd}pre{white-space:pre-wrap;background:#f6f6f6;padding:1rem}
iframe{width:100%;height:32rem;border:1px solid #ccc}.demo{color:#a15c00}
body{overflow-wrap:anywhere}@media (max-width:40rem){thead{position:absolute;left:-9999px}
tr,td{display:block}tr{border-bottom:1px solid #ddd;padding:.3rem 0}td,th{border:0}}</style></head>
<body><p><a href="/dev/mail">Inkorg</a> · lokal e-post från <code>arshjul up</code>
(skickas inte vidare)</p>{{ body }}</body></html>"""
_INBOX = """<h1>Inkorg ({{ mails|length }})</h1>
{% if not mails %}<p>Inga brev ännu. Förfrågningar skickas när en omgång öppnar.</p>{% else %}
<table><thead><tr><th>Mottaget</th><th>Till</th><th>Ämne</th></tr></thead><tbody>
{% for m in mails %}<tr><td>{{ m.date|datetime_sv }}</td>
<td>{{ m.to }}</td><td><a class="mail" href="/dev/mail/{{ m.name }}">
{{- m.subject or '(inget ämne)' }}</a>
</td></tr>{% endfor %}</tbody></table>{% endif %}"""
_MAIL = """<h1>{{ mail.subject or '(inget ämne)' }}</h1>
<table><tr><th>Från</th><td>{{ mail.sender }}</td></tr><tr><th>Till</th><td>{{ mail.to }}</td></tr>
<tr><th>Datum</th><td>{{ mail.date|datetime_sv }}</td></tr></table>
{% if text %}<h2>Text</h2><pre class="text">{{ text }}</pre>{% endif %}
{% if has_html %}<h2>HTML</h2><iframe title="Brevets HTML-del"
sandbox="allow-popups allow-popups-to-escape-sandbox allow-top-navigation-by-user-activation"
src="/dev/mail/{{ mail.name }}/html"></iframe>{% endif %}
{% if attachments %}<h2>Bilagor</h2><ul>{% for a in attachments %}<li>{{ a }}</li>{% endfor %}</ul>
{% endif %}<p><a href="/dev/mail/{{ mail.name }}/raw">Rått brev (.eml)</a></p>"""


async def maildir(request: Request) -> Path:
    """Returns the sink's folder; 404 when the dev inbox is off, 401 when it needs a login.

    `up` listening beyond loopback sets ARSHJUL_DEV_MAIL_LOGIN: then only someone on the machine
    itself, or logged in, reads the inbox (it holds every login link).
    """
    # The app's own settings win (create_app may be given settings), else the process's.
    web_state = getattr(request.app.state, "web", None)
    settings = getattr(web_state, "settings", None) or get_settings()
    folder = settings.dev_maildir
    if folder is None:
        raise HTTPException(status_code=404, detail="Den lokala inkorgen är inte påslagen.")
    host = request.client.host if request.client else ""
    on_this_machine = host == "::1" or host.startswith("127.")
    if settings.dev_mail_login and not on_this_machine and await resolve_user(request) is None:
        raise HTTPException(status_code=401, detail="login required for the dev inbox")
    return folder


MailDir = Annotated[Path, Depends(maildir)]


def linkify(text: str) -> Markup:
    """Escapes `text` and turns every http(s) address in it into a link."""
    escaped = str(escape(text))
    return Markup(_URL.sub(lambda m: f'<a href="{m.group(0)}">{m.group(0)}</a>', escaped))


def _page(title: str, template: str, **context: object) -> HTMLResponse:
    body = Markup(_env.from_string(template).render(**context))
    return HTMLResponse(_env.from_string(_LAYOUT).render(title=title, body=body))


@router.get("", response_class=HTMLResponse)
async def list_mail(folder: MailDir) -> HTMLResponse:
    """Shows every received mail, newest first."""
    return _page("Inkorg", _INBOX, mails=await to_thread.run_sync(inbox, folder))


@router.get(".json")
async def list_mail_json(folder: MailDir) -> list[MailSummary]:
    """Returns the inbox as JSON, newest first (for scripts and tests)."""
    return await to_thread.run_sync(inbox, folder)


@router.get("/{name}", response_class=HTMLResponse)
async def show_mail(name: str, folder: MailDir) -> HTMLResponse:
    """Shows one mail: headers, the text body with clickable links, the HTML body in a frame."""
    msg = await to_thread.run_sync(read_mail, folder, name)
    if msg is None:
        raise HTTPException(status_code=404, detail="Brevet finns inte.")
    text, html = bodies(msg)
    attachments = [p.get_filename() or p.get_content_type() for p in msg.iter_attachments()]
    return _page(
        str(msg["Subject"] or "Brev"),
        _MAIL,
        mail=summarize(name, msg),
        text=linkify(text) if text else None,
        has_html=html is not None,
        attachments=attachments,
    )


@router.get("/{name}/html", response_class=HTMLResponse)
async def show_mail_html(name: str, folder: MailDir) -> HTMLResponse:
    """Returns the mail's HTML body as sent; links open in the whole window, scripts never run."""
    msg = await to_thread.run_sync(read_mail, folder, name)
    html = bodies(msg)[1] if msg is not None else None
    if html is None:
        raise HTTPException(status_code=404, detail="Brevet har ingen HTML-del.")
    # The mail is untrusted content: no scripts, and links leave the frame.
    headers = {
        "Content-Security-Policy": "sandbox allow-popups allow-top-navigation-by-user-activation; "
        "script-src 'none'; frame-ancestors 'self'",
        # The app denies framing by default; this page exists to be framed by /dev/mail/{name}.
        "X-Frame-Options": "SAMEORIGIN",
    }
    return HTMLResponse('<base target="_top">' + html, headers=headers)


def _raw(folder: Path, name: str) -> bytes | None:
    return (folder / name).read_bytes() if read_mail(folder, name) is not None else None


@router.get("/{name}/raw")
async def raw_mail(name: str, folder: MailDir) -> Response:
    """Returns the mail exactly as received."""
    data = await to_thread.run_sync(_raw, folder, name)
    if data is None:
        raise HTTPException(status_code=404, detail="Brevet finns inte.")
    return Response(
        data,
        media_type="message/rfc822",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
