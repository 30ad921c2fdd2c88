"""The CSL processor test suite, run through the citation stage's engine.

    python bench/csl_suite.py [--plain] [--jobs N] [--timeout S] [--suite DIR] [FIXTURE ...]
    python bench/csl_suite.py --json FIXTURE ...
    python bench/csl_suite.py --list-failures [--plain]
    python bench/csl_suite.py --check [--suite DIR] [--known-failures FILE]   (make csl-suite)

The suite (the CSL project's ``processor-tests/humans``, one ``.txt`` fixture
a test) lives beside the checkout in ``../shared/csl-test-suite``; nothing in
``pipeline/`` knows a fixture. Each fixture is read as citeproc-py's own runner
(``tests/citeproc-test.py``) reads it, with the same regular expression for
its sections (MODE, RESULT, CSL, INPUT, CITATION-ITEMS, CITATIONS,
BIBENTRIES, BIBSECTION, ABBREVIATIONS), and rendered as that runner renders
it:

- the citations are CITATION-ITEMS (one citation a list), else CITATIONS,
  else one citation of the last BIBENTRIES list, else one citation of every
  INPUT item, in the bibliography's order (citeproc-js's runner cites the
  items of its registry, which it keeps sorted as the bibliography);
- CITATIONS are read as citeproc-js's runner reads them (citeproc-py's runner
  took each entry as one more citation at the end): each entry is a call of
  ``processCitationCluster(citation, citationsPre, citationsPost)``, which
  places the citation between the ones listed (by ``citationID``, with their
  note numbers now), so a call may insert, re-edit or drop citations. The
  document after the last call is rendered whole, as a leaflet's citations
  are, and so is the one before it: each citation's line is written
  ``>>[i] `` if the last call placed it, changed its text, its works' citation
  numbers or its note (where the style prints them), else ``..[i] ``;
  an item without ``id`` gets its index; one without ``type`` has an empty
  type, none of the type tests true, as citeproc-js leaves it untyped (a book
  for ``--plain``, as citeproc-py's runner makes it);
- a citation mode fixture prints one line a citation; a bibliography mode
  fixture prints ``<div class="csl-bib-body">``, one
  ``  <div class="csl-entry">...</div>`` line an entry, and ``</div>``; an entry
  with no printed form is left out there, as citeproc-js leaves it out (the
  leaflet keeps it, the target of its citations' links);
- the output, split into lines, is compared with RESULT's lines, ``&amp;``
  read as the suite's ``&#38;``.

Left out, as citeproc-py's runner leaves them out: the citeproc-js specifics,
bibliography headers (MODE ``bibliography-header``), BIBSECTION (selecting
entries by field) and raw dates (LEFT_OUT below). Raw-date fixtures count in
no total; the other two count in the total and never pass, as in that
runner.

What is measured, by default, is what a leaflet gets: the citeproc-py that
the build installs, with the project's rules, through
``pipeline.citations.engine``: ``load_csl`` (the language is the style's
``default-locale``, en-US without one, as ``bench/citations.py`` chooses it),
``CitationEngine`` (its rules installed, its reference preparation
``prepared_references``), ``register`` (cited works in order of first
citation), ``render_citation`` (citeproc-py's rendering, the string-level
finishing, then pandoc inlines) and ``bibliography_blocks``. The inlines are
written back as the suite's HTML (``<i>``, ``<b>``, ``<sup>``, ``<sub>``, small
caps as ``<span style="font-variant:small-caps;">``, ``&``, ``<``, ``>`` as
``&#38;``, ``&#60;``, ``&#62;``; with ``second-field-align`` the entry's two
parts as the suite's ``csl-left-margin`` and ``csl-right-inline`` divs).

The least adaptation where the engine's API does not fit a fixture:

- the engine reads pandoc's ``Cite`` elements; a fixture's citation items
  are CSL-JSON, so they become citeproc-py ``CitationItem``s as citeproc-py's
  runner makes them (locator and label, prefix, suffix, the rest as options)
  instead of going through ``engine.citation_item``, which parses pandoc's
  ``[@key, p. 33]`` syntax; every citation is in pandoc's normal mode;
- the note numbers of CITATIONS are set on the citations as the runner sets
  them (citeproc-py reads them for positions); the footnote placement of
  note styles (``notes.as_footnotes``: capitalising, moving punctuation) is
  pandoc's document-level behaviour and is not applied;
- the ids of INPUT and of citation items are made strings (pandoc's keys
  are), and the CSL text is written to a file, which is what ``load_csl`` reads.

``--plain`` runs citeproc-py without the project's rules, as its own runner
does (in fresh worker processes: the rules patch citeproc-py's classes when
installed). Each fixture runs in a worker process with a time limit; a hang,
an exception or a dead worker is a "crash", never a stop.

The known failures, one line a fixture with why it fails, are in
``bench/csl-suite-known-failures.txt``. ``--check`` (``make csl-suite SUITE=DIR``, run by
``.ci/run`` when the suite is beside the checkout) is the regression gate: after the
table it exits 1 on any other failing fixture, on any listed fixture that passes and on
any listed fixture the suite does not have. It is not part of ``make test``: the suite
is not in this repository, and a fresh clone's tests need nothing beside it.
"""
from __future__ import annotations

