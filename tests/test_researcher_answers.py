"""The answers a researcher expects from the graph, asserted on their own.

The golden files under ``queries/examples/`` pin every row an example query returns; a refreshed
golden can pin a wrong answer. These tests say, independently of them, what the answers must
be: the vote and date of the adoption, the conflicting claims, the withdrawal period, what Mali
asked for (not the Council's period), every quotation with its words, anchor and speaker, the
dates and venues of the statements, and where each primary-source fact comes from.
"""

from __future__ import annotations

import re
from functools import cache

import pyoxigraph as ox
import pytest

from mali_kg import namespaces as ns
from mali_kg import queries, resources, store

ID = ns.ID
SPAN = ns.ID + "span/"
SC15341 = "https://press.un.org/en/2023/sc15341.doc.htm"
SGSM21858 = "https://press.un.org/en/2023/sgsm21858.doc.htm"
SC14953 = "https://press.un.org/en/2022/sc14953.doc.htm"
SCR = "https://securitycouncilreport.org/monthly-forecast/2023-08/mali-24.php"
MINUSMA_MANDATE = "https://minusma.unmissions.org/mandat-0"
CHARTER_V = "https://un.org/en/about-us/un-charter/chapter-5"
MANDE_INFOS = "https://mandeinfos.com/2023/06/30/"


@pytest.fixture(scope="module")
def graph() -> ox.Store:
    return store.open_store()


def rows(graph: ox.Store, query: str) -> list[dict[str, str]]:
    """Each solution as {variable: value}, IRIs and literals alike as their string value."""
    result = store.run_query(graph, ns.sparql_prologue() + query)
    names = [v.value for v in result.variables]
    return [{n: row[n].value for n in names if row[n] is not None} for row in result]


@cache
def example(name: str) -> str:
    [query] = [q for q in queries.example_queries() if q.name.startswith(name)]
    return query.text


def fact(graph: ox.Store, s: str, p: str, o: str) -> dict[str, set[str]]:
    """The evidence of the fact reifying (s p o): its bases, spans, sources, inference bases."""
    found = rows(graph, f"""
        SELECT ?basis ?span ?source ?from WHERE {{
          ?f a mk:Fact ; rdf:subject {s} ; rdf:predicate {p} ; rdf:object {o} ; mk:basis ?basis .
          OPTIONAL {{ ?f mk:statedIn ?span }}
          OPTIONAL {{ ?f prov:wasDerivedFrom ?source }}
          OPTIONAL {{ ?f mk:inferredFrom ?from }}
        }}""")
    assert found, f"no fact reifies {s} {p} {o}"
    return {key: {r[key] for r in found if key in r} for key in ("basis", "span", "source", "from")}


# --- the example queries' answers ---------------------------------------------------------------

def test_01_resolution_2690_was_adopted_unanimously_on_30_june_2023(graph):
    [row] = rows(graph, example("01"))
    assert row["resolution"] == ID + "resolution-2690"
    assert row["symbol"] == "S/RES/2690 (2023)"
    assert row["body"] == "UN Security Council"
    assert row["unanimous"] == "true"
    assert row["date"] == "2023-06-30" and row["dateBasis"] == ns.MK + "Inferred"
    assert (row["meeting"], row["chapter"]) == ("9365", "VII")


def test_the_tally_is_fifteen_in_favour_inferred_from_unanimously_and_the_charter(graph):
    [row] = rows(graph, "SELECT ?n WHERE { id:adoption-of-resolution-2690 mk:votesInFavour ?n }")
    assert row["n"] == "15"
    evidence = fact(graph, "id:adoption-of-resolution-2690", "mk:votesInFavour", "15")
    assert evidence["basis"] == {ns.MK + "Inferred"}
    assert evidence["from"] == {SPAN + "adoption", CHARTER_V}


def test_02_three_claims_on_the_mandate_end_and_two_conflicts(graph):
    found = rows(graph, example("02"))
    values = {r["claim"].removeprefix(ID): r["value"] for r in found}
    assert values == {"claim-mandate-end-article": "2023-07-01",
                      "claim-mandate-end-konfourou": "2023-06-30",
                      "claim-mandate-end-un": "2023-06-30"}
    conflicts = {frozenset((r["claim"], r["conflictsWith"])) for r in found if "conflictsWith" in r}
    assert conflicts == {frozenset((ID + "claim-mandate-end-article", ID + other))
                         for other in ("claim-mandate-end-konfourou", "claim-mandate-end-un")}
    words = {r["claim"].removeprefix(ID): r.get("words") for r in found}
    assert words["claim-mandate-end-article"] == "as of July 1"
    assert words["claim-mandate-end-konfourou"] == "as of June 30, 2023"


