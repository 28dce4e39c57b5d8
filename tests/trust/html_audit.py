"""Reads a rendered page the way a browser would and lists what could run or leak.

Used by the trust tests: a page is safe when nothing in it runs except our own static
files, no attribute carries an event handler or a javascript: address, and nothing is
styled inline (the CSP forbids all of those, so they would also be broken).
"""

from dataclasses import dataclass, field
from html.parser import HTMLParser

DATA_SCRIPT_TYPES = {"application/ld+json", "application/json"}
# <link rel> values that make the browser fetch something (canonical/alternate do not).
LOADING_RELS = {"stylesheet", "icon", "preload", "prefetch", "modulepreload", "manifest"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster"}


@dataclass
class Audit:
    inline_scripts: list[str] = field(default_factory=list)
    foreign_sources: list[str] = field(default_factory=list)
    event_handlers: list[str] = field(default_factory=list)
    javascript_urls: list[str] = field(default_factory=list)
    inline_styles: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)

    @property
    def problems(self) -> list[str]:
        return [
            *self.inline_scripts,
            *self.foreign_sources,
            *self.event_handlers,
            *self.javascript_urls,
            *self.inline_styles,
        ]


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.audit = Audit()
        self._in_code_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.audit.tags.append(tag)
        values = {name: value or "" for name, value in attrs}
        for name, value in values.items():
            if name.startswith("on"):
                self.audit.event_handlers.append(f"<{tag} {name}=…>")
            if name == "style":
                self.audit.inline_styles.append(f"<{tag} style=…>")
            if name in URL_ATTRIBUTES and _is_javascript_url(value):
                self.audit.javascript_urls.append(f"<{tag} {name}={value!r}>")
        if tag == "style":
            self.audit.inline_styles.append("<style>")
        if tag == "script":
            kind = values.get("type", "").lower()
            src = values.get("src", "")
            if src and not src.startswith("/"):
                self.audit.foreign_sources.append(src)
            # A data block is never run; a script with src runs our own file only.
            self._in_code_script = not src and kind not in DATA_SCRIPT_TYPES
        loads = tag in {"img", "iframe", "embed", "object", "source", "video", "audio"} or (
            tag == "link" and set(values.get("rel", "").lower().split()) & LOADING_RELS
        )
        address = values.get("href") or values.get("src") or values.get("data") or ""
        if loads and address.startswith(("http:", "https:", "//")):
            self.audit.foreign_sources.append(address)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_code_script = False

    def handle_data(self, data: str) -> None:
        if self._in_code_script:
            self.audit.inline_scripts.append(f"<script>{data[:40]}")


def _is_javascript_url(value: str) -> bool:
    # Browsers ignore control characters and spaces inside the scheme.
    squeezed = "".join(ch for ch in value if ch.isprintable() and not ch.isspace()).lower()
    return squeezed.startswith(("javascript:", "vbscript:", "data:text/html"))


def audit_html(html: str) -> Audit:
    """What in this page could run, load from elsewhere, or be styled inline."""
    parser = _Parser()
    parser.feed(html)
    parser.close()
    return parser.audit