import argparse
import io
import json
import multiprocessing
import multiprocessing.connection
import os
import re
import sys
import tempfile
import time
import traceback
import warnings
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass
from functools import reduce
from html.parser import HTMLParser
from pathlib import Path

BENCH = Path(__file__).resolve().parent
PROJECT = BENCH.parent
if str(PROJECT) not in sys.path:
    sys.path.insert(0, str(PROJECT))

SUITE = PROJECT.parent / "shared" / "csl-test-suite"
KNOWN_FAILURES = BENCH / "csl-suite-known-failures.txt"
TIMEOUT_SECONDS = 10.0

# citeproc-py's runner ignores these results: they test citeproc-js's raw
# (unparsed) date strings, not CSL. They count in no total.
LEFT_OUT = {
    "date_Accessed": "raw date",
    "date_LopsidedDataYearSuffixCollapse": "raw date",
    "date_SeasonRange1": "raw date",
    "date_SeasonRange2": "raw date",
    "date_SeasonRange3": "raw date",
    "date_String": "raw date",
}

SECTIONS = ("MODE", "CSL", "RESULT", "INPUT", "CITATION-ITEMS", "CITATIONS", "BIBENTRIES",
            "BIBSECTION", "ABBREVIATIONS")
JSON_SECTIONS = {"INPUT", "CITATION-ITEMS", "CITATIONS", "BIBENTRIES", "BIBSECTION", "ABBREVIATIONS"}
# The test suite's own reader (processor.py, CslTest.extract).
SECTION = "(?sm)^(.*>>=[^\n]*%s[^\n]+)(.*)(\n<<=.*%s.*)"

BIB_PREFIX = '<div class="csl-bib-body">'
BIB_SUFFIX = "</div>"
ENTRY_PREFIX = '  <div class="csl-entry">'
ENTRY_SUFFIX = "</div>"


# --- reading a fixture ---------------------------------------------------------------------------

@dataclass
class Fixture:
    name: str
    mode: str
    csl: str
    result: str
    input: list
    citation_items: list | None
    citations: list | None
    bibentries: list | None
    bibsection: object | None

    @property
    def category(self) -> str:
        return self.name.split("_", 1)[0]

    @property
    def expected(self) -> list[str]:
        return self.result.splitlines()


def read_fixture(path: Path) -> Fixture:
    raw = path.read_bytes().decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
    data: dict = {}
    for tag in SECTIONS:
        match = re.match(SECTION % (tag, tag), raw)
        if match is None:
            if tag in ("MODE", "CSL", "RESULT", "INPUT"):
                raise ValueError(f"{path}: no {tag} section")
            data[tag] = None
            continue
        text = match.group(2).strip()
        data[tag] = json.loads(text) if tag in JSON_SECTIONS else text
    return Fixture(path.stem, data["MODE"], data["CSL"], data["RESULT"], data["INPUT"],
                   data["CITATION-ITEMS"] or None, data["CITATIONS"] or None,
                   data["BIBENTRIES"] or None, data["BIBSECTION"] or None)


def left_out(fixture: Fixture) -> str | None:
    """Why citeproc-py's runner does not run the fixture, or None."""
    if fixture.name in LEFT_OUT:
        return LEFT_OUT[fixture.name]
    if fixture.mode == "bibliography-header":
        return "bibliography header (citeproc-js)"
    if fixture.bibsection:
        return "BIBSECTION (citeproc-js)"
    return None