def test_conflicts_are_published_both_ways(graph):
    links = {(r["a"], r["b"]) for r in rows(graph, "SELECT ?a ?b WHERE { ?a mk:conflictsWith ?b }")}
    assert len(links) == 4
    assert all((b, a) in links for a, b in links)


def test_03_the_council_s_withdrawal_runs_from_1_july_to_31_december_2023(graph):
    found = {r["what"].removeprefix(ns.MK): r["date"] for r in rows(graph, example("03"))}
    assert found == {"startDate": "2023-07-01", "endDate": "2023-12-31", "deadline": "2023-12-31"}


def test_what_mali_requested_is_not_the_council_s_withdrawal(graph):
    [row] = rows(graph, """
        SELECT ?asked ?label WHERE {
          ?request a mk:Request ; mk:requestedBy id:government-of-mali ; mk:requests ?asked .
          ?asked rdfs:label ?label FILTER(LANG(?label) = "en") }""")
    assert row["asked"] == ID + "requested-withdrawal"
    assert row["asked"] != ID + "withdrawal-of-minusma"
    dates = rows(graph, """
        SELECT ?date WHERE {
          ?request mk:requestedBy id:government-of-mali ; mk:requests ?asked .
          ?asked (mk:during/(mk:startDate|mk:endDate))|mk:deadline ?date }""")
    assert dates == [], "the request must not lead to the Council's period"
    words = rows(graph, """
        SELECT ?printed ?official WHERE { id:request-for-withdrawal mk:wordsAsPrinted ?printed ;
          mk:officialWording ?official FILTER(LANG(?official) = "en") }""")
    assert words == [{"printed": "immediate withdrawal", "official": "withdrawal without delay"}]
    decided = rows(graph, """
        SELECT ?w ?start ?end WHERE { id:resolution-2690 mk:decides ?w .
          ?w mk:during [ mk:startDate ?start ; mk:endDate ?end ] }""")
    assert decided == [{"w": ID + "withdrawal-of-minusma", "start": "2023-07-01",
                        "end": "2023-12-31"}]


# --- quotations -----------------------------------------------------------------------------------

# The first words of each pair of guillemets → who the article says spoke them (None: nobody).
SPEAKERS = {
    "by December 31": None,
    "the government of the Republic of Mali": "issa-konfourou",
    "immediate withdrawal": "abdoulaye-diop",
    "MINUSMA seems": "abdoulaye-diop",
    "While acknowledging": "issa-konfourou",
    "The Government of Mali notes": "issa-konfourou",
}


def test_every_pair_of_guillemets_is_a_quotation_with_its_words_anchor_and_speaker(graph):
    text = resources.article().read_text(encoding="utf-8")
    pairs = list(re.finditer(r"«\s*([^»]*?)\s*»", text))
    assert len(pairs) == len(SPEAKERS) == 6
    quotations = rows(graph, """
        SELECT ?q ?words ?start ?end ?speaker ?unattributed WHERE {
          ?q mk:quotedText ?words .
          ?f rdf:subject ?q ; rdf:predicate mk:quotedText ; mk:basis mk:StatedInArticle ;
             mk:statedIn ?span .
          ?span oa:hasSelector ?p . ?p a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end .
          OPTIONAL { ?q mk:speaker ?speaker }
          OPTIONAL { ?q mk:unattributed ?unattributed } }""")
    assert len(quotations) == 6
    by_start = {int(q["start"]): q for q in quotations}
    for m in pairs:
        words = m.group(1)
        q = by_start.get(m.start(1))
        assert q, f"no quotation anchored at «{words[:40]}»"
        assert q["words"] == words and int(q["end"]) == m.end(1)
        [speaker] = [s for first, s in SPEAKERS.items() if words.startswith(first)]
        if speaker is None:
            assert "speaker" not in q and q["unattributed"] == "true", words
        else:
            assert q.get("speaker") == ID + speaker and "unattributed" not in q, words


