"""Anchoring facts to the article's words.

A span of the article is located by its exact wording (never by typed offsets): the code finds
the quote in the text, refuses a quote that is missing or ambiguous, and computes the W3C Web
Annotation selectors — ``TextQuoteSelector`` (exact, prefix, suffix) and
``TextPositionSelector`` (start, end) — with offsets in Unicode code points, end exclusive.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import MaliKGError

#: Characters of context kept on each side in ``oa:prefix`` / ``oa:suffix``.
CONTEXT = 32

_PARAGRAPH_BREAK = re.compile(r"\n\n")
# A sentence ends at . ! or ? (possibly followed by a closing guillemet or quote) + space.
_SENTENCE_END = re.compile(r"[.!?][»”\"]?(?=\s+\S)|\n")


class AnchorError(MaliKGError):
    """A quote cannot be anchored: it is not in the text, or it is there more than once."""


@dataclass(frozen=True)
class Span:
    """A located span of the text, with everything its selectors need."""

    text: str
    start: int
    end: int

    @property
    def exact(self) -> str:
        return self.text[self.start : self.end]

    @property
    def prefix(self) -> str:
        return self.text[max(0, self.start - CONTEXT) : self.start]

    @property
    def suffix(self) -> str:
        return self.text[self.end : self.end + CONTEXT]

    @property
    def paragraph(self) -> int:
        """0-based paragraph number (the title is paragraph 0)."""
        return len(_PARAGRAPH_BREAK.findall(self.text, 0, self.start))

    @property
    def sentence(self) -> str:
        """The whole sentence (or sentences) the span lies in."""
        start = _sentence_start(self.text, self.start)
        return self.text[start : _sentence_end(self.text, self.end)]


def _sentence_start(text: str, position: int) -> int:
    start = 0
    for m in _SENTENCE_END.finditer(text):
        if m.end() > position:
            break
        start = m.end()
    while start < len(text) and text[start].isspace():
        start += 1
    return start


def _sentence_end(text: str, position: int) -> int:
    m = _SENTENCE_END.search(text, max(position - 1, 0))
    if m is None:
        return len(text)
    return m.end() if text[m.start()] != "\n" else m.start()


@dataclass(frozen=True)
class Article:
    """The source text, with lookups of quotes in it."""

    text: str

    def locate(self, exact: str, *, occurrence: int | None = None) -> Span:
        """The span holding ``exact``.

        A quote must occur exactly once unless ``occurrence`` (1-based) says which one is meant.
        """
        if not exact:
            raise AnchorError("An empty quote cannot be anchored; give the words of the article.")
        starts = _occurrences(self.text, exact)
        if not starts:
            raise AnchorError(
                f"The quote {exact!r} is not in the article; copy it from data/article.txt "
                "exactly (curly apostrophes, guillemets and spacing included)."
            )
        if occurrence is None:
            if len(starts) > 1:
                raise AnchorError(
                    f"The quote {exact!r} occurs {len(starts)} times in the article; lengthen it "
                    "or say which occurrence is meant."
                )
            occurrence = 1
        if not 1 <= occurrence <= len(starts):
            raise AnchorError(
                f"The quote {exact!r} occurs {len(starts)} times; occurrence {occurrence} "
                "does not exist."
            )
        start = starts[occurrence - 1]
        return Span(self.text, start, start + len(exact))


def _occurrences(text: str, exact: str) -> list[int]:
    """Every start of ``exact`` in ``text``, overlapping ones included."""
    starts, at = [], text.find(exact)
    while at != -1:
        starts.append(at)
        at = text.find(exact, at + 1)
    return starts