def fixture_paths(suite: Path, names: list[str] | None = None) -> list[Path]:
    if not suite.is_dir():
        raise FileNotFoundError(f"the CSL test suite is not at {suite}: give its folder (the CSL "
                                "project's processor-tests/humans), e.g. make csl-suite SUITE=<folder>")
    if not names:
        return sorted(suite.glob("*_*.txt"))
    paths = []
    for name in names:
        path = suite / (name if name.endswith(".txt") else f"{name}.txt")
        if not path.is_file():
            raise FileNotFoundError(f"no fixture '{name}' in {suite}")
        paths.append(path)
    return paths


# --- citations as citeproc-py's runner builds them -------------------------------------------------

def references(fixture: Fixture, string_ids: bool, untyped: str) -> list[dict]:
    """INPUT's items; of two with the same id, the later one, where the first stood (citeproc-js's
    runner keeps the items by id)."""
    items: dict[object, dict] = {}
    for index, item in enumerate(json.loads(json.dumps(fixture.input))):
        item.setdefault("id", index)
        item.setdefault("type", untyped)
        if string_ids:
            item["id"] = str(item["id"])
        items[item["id"]] = item
    return list(items.values())


def citation_item(data: dict):
    from citeproc import CitationItem, Locator
    options = {}
    key = None
    for name, value in data.items():
        python_name = name.replace("-", "_")
        if python_name == "id":
            key = str(value)
        elif python_name == "locator":
            options["locator"] = Locator(data.get("label", "page"), value)
        elif python_name != "label":
            options[python_name] = value
    return CitationItem(key, **options)


def citations(fixture: Fixture, items: list[dict]) -> list:
    """The fixture's citations: for CITATIONS, the document after its last call (see
    ``cluster_documents``), each citation with its ``key`` (citationID) and note number."""
    from citeproc import Citation
    if fixture.citation_items:
        return [Citation([citation_item(item) for item in cites]) for cites in fixture.citation_items]
    if fixture.citations:
        return cluster_citations(cluster_documents(fixture)[1])
    if fixture.bibentries:
        return [Citation([citation_item({"id": key}) for key in fixture.bibentries[-1]])]
    return [Citation([citation_item({"id": item["id"]}) for item in items])]


def synthesized(fixture: Fixture) -> bool:
    """The fixture gives no citations: one citation of every INPUT item is made up."""
    return not (fixture.citation_items or fixture.citations or fixture.bibentries)


def in_bibliography_order(citation, keys: list[str]):
    """A made-up citation as citeproc-js's runner makes it: its items in the order of the
    processor's registry, which is the bibliography's (sorted) order."""
    order = {key: index for index, key in enumerate(keys)}
    citation.cites.sort(key=lambda item: order.get(item.key, len(order)))
    return citation


def cluster_documents(fixture: Fixture) -> tuple[list[tuple[dict, object]], list[tuple[dict, object]]]:
    """The document's citations before and after the last entry of CITATIONS, each as
    (citation, note number).

    Each entry is citeproc-js's ``processCitationCluster(citation, citationsPre,
    citationsPost)``: the citation goes between the citations listed before and after it
    (by citationID, each with its note number now), which may re-edit or leave out earlier
    ones. The document is what a leaflet is: all its citations, rendered at once.
    """
    versions: dict[str, dict] = {}
    before: list[tuple[dict, object]] = []
    after: list[tuple[dict, object]] = []
    for data, pre, post in fixture.citations:
        versions[data["citationID"]] = data
        note = data.get("properties", {}).get("noteIndex")
        placed = ([(versions[key], index) for key, index in pre if key in versions]
                  + [(data, note)]
                  + [(versions[key], index) for key, index in post if key in versions])
        before, after = after, placed
    return before, after


def cluster_citations(document: list[tuple[dict, object]]) -> list:
    from citeproc import Citation
    made = []
    for data, note in document:
        citation = Citation([citation_item(item) for item in data["citationItems"]])
        citation.key = data.get("citationID")
        citation.note_index = note
        made.append(citation)
    return made