def test_the_immediate_withdrawal_is_a_paraphrase_quoted_from_mali_s_request(graph):
    [row] = rows(graph, """
        SELECT ?statement ?paraphrase ?behalf ?date WHERE {
          id:request-for-withdrawal mk:expressedIn ?statement .
          ?statement mk:quotedText "immediate withdrawal"@en ; mk:isParaphrase ?paraphrase ;
                     mk:onBehalfOf ?behalf ; mk:date ?date }""")
    assert row == {"statement": ID + "statement-diop-immediate-withdrawal", "paraphrase": "true",
                   "behalf": ID + "government-of-mali", "date": "2023-06-16"}
    evidence = fact(graph, "id:statement-diop-immediate-withdrawal", "mk:isParaphrase", "true")
    assert evidence["basis"] == {ns.MK + "Inferred"} and SCR in evidence["from"]


def test_konfourou_s_three_statements_are_dated_30_june_2023(graph):
    found = rows(graph, """
        SELECT ?s ?date ?basis WHERE { ?s a mk:Statement ; mk:speaker id:issa-konfourou ;
          mk:date ?date ; mk:dateBasis ?basis }""")
    assert {r["s"].removeprefix(ID) for r in found} == {
        "statement-konfourou-takes-note", "statement-konfourou-appreciation",
        "statement-konfourou-timeframe"}
    assert {(r["date"], r["basis"]) for r in found} == {("2023-06-30", ns.MK + "Inferred")}
    evidence = fact(graph, "id:statement-konfourou-appreciation", "mk:date",
                    '"2023-06-30"^^xsd:date')
    assert {SC15341, MANDE_INFOS, SPAN + "konfourou-declared"} <= evidence["from"]


def test_diop_s_words_are_dated_and_placed_by_his_address_to_the_council(graph):
    [row] = rows(graph, """
        SELECT ?date ?basis ?before ?meeting WHERE { id:statement-diop-part-of-the-problem
          mk:date ?date ; mk:dateBasis ?basis ; mk:deliveredBefore ?before ;
          mk:meetingNumber ?meeting }""")
    assert row == {"date": "2023-06-16", "basis": ns.MK + "Inferred", "before": ID + "unsc",
                   "meeting": "9350"}
    for p, o in (("mk:date", '"2023-06-16"^^xsd:date'), ("mk:deliveredBefore", "id:unsc"),
                 ("mk:meetingNumber", "9350")):
        evidence = fact(graph, "id:statement-diop-part-of-the-problem", p, o)
        assert evidence["basis"] == {ns.MK + "Inferred"}, p
        assert {SCR, MINUSMA_MANDATE, SPAN + "according-to-diop"} <= evidence["from"], p


# --- stated means stated by the span ------------------------------------------------------------

def test_the_appreciation_s_capacity_is_inferred_not_stated(graph):
    evidence = fact(graph, "id:statement-konfourou-appreciation", "mk:inCapacityOf",
                    "id:permanent-representative-of-mali")
    assert evidence["basis"] == {ns.MK + "Inferred"} and not evidence["span"]
    assert evidence["from"] == {SPAN + "konfourou-declared", SPAN + "konfourou-post"}


# Predicates whose object a stating span must name: a post held or spoken for, the person a
# request went through, whose claim it is (unless the article's own), whose reason it is, what a
# claim is about.
NAMED_OBJECTS = ("mk:inCapacityOf", "mk:holds", "mk:madeThrough", "mk:accordingTo",
                 "mk:claimSubject")


def test_stated_facts_name_who_and_what_they_are_about_in_their_span(graph):
    unnamed = rows(graph, f"""
        SELECT ?f ?o ?span WHERE {{
          ?f mk:basis mk:StatedInArticle ; rdf:predicate ?p ; rdf:object ?o ; mk:statedIn ?span .
          FILTER (?p IN ({", ".join(NAMED_OBJECTS)})
                  || (?p = mk:heldBy && EXISTS {{ ?o a mk:Person }}))
          FILTER (isIRI(?o) && STRSTARTS(STR(?o), "{ID}") && ?o != <{ID}article>)
          FILTER NOT EXISTS {{ ?span mk:mentions ?o }} }}""")
    assert not unnamed, unnamed
    checked = rows(graph, f"""
        SELECT (COUNT(*) AS ?n) WHERE {{ ?f mk:basis mk:StatedInArticle ; rdf:predicate ?p .
          FILTER (?p IN ({", ".join(NAMED_OBJECTS)})) }}""")
    assert int(checked[0]["n"]) >= 8


