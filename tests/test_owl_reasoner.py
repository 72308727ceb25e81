"""The ontology in real OWL 2 DL tools: a reasoner, and two OWL 2 DL profile checks.

* HermiT (the OWL 2 DL reasoner Protégé ships) loads ontology/mali-kg.ttl with no error and
  finds no unsatisfiable class; loaded with the data (data/mali-kg.ttl) it finds the whole
  consistent, and a value outside its property's range makes it inconsistent.
* The OWL API's OWL 2 DL profile check finds no violation and leaves no triple unparsed, both
  in the current OWL API and in the one HermiT reads the ontology with.

OWL 2 has no xsd:date, so for the reasoner only the data's xsd:date literals are read as the
xsd:dateTime at the start of the day; the data itself keeps xsd:date, which the shapes enforce.

Nothing is downloaded. HermiT 1.3.8 (with the OWL API 3.4.3 inside it) is the HermiT.jar that the
PyPI package owlready2 bundles (a dev dependency); the OWL API 5 is Debian's libowlapi-java. Two
small Java programs are compiled against them with the machine's JDK at the start of the run. A
missing piece fails the tests with one line saying what to install: these checks never skip.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

import pytest
from rdflib import RDF, XSD, Graph, Literal, Namespace

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY_FILE = ROOT / "ontology" / "mali-kg.ttl"
DATA_FILE = ROOT / "data" / "mali-kg.ttl"
MK = Namespace("https://w3id.org/mali-kg/ontology#")
TIMEOUT = 300  # seconds for one compilation or one run; each takes a few seconds

# Debian's OWL API 5 and the libraries it needs at run time, all under /usr/share/java once
# libowlapi-java is installed (rdf4j-*.jar are added by pattern).
DEBIAN_JAVA = Path("/usr/share/java")
OWLAPI_JARS = [
    "owlapi-distribution",
    "guava",
    "caffeine",
    "commons-io",
    "commons-codec",
    "commons-logging",
    "commons-rdf-api",
    "slf4j-api",
    "slf4j-nop",
    "atinject-jsr330-api",
    "jsr305",
    "hppcrt",
    "xz",
    "jsonld-java",
    "jackson-core",
    "jackson-databind",
    "jackson-annotations",
    "httpclient",
    "httpcore",
]

# Loads each file named on the command line with HermiT's own OWL API, runs that OWL API's
# OWL 2 DL profile check, then HermiT: consistency, and the unsatisfiable classes.
HERMIT_CHECK = """
import java.io.File;
import org.semanticweb.HermiT.Configuration;
import org.semanticweb.HermiT.Reasoner;
import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.model.*;
import org.semanticweb.owlapi.profiles.*;
import org.semanticweb.owlapi.reasoner.InferenceType;

public class HermitCheck {
  public static void main(String[] args) {
    for (String path : args) {
      System.out.println("FILE\\t" + path);
      try {
        OWLOntologyManager manager = OWLManager.createOWLOntologyManager();
        OWLOntology o = manager.loadOntologyFromOntologyDocument(new File(path));
        System.out.println("AXIOMS\\t" + o.getAxiomCount());
        System.out.println("INDIVIDUALS\\t" + o.getIndividualsInSignature().size());
        for (OWLProfileViolation v : new OWL2DLProfile().checkOntology(o).getViolations())
          System.out.println("PROFILE\\t" + v.toString().replace('\\n', ' '));
        Configuration configuration = new Configuration();
        configuration.throwInconsistentOntologyException = false;
        Reasoner reasoner = new Reasoner(configuration, o);
        boolean consistent = reasoner.isConsistent();
        System.out.println("CONSISTENT\\t" + consistent);
        if (consistent) {
          reasoner.precomputeInferences(InferenceType.CLASS_HIERARCHY);
          for (OWLClass c : reasoner.getUnsatisfiableClasses().getEntitiesMinusBottom())
            System.out.println("UNSATISFIABLE\\t" + c.getIRI());
        }
        reasoner.dispose();
      } catch (Exception e) {
        System.out.println("ERROR\\t" + e.getClass().getSimpleName() + ": "
            + String.valueOf(e.getMessage()).replaceAll("\\\\s+", " "));
      }
    }
  }
}
"""

# Loads one file with the OWL API 5 and runs its OWL 2 DL profile check; also lists the triples
# the parser could not turn into axioms.
PROFILE_CHECK = """
import java.io.File;
import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.formats.RDFDocumentFormat;
import org.semanticweb.owlapi.io.FileDocumentSource;
import org.semanticweb.owlapi.model.*;
import org.semanticweb.owlapi.profiles.*;

