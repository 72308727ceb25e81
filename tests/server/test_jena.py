"""Apache Jena's `rsparql` (Debian's `libapache-jena-java`) against a real server: GET,
POST, the example queries long enough that Jena POSTs them (with Java's HTTP client, which
offers `Upgrade: h2c`), and a CONSTRUCT read back as Turtle; answers equal the endpoint's.

Debian's package installs no launcher, and its shaded Xerces (``xerces.*`` inside
``jena-core.jar``) lacks its message bundles, without which Jena dies at start ("internal
error" in ``XSSimpleTypeDecl.applyFacets1``): the fixture copies the bundles Jena ships under
``org/apache/jena/ext/xerces/`` to the shaded path, and builds the class path from the jars
with one SLF4J binding.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import httpx
import pytest
from rdflib import Graph, URIRef

from .helpers import CONSTRUCT_QUERY, MINUSMA

JAVA_LIBS = Path("/usr/share/java")
EXAMPLES = Path(__file__).resolve().parents[2] / "queries" / "examples"
# SLF4J bindings and bridges that clash with slf4j-nop (one binding only).
_CLASHING = re.compile(r"log4j-over-slf4j|slf4j-(log4j12|jcl|jdk14|simple|migrator)|"
                       r"maven3-slf4j-provider|jcl-over-slf4j")


@pytest.fixture(scope="module")
def rsparql(tmp_path_factory):
    java = shutil.which("java")
    core = JAVA_LIBS / "jena-core.jar"
    assert java and core.exists(), "Apache Jena is needed for this test: install Debian's " \
        "libapache-jena-java (and a JDK)."
    bundles = tmp_path_factory.mktemp("jena-bundles")
    with zipfile.ZipFile(core) as jar:
        for name in jar.namelist():
            if name.startswith("org/apache/jena/ext/xerces/") and name.endswith(".properties"):
                target = bundles / name.removeprefix("org/apache/jena/ext/")
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(jar.read(name))
    jars = [str(p) for p in sorted(JAVA_LIBS.glob("*.jar"))
            if not re.search(r"-\d[\d.]*\.jar$", p.name) and not _CLASHING.search(p.name)]
    classpath = ":".join([str(bundles), *jars])

    queries = tmp_path_factory.mktemp("jena-queries")

    def run(url: str, query: str, *flags: str) -> str:
        path = queries / f"{abs(hash(query))}.rq"
        path.write_text(query, encoding="utf-8")
        out = subprocess.run([java, "-cp", classpath, "arq.rsparql", "--service", url,
                              "--query", str(path), *flags],
                             capture_output=True, text=True, timeout=120)
        assert out.returncode == 0, out.stderr[-2000:]
        return out.stdout

    return run


def rows(text: str) -> list[tuple[str, ...]]:
    return sorted(tuple(r) for r in csv.reader(io.StringIO(text)))


def endpoint_csv(server_url: str, query: str) -> list[tuple[str, ...]]:
    r = httpx.post(server_url + "/sparql", data={"query": query},
                   headers={"Accept": "text/csv"}, timeout=30)
    assert r.status_code == 200, r.text
    return rows(r.text)


@pytest.mark.parametrize("name,flags", [
    ("01-resolution-adoption-vote", ()), ("01-resolution-adoption-vote", ("--post",)),
    ("03-withdrawal-period", ()), ("10-quotation-provenance", ()),
])
def test_rsparql_select(rsparql, server_url, name, flags):
    query = (EXAMPLES / f"{name}.rq").read_text(encoding="utf-8")
    got = rows(rsparql(server_url + "/sparql", query, "--results=csv", *flags))
    assert got and got == endpoint_csv(server_url, query)


def test_rsparql_construct(rsparql, server_url):
    turtle = rsparql(server_url + "/sparql", CONSTRUCT_QUERY, "--results=ttl", "--post")
    graph = Graph().parse(data=turtle, format="turtle")
    assert (URIRef(MINUSMA), None, None) in graph