def citation_lines(fixture: Fixture, items: list[dict], render, numbering=None) -> list[str]:
    """The citation mode output; ``render`` renders a list of citations (one document).

    For CITATIONS, as citeproc-js's runner writes it: every citation of the final
    document, ``>>`` before those the last call changed (the citation it placed, any other
    whose text differs from the document before it, any it moved to another note where the
    style prints note numbers, any whose works it renumbered where the style prints
    citation numbers), ``..`` before the others. ``numbering``: for a list of citations,
    each work's number (its place in the bibliography).
    """
    if not fixture.citations:
        return list(render(citations(fixture, items)))
    before, after = cluster_documents(fixture)
    earlier = dict(zip((data["citationID"] for data, _ in before),
                       render(cluster_citations(before)) if before else []))
    # a citation moved to another note changes where the style prints note numbers
    earlier_notes = ({data["citationID"]: note for data, note in before}
                     if "first-reference-note-number" in fixture.csl else {})
    # and renumbering its works changes it where the style prints citation numbers
    numbered = numbering is not None and "citation-number" in fixture.csl
    numbers_before = numbering(cluster_citations(before)) if numbered and before else {}
    numbers_after = numbering(cluster_citations(after)) if numbered else {}
    placed = fixture.citations[-1][0]["citationID"]
    lines = []
    for index, ((data, note), text) in enumerate(zip(after, render(cluster_citations(after)))):
        key = data["citationID"]
        moved = key in earlier_notes and earlier_notes[key] != note
        cited = [str(item["id"]).lower() for item in data["citationItems"]]
        renumbered = key in earlier and \
            [numbers_before.get(work) for work in cited] != [numbers_after.get(work) for work in cited]
        changed = key == placed or earlier.get(key) != text or moved or renumbered
        lines.append(f"{'>>' if changed else '..'}[{index}] {text}")
    return lines


def as_lines(results: list[str]) -> list[str]:
    """The output as the suite's lines."""
    return reduce(lambda a, b: a + b, [str(result).split("\n") for result in results], [])


ESCAPES = {"&": "&#38;", "<": "&#60;", ">": "&#62;"}


def suite_html(rendered) -> str:
    """One rendered citation or entry with its text written in the suite's conventions.

    citeproc-py's runner only reads ``&amp;`` as ``&#38;``. Here the HTML is read as
    the build reads it (``engine.html_to_inlines``: Python's HTMLParser, entities
    decoded) and the text is written as the suite writes it (``&``, ``<``, ``>`` as
    ``&#38;``, ``&#60;``, ``&#62;``), the tags as they were: the project's rules write
    a style's "&" term unescaped, which reads right in a leaflet, while a value
    escaped twice (``&amp;amp;``) or a ``<`` left unescaped (read as a tag, so the
    text vanishes) reads wrong here as it does in a leaflet.
    """
    writer = SuiteHTMLWriter()
    writer.feed(str(rendered))
    writer.close()
    return "".join(writer.out)


class SuiteHTMLWriter(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.out.append(self.get_starttag_text())

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag: str) -> None:
        self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        self.out.append(re.sub("[&<>]", lambda match: ESCAPES[match.group()], data))


# --- plain citeproc-py ---------------------------------------------------------------------------

def plain_output(fixture: Fixture) -> list[str]:
    """citeproc-py 0.11 without the project's rules, as its runner drives it."""
    from citeproc import CitationStylesBibliography, CitationStylesStyle
    from citeproc.source.json import CiteProcJSON
    style = CitationStylesStyle(io.BytesIO(fixture.csl.encode("utf-8")), validate=False)
    items = references(fixture, string_ids=False, untyped="book")  # as citeproc-py's runner

    def registered(cites: list):
        bibliography = CitationStylesBibliography(style, CiteProcJSON(items))
        for citation in cites:
            bibliography.register(citation)
        if style.has_bibliography():
            bibliography.sort()
        return bibliography

    def render(cites: list) -> list[str]:
        bibliography = registered(cites)
        return [suite_html(bibliography.cite(citation, lambda item: None)) for citation in cites]

    if fixture.mode == "citation":
        return as_lines(citation_lines(fixture, items, render))
    bibliography = registered(citations(fixture, items))
    entries = [ENTRY_PREFIX + suite_html(entry) + ENTRY_SUFFIX for entry in bibliography.bibliography()]
    return as_lines([BIB_PREFIX, *entries, BIB_SUFFIX])


# --- the pipeline's engine -----------------------------------------------------------------------

