"""A small, strict HTML tree for tests: parse a page, find elements, read text and attributes.

Strict on purpose: an end tag that does not close the innermost open element, or an element left
open at the end, raises ``MalformedHTML`` — our templates close everything explicitly.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

__all__ = ["Element", "MalformedHTML", "parse"]

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class MalformedHTML(AssertionError):
    pass


@dataclass
class Element:
    tag: str
    attrs: dict[str, str | None]
    children: list["Element | str"] = field(default_factory=list)
    line: int = 0

    # --- reading ---------------------------------------------------------------------------------------
    @property
    def text(self) -> str:
        """All text inside, whitespace collapsed."""
        return " ".join("".join(self._texts()).split())

    def _texts(self):
        for child in self.children:
            if isinstance(child, str):
                yield child
            else:
                yield from child._texts()

    def get(self, name: str, default=None):
        return self.attrs.get(name, default)

    @property
    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    def iter(self):
        """This element and every element inside it, in document order."""
        yield self
        for child in self.children:
            if isinstance(child, Element):
                yield from child.iter()

    # --- finding ---------------------------------------------------------------------------------------
    def find_all(self, tag: str | None = None, *, class_: str | None = None, id: str | None = None, **attrs) -> list["Element"]:
        found = []
        for element in self.iter():
            if tag is not None and element.tag != tag:
                continue
            if class_ is not None and class_ not in element.classes:
                continue
            if id is not None and element.attrs.get("id") != id:
                continue
            if any(element.attrs.get(k.rstrip("_").replace("_", "-")) != v for k, v in attrs.items()):
                continue
            found.append(element)
        return found

    def find(self, tag: str | None = None, **kwargs) -> "Element":
        found = self.find_all(tag, **kwargs)
        if not found:
            raise AssertionError(f"no <{tag or '*'}> matching {kwargs}")
        return found[0]

    def by_id(self, ident: str) -> "Element":
        return self.find(id=ident)

    def __repr__(self) -> str:
        return f"<{self.tag} {self.attrs}> {self.text[:60]!r}"


class _Builder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        element = Element(tag, dict(attrs), line=self.getpos()[0])
        self.stack[-1].children.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(Element(tag, dict(attrs), line=self.getpos()[0]))

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        open_element = self.stack[-1]
        if open_element.tag != tag:
            raise MalformedHTML(f"line {self.getpos()[0]}: </{tag}> closes <{open_element.tag}> opened on line {open_element.line}")
        self.stack.pop()

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse(html: str | bytes) -> Element:
    """The document as a tree; MalformedHTML when tags do not nest."""
    builder = _Builder()
    builder.feed(html.decode("utf-8") if isinstance(html, bytes) else html)
    builder.close()
    if len(builder.stack) != 1:
        raise MalformedHTML(f"unclosed <{builder.stack[-1].tag}> from line {builder.stack[-1].line}")
    return builder.root
