"""The compiled report as one print-ready HTML page (inline SVG charts, a print stylesheet)."""

from __future__ import annotations

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape

from arshjul.compile.charts import render_charts
from arshjul.compile.model import CompiledDocument, UnitStatus
from arshjul.forms.content import Assessment
from arshjul.swedish import FILTERS

ENV = Environment(
    loader=PackageLoader("arshjul.compile", "templates"),
    autoescape=select_autoescape(["html", "j2"]),
    trim_blocks=True,
    lstrip_blocks=True,
)
ENV.filters.update(FILTERS)


def render_html(doc: CompiledDocument, *, charts: bool = True) -> str:
    """Renders the compiled document as a standalone HTML page in Swedish."""
    rendered = render_charts(doc, "svg") if charts else {}
    # The SVG is produced by matplotlib from our own data (it escapes text), so it is trusted.
    svgs = {k: (c.caption, Markup(c.data.decode())) for k, c in rendered.items()}
    return ENV.get_template("sammanstallning.html.j2").render(
        doc=doc, charts=svgs, assessments=list(Assessment), UnitStatus=UnitStatus
    )


BACK_MARK = b"<!--arshjul:back-->"


def with_way_back(content: bytes, url: str, label: str) -> bytes:
    """Returns a stored HTML compilation with a way back to the page it was opened from."""
    header = (
        f'<header class="back"><nav aria-label="Tillbaka"><a href="{escape(url)}">'
        f"← {escape(label)}</a></nav></header>"
    ).encode()
    if BACK_MARK in content:
        return content.replace(BACK_MARK, header, 1)
    # Compiled before the mark existed: right after <body>, or the document as it is.
    return content.replace(b"<body>", b"<body>\n" + header, 1)