def engine_output(fixture: Fixture) -> list[str]:
    """The citation stage's engine (``pipeline.citations.engine``): each citation and entry
    as the HTML string it reaches just before it becomes pandoc inlines."""
    from lxml import etree
    from pipeline.citations.engine import CitationEngine, as_text, load_csl, render_entry
    from pipeline.citations.csl_styles import ResolvedCslStyle

    root = etree.fromstring(fixture.csl.encode("utf-8"))
    lang = root.get("default-locale") or "en-US"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{fixture.name}.csl"
        path.write_text(fixture.csl, encoding="utf-8")
        csl = load_csl(ResolvedCslStyle(fixture.name, path, None), lang)
    # citeproc-js leaves an item without a type untyped: no type test is true
    items = references(fixture, string_ids=True, untyped="")

    def registered(cites: list) -> CitationEngine:
        engine = CitationEngine(csl, items)
        engine.register(cites, ())
        return engine

    def render(cites: list) -> list[str]:
        # CitationEngine.render_citation, in pandoc's normal citation mode, before html_to_inlines
        engine = registered(cites)
        if synthesized(fixture):
            cites = [in_bibliography_order(citation, engine.bibliography.keys) for citation in cites]
        return [suite_html(as_text(engine.bibliography.cite(citation, lambda item: None),
                                   engine.quotes)) for citation in cites]

    def numbering(cites: list) -> dict[str, int]:
        keys = registered(cites).bibliography.keys
        return {str(key).lower(): number for number, key in enumerate(keys, start=1)}

    if fixture.mode == "citation":
        return as_lines(citation_lines(fixture, items, render, numbering))
    engine = registered(citations(fixture, items))
    # CitationEngine.bibliography_blocks, before bibliography_entry
    entries = []
    if csl.has_bibliography():
        layout = csl.root.bibliography.layout
        split = csl.root.bibliography.get("second-field-align") is not None
        rendered = (render_entry(layout, item, split, engine.quotes) for item in engine.bibliography.items)
        # an entry with no printed form stays in a leaflet (the target of its citations'
        # links, as in pandoc's citeproc); citeproc-js's bibliography leaves it out
        entries = [entry_html(fields) for fields in rendered if any(field.strip() for field in fields)]
    return as_lines([BIB_PREFIX, *entries, BIB_SUFFIX])


def entry_html(fields: list[str]) -> str:
    """One bibliography entry as the suite writes it: with second-field-align, the first
    field and the rest as its csl-left-margin and csl-right-inline divs; white space at the
    end of the entry after the right-inline div, where citeproc-js writes it."""
    if len(fields) == 2:
        left, right = (suite_html(field) for field in fields)
        trailing = right[len(right.rstrip()):]
        return (f'{ENTRY_PREFIX}\n    <div class="csl-left-margin">{left}</div>'
                f'<div class="csl-right-inline">{right.rstrip()}</div>\n  {trailing}{ENTRY_SUFFIX}')
    return ENTRY_PREFIX + suite_html(fields[0]) + ENTRY_SUFFIX


# --- one fixture ---------------------------------------------------------------------------------

@dataclass
class Outcome:
    name: str
    status: str  # "pass", "fail", "crash" or "left out"
    expected: list[str]
    actual: list[str] | None = None
    error: str | None = None
    seconds: float = 0.0

    @property
    def category(self) -> str:
        return self.name.split("_", 1)[0]

    @property
    def counted(self) -> bool:
        return self.name not in LEFT_OUT


def run_fixture(path: Path, plain: bool, compare: bool = True) -> Outcome:
    """Read, render and compare one fixture; never raises."""
    started = time.perf_counter()
    try:
        fixture = read_fixture(path)
    except Exception as error:
        return Outcome(path.stem, "crash", [], error=f"{type(error).__name__}: {error}")
    reason = left_out(fixture)
    if reason and compare:
        return Outcome(fixture.name, "left out", fixture.expected, error=reason)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            actual = plain_output(fixture) if plain else engine_output(fixture)
    except Exception as error:
        return Outcome(fixture.name, "crash", fixture.expected, error=crash_message(error),
                       seconds=time.perf_counter() - started)
    status = "pass" if actual == fixture.expected else "fail"
    return Outcome(fixture.name, status, fixture.expected, actual,
                   seconds=time.perf_counter() - started)


def crash_message(error: Exception) -> str:
    frame = traceback.extract_tb(error.__traceback__)[-1]
    return f"{type(error).__name__}: {error} ({Path(frame.filename).name}:{frame.lineno})"


# --- many fixtures, in worker processes with a time limit ----------------------------------------

def _worker(connection, plain: bool, compare: bool) -> None:
    import logging
    logging.disable(logging.CRITICAL)  # the engine's warnings are not the bench's output
    while True:
        path = connection.recv()
        if path is None:
            return
        connection.send(asdict(run_fixture(Path(path), plain, compare)))