public class ProfileCheck {
  public static void main(String[] args) throws Exception {
    OWLOntologyManager manager = OWLManager.createOWLOntologyManager();
    OWLOntology o = manager.loadOntologyFromOntologyDocument(
        new FileDocumentSource(new File(args[0])));
    System.out.println("AXIOMS\\t" + o.getAxiomCount());
    for (OWLProfileViolation v : new OWL2DLProfile().checkOntology(o).getViolations())
      System.out.println("PROFILE\\t" + v.toString().replace('\\n', ' '));
    OWLDocumentFormat format = manager.getOntologyFormat(o);
    if (format instanceof RDFDocumentFormat)
      ((RDFDocumentFormat) format).getOntologyLoaderMetaData().ifPresent(
          meta -> meta.getUnparsedTriples().forEach(t -> System.out.println("UNPARSED\\t" + t)));
  }
}
"""


@dataclass
class Outcome:
    """What one program said about one file."""

    axioms: int = 0
    individuals: int = 0
    consistent: bool | None = None
    unsatisfiable: list[str] = field(default_factory=list)
    profile: list[str] = field(default_factory=list)
    unparsed: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def parse_outcomes(stdout: str) -> dict[str, Outcome]:
    outcomes: dict[str, Outcome] = {}
    current = outcomes.setdefault("", Outcome())
    for line in stdout.splitlines():
        key, _, value = line.partition("\t")
        if key == "FILE":
            current = outcomes.setdefault(value, Outcome())
        elif key == "AXIOMS":
            current.axioms = int(value)
        elif key == "INDIVIDUALS":
            current.individuals = int(value)
        elif key == "CONSISTENT":
            current.consistent = value == "true"
        elif key == "UNSATISFIABLE":
            current.unsatisfiable.append(value)
        elif key == "PROFILE":
            current.profile.append(value)
        elif key == "UNPARSED":
            current.unparsed.append(value)
        elif key == "ERROR":
            current.errors.append(value)
    return outcomes


# --- the tools --------------------------------------------------------------------------------


def missing(what: str) -> NoReturn:
    pytest.fail(what, pytrace=False)


def java_tools() -> tuple[str, str]:
    java, javac = shutil.which("java"), shutil.which("javac")
    if not java or not javac:
        missing(
            "A JDK (java and javac) is needed for the OWL reasoner tests: "
            "apt-get install default-jdk-headless"
        )
    return java, javac


def hermit_jar() -> Path:
    spec = importlib.util.find_spec("owlready2")
    jar = Path(spec.origin).parent / "hermit" / "HermiT.jar" if spec and spec.origin else None
    if jar is None or not jar.is_file():
        missing(
            "HermiT is needed for the OWL reasoner tests; it comes with owlready2, "
            "a dev dependency: uv sync"
        )
    return jar


def owlapi_classpath() -> list[Path]:
    jars = [DEBIAN_JAVA / f"{name}.jar" for name in OWLAPI_JARS]
    jars += sorted(p for p in DEBIAN_JAVA.glob("rdf4j-*.jar") if not re.search(r"-\d", p.stem))
    if not all(j.is_file() for j in jars) or len(jars) == len(OWLAPI_JARS):
        missing(
            "The OWL API is needed for the OWL 2 DL profile check: apt-get install libowlapi-java"
        )
    return jars


@dataclass
class Toolchain:
    java: str
    hermit_classpath: str
    profile_classpath: str

    def start_hermit(self, *files: Path) -> subprocess.Popen:
        return self._start(self.hermit_classpath, "HermitCheck", *files)

    def start_profile(self, file: Path) -> subprocess.Popen:
        return self._start(self.profile_classpath, "ProfileCheck", file)

    def _start(self, classpath: str, main: str, *files: Path) -> subprocess.Popen:
        return subprocess.Popen(
            [self.java, "-cp", classpath, main, *map(str, files)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )


def finish(process: subprocess.Popen, what: str) -> dict[str, Outcome]:
    try:
        out, err = process.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        pytest.fail(f"{what} ran for more than {TIMEOUT} s", pytrace=False)
    assert process.returncode == 0, f"{what} failed ({process.returncode}):\n{out}\n{err}"
    return parse_outcomes(out)


@pytest.fixture(scope="module")
def toolchain(tmp_path_factory: pytest.TempPathFactory) -> Toolchain:
    java, javac = java_tools()
    hermit = hermit_jar()
    owlapi = owlapi_classpath()
    classes = tmp_path_factory.mktemp("owl-classes")
    hermit_classpath = [hermit, classes / "HermitCheck"]
    profile_classpath = [*owlapi, classes / "ProfileCheck"]
    builds = [  # both at once: javac takes a few seconds to start
        start_javac(javac, "HermitCheck", HERMIT_CHECK, hermit_classpath),
        start_javac(javac, "ProfileCheck", PROFILE_CHECK, profile_classpath),
    ]
    for name, build in builds:
        output, _ = build.communicate(timeout=TIMEOUT)
        assert build.returncode == 0, f"javac {name}.java failed:\n{output}"
    return Toolchain(java, as_classpath(hermit_classpath), as_classpath(profile_classpath))


def as_classpath(entries: list[Path]) -> str:
    return ":".join(map(str, entries))


def start_javac(
    javac: str, name: str, source: str, classpath: list[Path]
) -> tuple[str, subprocess.Popen]:
    """Compile ``source`` (class ``name``) into the last folder of ``classpath``."""
    out = classpath[-1]
    out.mkdir()
    (out / f"{name}.java").write_text(source, encoding="utf-8")
    command = [javac, "-nowarn", "-cp", as_classpath(classpath[:-1]), "-d", str(out)]
    process = subprocess.Popen(
        [*command, str(out / f"{name}.java")],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    return name, process


# --- the files the reasoner reads -------------------------------------------------------------


def for_the_reasoner(graph: Graph) -> Graph:
    """The graph with each xsd:date literal read as the xsd:dateTime at the start of its day.

    OWL 2 has no xsd:date (it is not in the OWL 2 datatype map), so HermiT rejects it; the
    published data keeps xsd:date, and the shapes check it.
    """
    out = Graph()
    for s, p, o in graph:
        if isinstance(o, Literal) and o.datatype == XSD.date:
            o = Literal(f"{o}T00:00:00", datatype=XSD.dateTime)
        out.add((s, p, o))
    return out


@pytest.fixture(scope="module")
def data_graph() -> Graph:
    graph = Graph().parse(DATA_FILE, format="turtle")
    assert len(graph) > 1000, f"{DATA_FILE} parsed to {len(graph)} triples"
    return graph


@pytest.fixture(scope="module")
def reasoner_files(tmp_path_factory: pytest.TempPathFactory, data_graph: Graph) -> dict:
    folder = tmp_path_factory.mktemp("owl-input")
    ontology = Graph().parse(ONTOLOGY_FILE, format="turtle")
    merged = for_the_reasoner(ontology + data_graph)
    dates = sum(1 for o in data_graph.objects() if getattr(o, "datatype", None) == XSD.date)
    assert dates >= 10, "expected the data's dates to be converted for the reasoner"
    with_data = folder / "ontology-and-data.nt"
    merged.serialize(with_data, format="nt", encoding="utf-8")

    # A control: one paragraph number below zero, outside mk:paragraph's xsd:nonNegativeInteger.
    anchor, value = next(iter(merged.subject_objects(MK.paragraph)))
    assert value.value >= 0
    broken = Graph()
    broken += merged
    broken.set((anchor, MK.paragraph, Literal(-1, datatype=XSD.integer)))
    out_of_range = folder / "out-of-range.nt"
    broken.serialize(out_of_range, format="nt", encoding="utf-8")
    return {"ontology": ONTOLOGY_FILE, "with data": with_data, "out of range": out_of_range}


@pytest.fixture(scope="module")
def outcomes(toolchain: Toolchain, reasoner_files: dict) -> dict[str, Outcome]:
    """Every run at once: HermiT on the three files in one JVM, the OWL API 5 in another."""
    hermit = toolchain.start_hermit(*reasoner_files.values())
    profile = toolchain.start_profile(ONTOLOGY_FILE)
    by_file = finish(hermit, "HermiT")
    owlapi5 = finish(profile, "The OWL API profile check")[""]
    results = {name: by_file[str(path)] for name, path in reasoner_files.items()}
    results["owlapi5"] = owlapi5
    return results


def no_error(outcome: Outcome, what: str) -> None:
    assert not outcome.errors, f"HermiT could not load {what}: " + "; ".join(outcome.errors)


# --- the tests --------------------------------------------------------------------------------


def test_hermit_loads_the_ontology_with_no_unsatisfiable_class(outcomes: dict) -> None:
    ontology = outcomes["ontology"]
    no_error(ontology, "the ontology")
    assert ontology.axioms > 800, f"HermiT read only {ontology.axioms} axioms"
    assert ontology.consistent is True, "HermiT finds the ontology inconsistent"
    assert not ontology.unsatisfiable, f"unsatisfiable classes: {ontology.unsatisfiable}"


def test_hermit_finds_the_data_consistent_with_the_ontology(
    outcomes: dict, data_graph: Graph
) -> None:
    with_data = outcomes["with data"]
    no_error(with_data, "the ontology with the data")
    typed = set(data_graph.subjects(RDF.type, None))
    assert with_data.individuals >= len(typed), (
        f"HermiT saw {with_data.individuals} individuals; the data types {len(typed)} resources"
    )
    assert with_data.consistent is True, "HermiT finds the data inconsistent with the ontology"


def test_hermit_finds_a_value_out_of_range_inconsistent(outcomes: dict) -> None:
    out_of_range = outcomes["out of range"]
    no_error(out_of_range, "the control with a negative mk:paragraph")
    assert out_of_range.consistent is False, (
        "HermiT accepts mk:paragraph -1 (range xsd:nonNegativeInteger): the consistency check "
        "is not checking the data"
    )


def test_owl2_dl_profile_in_the_owl_api(outcomes: dict) -> None:
    owlapi5 = outcomes["owlapi5"]
    assert owlapi5.axioms > 800, f"the OWL API read only {owlapi5.axioms} axioms"
    assert not owlapi5.profile, (
        f"{len(owlapi5.profile)} OWL 2 DL profile violations:\n" + "\n".join(owlapi5.profile)
    )
    assert not owlapi5.unparsed, (
        f"{len(owlapi5.unparsed)} triples the OWL API could not read as OWL:\n"
        + "\n".join(owlapi5.unparsed)
    )


def test_owl2_dl_profile_as_hermit_reads_the_ontology(outcomes: dict) -> None:
    ontology = outcomes["ontology"]
    no_error(ontology, "the ontology")
    assert not ontology.profile, (
        f"{len(ontology.profile)} OWL 2 DL profile violations in the ontology as HermiT reads "
        "it:\n" + "\n".join(ontology.profile)
    )
