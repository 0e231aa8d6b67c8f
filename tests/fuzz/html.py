"""The forms and links of a rendered page, read with the standard library's HTML parser.

The fuzzer posts what the browser would post, so it reads the fields from the page itself:
their names, types, the options of selects, radios and checkboxes, and the submit buttons.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit


@dataclass
class Field:
    name: str
    kind: str  # text, textarea, number, date, datetime-local, select, radio, checkbox, file, ...
    value: str = ""
    options: list[str] = field(default_factory=list)
    multiple: bool = False


@dataclass
class Form:
    page: str  # the URL the form was found on
    action: str  # path (and query) it posts to
    method: str  # GET or POST
    fields: dict[str, Field] = field(default_factory=dict)
    buttons: list[tuple[str, str]] = field(default_factory=list)

    @property
    def multipart(self) -> bool:
        return any(f.kind == "file" for f in self.fields.values())


class _PageParser(HTMLParser):
    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.forms: list[Form] = []
        self.links: list[str] = []
        self._form: Form | None = None
        self._select: Field | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(urljoin(self.page, a["href"]))
        elif tag == "form":
            action = urljoin(self.page, a.get("action") or self.page)
            self._form = Form(page=self.page, action=_local(action),
                              method=(a.get("method") or "get").upper())
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input":
            self._input(a)
        elif tag == "textarea" and a.get("name"):
            self._add(Field(a["name"], "textarea"))
        elif tag == "select" and a.get("name"):
            self._select = Field(a["name"], "select", multiple="multiple" in a)
            self._add(self._select)
        elif tag == "option" and self._select is not None:
            self._select.options.append(a.get("value", ""))
        elif tag == "button" and a.get("name"):
            self._form.buttons.append((a["name"], a.get("value", "")))

    def _input(self, a: dict[str, str]) -> None:
        name, kind = a.get("name"), (a.get("type") or "text").lower()
        if not name:
            return
        if kind == "submit":
            self._form.buttons.append((name, a.get("value", "")))
            return
        existing = self._form.fields.get(name)
        if kind in ("radio", "checkbox") and existing is not None:
            existing.options.append(a.get("value", "on"))
            return
        found = Field(name, kind, value=a.get("value", ""))
        if kind in ("radio", "checkbox"):
            found.options.append(a.get("value", "on"))
            found.multiple = kind == "checkbox"
        self._add(found)

    def _add(self, found: Field) -> None:
        self._form.fields.setdefault(found.name, found)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def _local(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def read_page(page: str, html: str) -> tuple[list[Form], list[str]]:
    """The forms on a page and the local links it holds (paths with their query)."""
    parser = _PageParser(page)
    parser.feed(html)
    links = [_local(link) for link in parser.links
             if urlsplit(link).netloc in ("", "localhost")]
    return parser.forms, links
