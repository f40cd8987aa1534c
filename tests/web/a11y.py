"""The accessibility audit of the browser journeys: axe-core's WCAG 2.1 A and AA rules inside the
page, no sideways scroll and no word broken mid-letter at 375 px, no ISO date where people read
(Swedish "14 december 2026"), and a record of which of the app's pages were audited."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

AXE = Path(__file__).resolve().parents[1] / "node" / "node_modules" / "axe-core" / "axe.min.js"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PHONE = {"width": 375, "height": 740}
# Table cells whose longest word is wider than the cell: the browser breaks it mid-letter
# ("Händel se"), which no sideways-scroll check sees. Returns "<th/td text>" per such cell.
BROKEN_WORDS = """() => {
  const ctx = document.createElement('canvas').getContext('2d');
  const found = [];
  for (const cell of document.querySelectorAll('td, th')) {
    if (!cell.offsetParent || !cell.innerText.trim()) continue;
    const style = getComputedStyle(cell);
    ctx.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    const room = cell.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    const words = cell.innerText.split(/\\s+/).filter(w => /^[\\p{L}]{4,}$/u.test(w));
    const wide = words.find(w => ctx.measureText(w).width > room + 1);
    if (wide) found.push(`${cell.tagName.toLowerCase()} '${wide}' in ${Math.round(room)} px`);
  }
  return found.slice(0, 5);
}"""
DESKTOP = {"width": 1280, "height": 900}
# GET routes that are no page of their own: files, feeds, JSON, redirects to a form, and the
# probes and metrics that operations read (plain text or JSON).
NOT_PAGES = re.compile(
    r"(\.ics|\.csv|\.xlsx|\.json|\.xml|\.pdf|\.zip|/raw|/html|/bilagor/\{sha\}|/rapport/\{report\}/\{period\})$"
    r"|^/api/(?!docs$)|^/(healthz|readyz|metrics)$"
)


# A date as a machine writes it, standing alone: not inside an address, a path or a file name
# ("/protokoll/2026-12-14", "sista-dag-2026-12-14.ics").
ISO_DATE = re.compile(r"(?<![\w/.-])\d{4}-\d{2}-\d{2}(?![\w/.-])")
# The visible text people read: form fields (an <input type="date"> holds ISO by design),
# code and hidden elements left out.
VISIBLE_TEXT = """() => {
  const parts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const el = walker.currentNode.parentElement;
    if (!el || el.closest('textarea, select, option, script, style, code, kbd, samp')) continue;
    if (!el.checkVisibility()) continue;
    parts.push(walker.currentNode.textContent);
  }
  return parts.join(' ');
}"""


def page_routes(app: Any) -> set[str]:
    """Returns the path templates of the app's GET routes that answer with a page."""
    found: set[str] = set()
    for route in app.routes:
        contexts = getattr(route, "effective_route_contexts", None)
        for r in contexts() if contexts else [route]:
            if "GET" in (getattr(r, "methods", None) or ()) and not NOT_PAGES.search(r.path):
                found.add(r.path)
    return found


def _pattern(template: str) -> re.Pattern[str]:
    parts = re.split(r"\{[^}]+\}", template)
    return re.compile("^" + "[^/]+".join(re.escape(p) for p in parts) + "$")


@dataclass
class Audit:
    """Runs axe and the narrow-screen check on a page and remembers which routes it saw."""

    routes: set[str]
    seen: set[str] = field(default_factory=set)
    problems: list[str] = field(default_factory=list)

    async def check(self, page: Any, name: str) -> None:
        """Audits the page as it is now (at 1280 px and at 375 px); collects every violation."""
        path = re.sub(r"^https?://[^/]+", "", page.url).split("?")[0].split("#")[0] or "/"
        self.seen |= {r for r in self.routes if _pattern(r).match(path)}
        for size in (DESKTOP, PHONE):
            await page.set_viewport_size(size)
            wide = await page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            if wide > 0:
                width = size["width"]
                self.problems.append(f"{name} ({path}): {wide} px sideways scroll at {width}")
        await page.set_viewport_size(PHONE)
        for cell in await page.evaluate(BROKEN_WORDS):
            self.problems.append(f"{name} ({path}): a word breaks mid-letter at 375 px: {cell}")
        await page.set_viewport_size(DESKTOP)
        for iso in sorted(set(ISO_DATE.findall(await page.evaluate(VISIBLE_TEXT)))):
            self.problems.append(f"{name} ({path}): ISO date {iso} where people read")
        if not await page.evaluate("typeof window.axe !== 'undefined'"):
            await page.add_script_tag(path=str(AXE))
        result = await page.evaluate(
            "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
            WCAG,
        )
        for v in result["violations"]:
            nodes = "; ".join(n["target"][0] if n["target"] else "?" for n in v["nodes"][:4])
            self.problems.append(f"{name} ({path}): {v['id']} – {v['help']} [{nodes}]")

    def missing(self) -> set[str]:
        """Returns the app's pages no journey audited."""
        return self.routes - self.seen
