"""The article is kept byte for byte, and every anchor points at the words it quotes."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Namespace
from rdflib.namespace import PROV, RDF, SKOS

from mali_kg import generate, resources, shacl_sparql
from mali_kg import namespaces as ns
from mali_kg.provenance import AnchorError, Article, Span
from mali_kg.validate import validate_graph

OA = Namespace("http://www.w3.org/ns/oa#")
MK = Namespace("https://w3id.org/mali-kg/ontology#")
ARTICLE_SHA256 = "e125d7deccdc32d30ad62806cdea98e503142061f2f06e0e085adbf59bd913ff"
SHARED_SEED = Path(__file__).resolve().parents[2] / "shared" / "seed" / "article.txt"


@pytest.fixture(scope="module")
def data() -> Graph:
    return Graph().parse(resources.data_file(), format="turtle")


@pytest.fixture(scope="module")
def text() -> str:
    return resources.article().read_text(encoding="utf-8")


def test_article_bytes_are_the_seed():
    raw = resources.article().read_bytes()
    assert hashlib.sha256(raw).hexdigest() == ARTICLE_SHA256
    if SHARED_SEED.is_file():  # the source document beside the repository
        assert raw == SHARED_SEED.read_bytes()


def test_graph_records_the_article_text_and_hash(data, text):
    article = resources.article()
    assert str(data.value(generate.ARTICLE, MK.text)) == text
    assert str(data.value(generate.ARTICLE, MK.sha256)) == hashlib.sha256(
        article.read_bytes()).hexdigest()


def test_every_position_selector_covers_its_exact_quote(data, text):
    anchors = list(data.subjects(RDF.type, MK.Anchor))
    assert len(anchors) >= 30
    for anchor in anchors:
        selectors = list(data.objects(anchor, OA.hasSelector))
        quote = next(s for s in selectors if (s, RDF.type, OA.TextQuoteSelector) in data)
        position = next(s for s in selectors if (s, RDF.type, OA.TextPositionSelector) in data)
        start, end = int(data.value(position, OA.start)), int(data.value(position, OA.end))
        exact = str(data.value(quote, OA.exact))
        assert text[start:end] == exact, anchor
        assert text[:start].endswith(str(data.value(quote, OA.prefix))), anchor
        assert text[end:].startswith(str(data.value(quote, OA.suffix))), anchor
        assert exact in str(data.value(anchor, MK.sentence)), anchor


def test_every_anchor_publishes_the_words_its_source_names(data):
    """oa:exact is the quote the source gives for the span (mk:exact), not text read back at
    the computed offsets: so the offsets can be checked against it."""
    source = Dataset()
    source.parse(resources.data_source(), format="trig")
    written = {span: str(words) for span, words in source.subject_objects(MK.exact)}
    assert len(written) >= 30
    published = {}
    for anchor in data.subjects(RDF.type, MK.Anchor):
        [quote] = [s for s in data.objects(anchor, OA.hasSelector)
                   if (s, RDF.type, OA.TextQuoteSelector) in data]
        published[anchor] = str(data.value(quote, OA.exact))
    assert published == written


@pytest.mark.parametrize("shift", [1, -1])
def test_offsets_shifted_at_build_time_are_caught_on_every_anchor(monkeypatch, shift):
    """A build that computes every offset one code point off publishes position selectors
    that no longer hold the exact quote; the shapes flag each anchor (both engines)."""
    locate = Article.locate

    def shifted(self, exact, *, occurrence=None):
        span = locate(self, exact, occurrence=occurrence)
        return Span(span.text, span.start + shift, span.end + shift)

    monkeypatch.setattr(Article, "locate", shifted)
    graph = generate.build_graph(resources.data_source(), resources.article())
    anchors = {ns.compact(str(a)) for a in graph.subjects(RDF.type, MK.Anchor)}
    assert len(anchors) >= 30
    for validate in (shacl_sparql.validate_graph, validate_graph):
        report = validate(graph)
        flagged = {r.focus_node for r in report.violations
                   if r.source_shape == "mksh:AnchorShape"
                   and r.constraint_component == "sh:SPARQLConstraintComponent"
                   and "not the exact quote" in r.message}
        assert flagged == anchors, (validate.__module__, sorted(anchors - flagged))


def test_every_quotation_is_verbatim_in_the_article(data, text):
    quotations = list(data.subject_objects(MK.quotedText))
    assert len(quotations) >= 4
    for statement, words in quotations:
        assert str(words) in text, statement
        assert "«" not in str(words) and "»" not in str(words)


def test_every_fact_is_asserted_and_has_evidence(data):
    facts = list(data.subjects(RDF.type, MK.Fact))
    assert len(facts) >= 100
    for fact in facts:
        triple = (data.value(fact, RDF.subject), data.value(fact, RDF.predicate),
                  data.value(fact, RDF.object))
        assert triple in data, fact
        evidence = (set(data.objects(fact, MK.statedIn))
                    | set(data.objects(fact, PROV.wasDerivedFrom))
                    | set(data.objects(fact, MK.inferredFrom)))
        assert evidence, f"{fact} has no evidence"


def test_inferred_values_say_from_what(data):
    inferred = list(data.subjects(MK.basis, MK.Inferred))
    assert inferred
    for fact in inferred:
        assert list(data.objects(fact, MK.inferredFrom)), fact
        assert data.value(fact, SKOS.note), fact


def test_generated_files_are_up_to_date():
    assert generate.stale_files() == [], "run 'uv run mali-kg build' and commit the result"


def test_locate_refuses_missing_and_ambiguous_quotes(text):
    article = Article(text)
    with pytest.raises(AnchorError, match="not in the article"):
        article.locate("immediate withdrawal of the Blue Helmets")
    with pytest.raises(AnchorError, match="occurs"):
        article.locate("MINUSMA")
    span = article.locate("MINUSMA", occurrence=2)
    assert text[span.start:span.end] == "MINUSMA"


def test_offsets_count_code_points_not_bytes(text):
    span = Article(text).locate("by December 31, 2023»")
    assert span.end - span.start == len("by December 31, 2023»")
    assert len(text.encode("utf-8")) > len(text)  # guillemets and apostrophes are multi-byte