class Worker:
    def __init__(self, context, plain: bool, compare: bool) -> None:
        self.connection, child = context.Pipe()
        self.process = context.Process(target=_worker, args=(child, plain, compare), daemon=True)
        self.process.start()
        child.close()
        self.path: Path | None = None
        self.deadline = 0.0

    def give(self, path: Path, timeout: float) -> None:
        self.path = path
        self.connection.send(str(path))
        self.deadline = time.monotonic() + timeout

    def kill(self) -> None:
        self.process.kill()
        self.process.join()
        self.connection.close()

    def stop(self) -> None:
        try:
            self.connection.send(None)
        except OSError:
            pass
        self.process.join(timeout=5)
        if self.process.is_alive():
            self.kill()


def run_suite(paths: list[Path], *, plain: bool = False, jobs: int | None = None,
              timeout: float = TIMEOUT_SECONDS, compare: bool = True) -> list[Outcome]:
    """Every fixture's outcome, in the order given. Workers are fresh (spawned) processes,
    so ``plain`` never sees rules installed elsewhere; a worker that hangs past ``timeout``
    or dies is killed and replaced, and its fixture is a crash."""
    context = multiprocessing.get_context("spawn")
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(paths) or 1))
    pending = list(reversed(paths))
    outcomes: dict[Path, Outcome] = {}
    workers = [Worker(context, plain, compare) for _ in range(jobs)]
    # A fresh worker imports citeproc (and the pipeline) before its first fixture: its
    # first deadline allows for that.
    startup = 30.0
    try:
        for worker in workers:
            if pending:
                worker.give(pending.pop(), timeout + startup)
        while any(worker.path is not None for worker in workers):
            busy = [worker for worker in workers if worker.path is not None]
            wait = max(0.0, min(worker.deadline for worker in busy) - time.monotonic())
            ready = multiprocessing.connection.wait([worker.connection for worker in busy], wait)
            for index, worker in enumerate(workers):
                if worker.path is None:
                    continue
                replace = False
                if worker.connection in ready:
                    try:
                        outcomes[worker.path] = Outcome(**worker.connection.recv())
                    except (EOFError, OSError):
                        code = worker.process.exitcode
                        outcomes[worker.path] = crash(worker.path, f"the worker died (exit code {code})")
                        replace = True
                elif time.monotonic() >= worker.deadline:
                    outcomes[worker.path] = crash(worker.path, f"no answer within {timeout:g} s")
                    replace = True
                else:
                    continue
                worker.path = None
                if replace:
                    worker.kill()
                    worker = workers[index] = Worker(context, plain, compare)
                if pending:
                    worker.give(pending.pop(), timeout + (startup if replace else 0.0))
    finally:
        for worker in workers:
            if worker.path is not None:
                worker.kill()
            else:
                worker.stop()
    return [outcomes[path] for path in paths]


def crash(path: Path, message: str) -> Outcome:
    try:
        expected = read_fixture(path).expected
    except Exception:
        expected = []
    return Outcome(path.stem, "crash", expected, error=message)


# --- the table and the known failures -------------------------------------------------------------

def table(outcomes: list[Outcome], title: str) -> str:
    counts: dict[str, Counter] = defaultdict(Counter)
    for outcome in outcomes:
        if outcome.counted:
            counts[outcome.category][outcome.status] += 1
    rows = [f"{title}", f"{'category':<14} {'pass':>5} {'fail':>5} {'crash':>6} {'left out':>9} "
                        f"{'total':>6}"]
    total: Counter = Counter()
    for category in sorted(counts):
        count = counts[category]
        total.update(count)
        rows.append(row(category, count))
    rows.append(row("all", total))
    counted = sum(total.values())
    rows.append(f"{total['pass']} of {counted} ({percent(total['pass'], counted)})")
    uncounted = sum(1 for outcome in outcomes if not outcome.counted)
    if uncounted:
        rows.append(f"({uncounted} fixtures in no total: {', '.join(sorted(set(LEFT_OUT.values())))})")
    return "\n".join(rows)


def row(name: str, count: Counter) -> str:
    return (f"{name:<14} {count['pass']:>5} {count['fail']:>5} {count['crash']:>6} "
            f"{count['left out']:>9} {sum(count.values()):>6}")


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "-"