def test_the_deadline_and_the_byline_are_read_not_stated(graph):
    deadline = fact(graph, "id:withdrawal-of-minusma", "mk:deadline", '"2023-12-31"^^xsd:date')
    assert deadline["basis"] == {ns.MK + "Inferred"}
    assert {SPAN + "leave-by", SC15341, SGSM21858} <= deadline["from"]
    byline = fact(graph, "id:article", "mk:author", "id:pedro-okalamar")
    assert byline["basis"] == {ns.MK + "Inferred"} and byline["from"] == {SPAN + "author"}


# --- mentions -----------------------------------------------------------------------------------

def test_the_title_mentions_mali_and_minusma(graph):
    found = {r["e"] for r in rows(graph, f"SELECT ?e WHERE {{ <{SPAN}title> mk:mentions ?e }}")}
    assert found == {ID + "mali", ID + "minusma"}


def test_every_mention_is_named_in_its_span_and_bamako_means_the_government(graph):
    found = rows(graph, """
        SELECT ?span ?e ?exact WHERE { ?span mk:mentions ?e ;
          oa:hasSelector [ a oa:TextQuoteSelector ; oa:exact ?exact ] }""")
    assert len(found) >= 50
    names = {}
    for r in rows(graph, """SELECT ?e ?name WHERE { ?e rdfs:label|skos:altLabel|mk:acronym
                            |mk:metonym/rdfs:label ?name }"""):
        names.setdefault(r["e"], set()).add(r["name"])
    for r in found:
        assert any(n in r["exact"] for n in names[r["e"]]), r
    request = {r["e"] for r in rows(graph, f"SELECT ?e WHERE {{ <{SPAN}request> mk:mentions ?e }}")}
    assert ID + "government-of-mali" in request and ID + "bamako" not in request


# --- primary-source context ---------------------------------------------------------------------

def test_the_mandate_ended_was_given_by_resolution_2640(graph):
    [row] = rows(graph, """
        SELECT ?r ?symbol WHERE { id:resolution-2690 mk:terminatesMandateUnder ?r .
          ?r mk:symbol ?symbol ; mk:resolutionNumber 2640 }""")
    assert row == {"r": ID + "resolution-2640", "symbol": "S/RES/2640 (2022)"}
    evidence = fact(graph, "id:resolution-2690", "mk:terminatesMandateUnder",
                    "id:resolution-2640")
    assert evidence["basis"] == {ns.MK + "FromPrimarySource"}
    assert evidence["source"] == {SC14953}


def test_liquidation_from_1_january_2024(graph):
    [row] = rows(graph, """
        SELECT ?l ?start WHERE { id:resolution-2690 mk:decides ?l .
          ?l mk:liquidationOf id:minusma ; mk:during/mk:startDate ?start }""")
    assert row == {"l": ID + "liquidation-of-minusma", "start": "2024-01-01"}
    evidence = fact(graph, "id:liquidation-period", "mk:startDate", '"2024-01-01"^^xsd:date')
    assert evidence["basis"] == {ns.MK + "FromPrimarySource"}
    assert evidence["source"] == {SC15341, SGSM21858}


def test_the_letter_s_2023_463_is_a_resource_cited_by_resolution_2690(graph):
    [row] = rows(graph, """
        SELECT ?letter ?symbol ?from WHERE { id:resolution-2690 mk:cites ?letter .
          ?letter a mk:Letter ; mk:symbol ?symbol ; mk:issuedBy ?from }""")
    assert row == {"letter": ID + "letter-s-2023-463", "symbol": "S/2023/463",
                   "from": ID + "government-of-mali"}
    evidence = fact(graph, "id:letter-s-2023-463", "mk:symbol", '"S/2023/463"')
    assert evidence["basis"] == {ns.MK + "FromPrimarySource"}
    assert evidence["source"] == {SCR, MINUSMA_MANDATE}
