"""The protocol as a printable HTML page and as PDF/A for the archive (WeasyPrint)."""

from __future__ import annotations

from jinja2 import Environment, PackageLoader, select_autoescape

from arshjul.protocol.model import ROLE_SV, ProtocolDocument
from arshjul.swedish import FILTERS
from arshjul.text import clean_strings

PDF_MEDIA_TYPE = "application/pdf"
# PDF/A-2u: self-contained (fonts embedded, colours defined) and every character searchable,
# which is what an archive (e.g. Riksarkivet's rules for e-arkiv) asks of a document.
PDF_VARIANT = "pdf/a-2u"

ENV = Environment(
    loader=PackageLoader("arshjul.protocol", "templates"),
    autoescape=select_autoescape(["html", "j2"]),
    trim_blocks=True,
    lstrip_blocks=True,
)
ENV.filters.update(FILTERS)


def _clean(doc: ProtocolDocument) -> ProtocolDocument:
    # Reasons typed or pasted by people may hold control characters no PDF or XML should get.
    return ProtocolDocument.model_validate(clean_strings(doc.model_dump()))


def render_protocol_html(doc: ProtocolDocument, back: tuple[str, str] | None = None) -> str:
    """Renders the protocol as a standalone HTML page (A4 print stylesheet); `back` is the
    (address, text) of a way back for the page in the web (none in the PDF)."""
    return ENV.get_template("protocol.html.j2").render(doc=_clean(doc), roles=ROLE_SV, back=back)


def html_to_pdfa(html: str, base_url: str | None = None) -> bytes:
    """Renders a standalone HTML page as PDF/A-2u bytes, its <meta> tags as the PDF's metadata."""
    # Imported here: WeasyPrint loads Pango through cffi, which the web pages need only here.
    from weasyprint import HTML

    return HTML(string=html, base_url=base_url).write_pdf(  # type: ignore[no-any-return]
        pdf_variant=PDF_VARIANT, custom_metadata=True
    )


def render_protocol_pdf(doc: ProtocolDocument) -> bytes:
    """Renders the protocol as PDF/A-2u bytes."""
    return html_to_pdfa(render_protocol_html(doc), doc.base_url or None)