def read_known_failures(path: Path = KNOWN_FAILURES) -> dict[str, str]:
    """The listed fixtures, each with its reason (``name  # reason`` lines; the section
    of regressions by the rules is listed the same way)."""
    known = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        name, _, reason = line.partition("#")
        if name.strip():
            known[name.strip()] = reason.strip()
    return known


def failing(outcomes: list[Outcome]) -> set[str]:
    """The fixtures that fail, crash or are left out in a counted total."""
    return {outcome.name for outcome in outcomes if outcome.counted and outcome.status != "pass"}


# --- command line --------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("fixtures", nargs="*", metavar="FIXTURE",
                        help="fixture names (default: the whole suite)")
    parser.add_argument("--json", action="store_true",
                        help="print each fixture's name and the engine's output, without comparing")
    parser.add_argument("--plain", action="store_true",
                        help="citeproc-py without the project's rules")
    parser.add_argument("--jobs", type=int, default=os.cpu_count(), help="worker processes")
    parser.add_argument("--timeout", type=float, default=TIMEOUT_SECONDS,
                        help="seconds a fixture may take")
    parser.add_argument("--suite", type=Path, default=SUITE, help="the folder of fixtures")
    parser.add_argument("--list-failures", action="store_true",
                        help="print the failing fixtures, one a line, instead of the table")
    parser.add_argument("--check", action="store_true",
                        help="exit 1 if the failing fixtures are not the known failures")
    parser.add_argument("--known-failures", type=Path, default=KNOWN_FAILURES, metavar="FILE",
                        help=f"the known failures for --check (default: {KNOWN_FAILURES.name})")
    options = parser.parse_args(argv)
    if options.json and not options.fixtures:
        parser.error("--json needs the fixtures to print")
    if options.check and options.plain:
        parser.error("--check compares the engine with its known failures; --plain has none")
    try:
        paths = fixture_paths(options.suite, options.fixtures)
    except FileNotFoundError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    outcomes = run_suite(paths, plain=options.plain, jobs=options.jobs, timeout=options.timeout,
                         compare=not options.json)
    seconds = time.perf_counter() - started
    if options.json:
        print(json.dumps([{"name": outcome.name, "output": outcome.actual,
                           **({"error": outcome.error} if outcome.error else {})}
                          for outcome in outcomes], ensure_ascii=False, indent=2))
        return 0
    if options.list_failures:
        for name in sorted(failing(outcomes)):
            print(name)
        return 0
    engine = "citeproc-py 0.11 as installed (--plain)" if options.plain else \
        "the pipeline's engine (citeproc-py with the project's rules)"
    print(table(outcomes, f"CSL test suite, {options.suite}: {engine}"))
    print(f"{len(outcomes)} fixtures in {seconds:.1f} s with {options.jobs} workers")
    return gate(outcomes, options.known_failures, whole=not options.fixtures) if options.check else 0


def gate(outcomes: list[Outcome], known_failures: Path, *, whole: bool = True) -> int:
    """0 if exactly the listed fixtures fail; else 1, with what changed and what to do.
    ``whole``: the whole suite ran, so a listed fixture that did not run is not in it."""
    known = read_known_failures(known_failures)
    failed = failing(outcomes)
    ran = {outcome.name for outcome in outcomes}
    new = [outcome for outcome in outcomes if outcome.name in failed - set(known)]
    fixed = sorted(name for name in known if name in ran and name not in failed)
    missing = sorted(name for name in known if name not in ran) if whole else []
    for outcome in new:
        print(f"\nregression: {describe(outcome)}")
    if new:
        print(f"\n{len(new)} fixture(s) fail that are not in {known_failures}: fix the engine, "
              "or list each with why it fails")
    if fixed:
        print(f"\nthese fixtures pass now: take them off {known_failures}: {', '.join(fixed)}")
    if missing:
        print(f"\n{known_failures} lists fixtures the suite does not have: {', '.join(missing)}")
    if new or fixed or missing:
        return 1
    print(f"the failing fixtures are the {len(known)} known failures of {known_failures.name}")
    return 0


def describe(outcome: Outcome) -> str:
    expected = "\n".join(f"    {line}" for line in outcome.expected)
    if outcome.status == "crash":
        return f"{outcome.name} (crash: {outcome.error})\n  expected:\n{expected}"
    actual = "\n".join(f"    {line}" for line in outcome.actual or [])
    return f"{outcome.name}\n  expected:\n{expected}\n  actual:\n{actual}"


if __name__ == "__main__":
    sys.exit(main())
