"""A synthetic graph of the same ontology and shapes, at any size, streamed to N-Quads.

The real graph (one article, its missions, resolutions, statements, claims, anchors and
facts) is the template. Copy 0 is the real graph unchanged, so every example query keeps its
answers at every size. Each further copy ``k`` is another article of the same shape: every
resource it describes gets its own IRI (``id:minusma`` → ``id:minusma-s7``, ``span:adoption`` →
``span:adoption-s7``), its resolution, meeting and earlier-resolution numbers change, and the
article text changes with them. Replacements keep the same length, so every
``oa:TextPositionSelector`` and ``oa:TextQuoteSelector`` still selects exactly its words in the
copy's own text, whose ``mk:sha256`` is recomputed. A few resources are shared by every
article (the United Nations, the Security Council, the Secretariat, the Secretary-General,
West Africa): hubs, as in a real multi-article graph.

Nothing is held per triple in memory: each copy is one ``str.format`` of a template, written
straight to disk.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from mali_kg import namespaces as ns
from mali_kg import resources

SHARED = frozenset({"united-nations", "unsc", "un-secretariat", "un-secretary-general",
                    "west-africa"})
# Numbers in the article that differ from one synthetic article to the next (4 digits each,
# replaced by 4 digits so that character offsets stay valid).
NUMBERS = {"2690": "res", "9365": "meeting", "2100": "prev"}
_VOCABULARY = ("http://www.w3.org/", "http://purl.org/", "http://xmlns.com/",
               "https://schema.org/", "http://schema.org/", ns.BASE + "ontology")
_NUMBER = re.compile(r"\b(" + "|".join(NUMBERS) + r")\b")
_MK_SHA = ns.BASE + "ontology#sha256"


@dataclass(frozen=True)
class Template:
    """The real graph split into lines every copy repeats and lines it changes."""

    fixed: str  # N-Quads written once (shared resources, their labels…)
    varying: str  # a str.format template for one copy
    varying_count: int  # quads per copy
    text: str  # the article text (copy 0)


def _rename_iri(iri: str) -> str:
    """The template form of an IRI, with a placeholder where the copy's suffix goes."""
    iri = _esc(iri)
    if iri.startswith(ns.ID):
        base, hash_, frag = iri[len(ns.ID):].partition("#")
        if base in SHARED:
            return iri
        return f"{ns.ID}{base}{{ks}}{hash_}{frag}"
    if iri.startswith(_VOCABULARY):
        return iri
    if iri.startswith("http://www.wikidata.org/entity/Q"):
        return iri + "{kd}"
    if iri.startswith("https://sws.geonames.org/"):
        return iri.rstrip("/") + "{kd}/"
    if iri.startswith(("http://", "https://")):
        return iri + ("{ka}" if "?" in iri else "{kq}")
    return iri


def _is_shared(term) -> bool:
    """Whether ``term`` is one of the hubs every article shares."""
    return (isinstance(term, ox.NamedNode) and term.value.startswith(ns.ID)
            and term.value[len(ns.ID):].partition("#")[0] in SHARED)


def _esc(s: str) -> str:
    return s.replace("{", "{{").replace("}", "}}")


def build_template(data: Path | None = None) -> Template:
    """Parse the real graph once and split it into its fixed and varying parts."""
    data = data or resources.data_file()
    text = resources.data_file().with_name("article.txt").read_text(encoding="utf-8")
    graph = f"<{ns.GRAPH_DATA}>"
    fixed, varying = [], []
    for t in ox.parse(path=str(data)):
        parts = []
        hub = _is_shared(t.subject)
        for term in (t.subject, t.predicate, t.object):
            if isinstance(term, ox.NamedNode) and hub and not term.value.startswith(ns.ID):
                # A hub is one resource in every article: its Wikidata and GeoNames
                # identifiers are its own, not one more per copy.
                parts.append("<" + _esc(term.value) + ">")
            elif isinstance(term, ox.NamedNode):
                parts.append("<" + _rename_iri(term.value) + ">")
            elif isinstance(term, ox.Literal) and t.predicate.value == _MK_SHA:
                parts.append('"{sha}"')
            elif isinstance(term, ox.Literal):
                parts.append(_NUMBER.sub(lambda m: "{" + NUMBERS[m.group(1)] + "}",
                                         _esc(str(term))))
            else:
                parts.append(_esc(str(term)))
        line = f"{parts[0]} {parts[1]} {parts[2]} {graph} .\n"
        if "{" in line.replace("{{", "").replace("}}", ""):
            varying.append(line)
        else:
            fixed.append(line.replace("{{", "{").replace("}}", "}"))
    return Template("".join(fixed), "".join(varying), len(varying), text)


def copy_numbers(k: int) -> dict[str, str]:
    """The 4-digit numbers of synthetic article ``k`` (copy 0 keeps the real ones)."""
    if k == 0:
        return {v: n for n, v in NUMBERS.items()}
    return {"res": f"{3000 + k % 7000:04d}", "meeting": f"{1000 + (k * 7) % 9000:04d}",
            "prev": f"{1000 + (k * 13) % 2000:04d}"}


def article_text(template: Template, k: int) -> str:
    numbers = copy_numbers(k)
    return _NUMBER.sub(lambda m: numbers[NUMBERS[m.group(1)]], template.text)


def copies_for(triples: int, template: Template) -> int:
    """How many copies (including the real graph) make about ``triples`` triples."""
    base = template.fixed.count("\n") + template.varying_count
    return max(1, 1 + math.ceil((triples - base) / template.varying_count))


def iter_chunks(template: Template, copies: int) -> Iterator[str]:
    """N-Quads text, one chunk per copy; every quad written is distinct."""
    yield template.fixed
    for k in range(copies):
        text = article_text(template, k)
        sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
        suffixes = ({"ks": "", "kd": "", "kq": "", "ka": ""} if k == 0 else
                    {"ks": f"-s{k}", "kd": f"{k:07d}", "kq": f"?copy={k}", "ka": f"&copy={k}"})
        yield template.varying.format(sha=sha, **suffixes, **copy_numbers(k))


def write_graph(path: Path, *, triples: int, template: Template | None = None) -> int:
    """Write about ``triples`` quads (all in the data graph) to ``path``; return the count."""
    template = template or build_template()
    copies = copies_for(triples, template)
    count = 0
    with open(path, "w", encoding="utf-8") as f:
        for chunk in iter_chunks(template, copies):
            f.write(chunk)
            count += chunk.count("\n")
    return count
