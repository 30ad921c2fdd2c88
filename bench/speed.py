"""Speed benchmark: the pipeline against raw pandoc, measured in the same run.

    python bench/speed.py [--rounds 5] [--library 50] [--skip-make] [--only ROW,...]

What a clinic would run instead of this pipeline is pandoc alone::

    pandoc ARTICLE.md --citeproc --csl AMA.csl --pdf-engine=weasyprint -o A.pdf
    pandoc ARTICLE.md --citeproc --csl AMA.csl -o A.epub

Absolute times drift on a shared machine; ratios against that baseline,
measured in the same run and interleaved with our own runs, hold. Every
measurement is repeated after a warm-up and reported as median and min-max.

Targets (issue 6, the first two from issue 22):

single    ``python -m pipeline build ARTICLE.md --to pdf,epub``, a fresh process,
          <= 0.55x the two raw pandoc commands together
library   50 leaflets by one ``python -m pipeline build lib/*.md`` <= 0.18x fifty raw
          pairs (50x the raw pair's median); by ``make -j`` <= 0.3x
watch     a rebuild after a one-word edit mid-article (page 4 of 6), save to
          "rebuilt" line, <= 0.25 s
growth    the article 5x and 20x longer: time <= 20x the 1x time at 20x,
          peak memory (largest process) < 300 MB
no-op     ``make`` with nothing to do < 0.1 s
braille   the braille-ready file of the sciatica leaflet (``--to brf``'s own stage:
          liblouis, layout, writing, after the article is read and its citations
          rendered, as for every format) < 1 s; measured in fresh processes,
          interleaved with the raw pandoc PDF, which the row quotes
mp3       ``--to mp3`` (issue 13), a fresh process, < 10 s; measured interleaved with our
          own ``--to pdf``, which the row quotes
narrated  ``--to narrated-epub`` (which speaks the leaflet itself) <= 1.5x the mp3's time
release   (issue 14) a library of 50 leaflets x 3 languages (copies of the sciatica article:
          en-GB and its ``pl`` and ``cy`` translations, all approved and in date), by
          ``python -m pipeline release DIR --out OUT`` from nothing built (every edition, the
          EPUB, archive and site) <= 1x as many raw pandoc pairs (measured in the same run,
          interleaved); then the same after one leaflet changed (a word and its version):
          only that leaflet is built again, and the release takes at most 2 s more than that
          leaflet's own ``build`` of the same outputs, measured interleaved with it

chinese   (issue 12) the translated leaflet in Simplified Chinese
          (``tests/fixtures/translated-leaflet/sciatica-exercises.zh-CN.md``; CJK fonts are
          large) and the English it translates, cold ``--to pdf`` builds interleaved: the
          Chinese <= 1.5x the English, and its PDF < 2 MB

typst     (issue 22) what a clinic could pick instead: pandoc's typst writer, then Typst from
          PyPI (``typst``, pinned in pyproject.toml's ``bench`` extra, which ``make bench``
          installs)::

              pandoc ARTICLE.md --citeproc --csl AMA.csl -s -t typst -o A.typ
              python -c "import typst; typst.compile('A.typ', output='A.pdf')"

          on the article without its ``keywords:`` (pandoc 3.9's typst template writes them
          where Typst 0.15 cannot read them). Our ``--to pdf`` for one leaflet, and for a
          library of 20 by one command <= 0.8x twenty such PDFs, measured interleaved.
floor     (issue 22) what WeasyPrint and pandoc alone take for the same work, against the
          same baselines (``bench/floor.py``): WeasyPrint imported, its styles and the first
          PDF for one leaflet cold; for a library, each leaflet's PDF, EPUB and Markdown
          reading shared out over the cores, as if the pipeline's own work took no time; for
          the live preview, WeasyPrint's part of a rebuild after a one-word edit (laying out
          the pages it touched, drawing them all). Each is held to the limit of the row it
          stands under. A floor row that does not hold is a
          target the pipeline cannot meet with this WeasyPrint and pandoc.
profile   (issue 22) where a cold build's CPU time goes, stage by stage
          (``bench/profile_build.py``: cProfile timed by CPU time, medians of the rounds),
          written to bench/profile.txt and bench/profile.json; ``--profile`` is
          ``--only profile``.

text-layer (issue 20) what the ActualText text layer (``pipeline/printed/text_layer.py``)
          costs a ``--to pdf`` build of the sciatica leaflet and of the Urdu translation:
          builds in one warm process with the drawing hook and without it, interleaved, CPU
          time; English <= 1.1x (its lines need no ActualText), Urdu <= 1.25x

CPU time (user + system, the process and its children) is given beside every ratio: on
a shared, loaded machine wall time is mostly what the other processes do.

``--only ROW,...`` (single, library, typst, floor, profile, watch, chinese, release, text-layer) runs
those rows alone and prints their table,
leaving bench/results.json as it was; ``--only-release`` is ``--only release`` (with
``--release-library N`` leaflets a language). ``--chinese FILE`` measures another Chinese
translation: the English is the file its ``translation-of:`` names, next to it.

Writes bench/results.json, prints the table, and writes it into docs/speed.md between the
page's two marker comments, so the docs quote the latest run and nobody copies it by hand.
``--docs-from RESULTS.json [--docs PAGE]`` writes a saved run's table there without measuring.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import queue
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
PROJECT = BENCH.parent
RESULTS = BENCH / "results.json"
DOCS_PAGE = PROJECT / "docs" / "speed.md"
ARTICLE = PROJECT / "source" / "sciatica-massage.md"
REFERENCES = PROJECT / "source" / "references.json"
PYTHON = PROJECT / ".venv" / "bin" / "python"
sys.path.insert(0, str(PROJECT))

from pipeline.citations.csl_styles import CSL_STYLES_ROOT  # noqa: E402
from pipeline.pandoc.command import pandoc_path  # noqa: E402

AMA_CSL = CSL_STYLES_ROOT / "american-medical-association.csl"
TRANSLATED = PROJECT / "tests" / "fixtures" / "translated-leaflet"
# The Chinese translation is the fixture the tests read its PDF's text from: one
# translation, checked there, rather than a copy here that would drift from it.
CHINESE = TRANSLATED / "sciatica-exercises.zh-CN.md"
# The targets of the rows that the floor rows stand under (ratios to their baselines).
SINGLE_LIMIT, LIBRARY_LIMIT, TYPST_LIBRARY_LIMIT, WATCH_LIMIT = 0.55, 0.18, 0.8, 0.25
WATCH_EDITS = ("massage table", "massage couch")  # one word, mid-article, swapped back and forth
MEGABYTE = 1024 * 1024


@dataclass
class Measure:
    """Several timings of one thing, in seconds, and what the largest process used."""

    runs: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)  # user + system, the whole process tree
    peak_bytes: int = 0

    @property
    def median(self) -> float:
        return statistics.median(self.runs)

    def add(self, seconds: float, peak_bytes: int = 0, cpu: float | None = None) -> None:
        self.runs.append(seconds)
        self.peak_bytes = max(self.peak_bytes, peak_bytes)
        if cpu is not None:
            self.cpu.append(cpu)

    @property
    def cpu_median(self) -> float | None:
        return statistics.median(self.cpu) if self.cpu else None

    def span(self) -> str:
        return f"{self.median:.2f} s ({min(self.runs):.2f}-{max(self.runs):.2f})"


@dataclass
class Row:
    target: str
    measured: str
    baseline: str
    value: float  # the ratio, or seconds / megabytes when there is no baseline
    limit: float | None  # None: measured for the record, no target
    unit: str  # "x" for a ratio, "s", "MB"
    cpu: str = ""  # CPU time (user + system) against the baseline's, where both are known

    @property
    def holds(self) -> bool:
        return self.limit is None or self.value <= self.limit


# --- running things -------------------------------------------------------------------------------

def run(command: list[str | Path], cwd: Path, env: dict | None = None) -> tuple[float, int, float]:
    """Run to completion; return wall time, the peak resident memory of the largest process
    in its tree and the CPU time of the tree (``wait4`` counts the children it reaped)."""
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        process = subprocess.Popen([str(part) for part in command], cwd=cwd, env=env,
                                   stdout=subprocess.DEVNULL, stderr=errors)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            errors.seek(0)
            raise SystemExit(f"bench: {' '.join(map(str, command))} failed in {cwd}:\n"
                             f"{errors.read().decode(errors='replace')}")
    return elapsed, usage.ru_maxrss * 1024, usage.ru_utime + usage.ru_stime


def environment() -> dict[str, str]:
    """PATH with the venv first: pandoc --pdf-engine=weasyprint finds WeasyPrint's command."""
    return {**os.environ, "PATH": f"{PYTHON.parent}{os.pathsep}{os.environ.get('PATH', '')}"}


def raw_pdf(article: Path) -> list[str | Path]:
    return [pandoc_path(), article.name, "--citeproc", "--csl", AMA_CSL,
            "--pdf-engine=weasyprint", "-o", "raw.pdf"]


def raw_epub(article: Path) -> list[str | Path]:
    return [pandoc_path(), article.name, "--citeproc", "--csl", AMA_CSL, "-o", "raw.epub"]


def pipeline_build(*sources: Path, out: Path, to: str = "pdf,epub") -> list[str | Path]:
    return [PYTHON, "-m", "pipeline", "build", *sources, "--to", to, "--out", out]


# --- bench data -------------------------------------------------------------------------------------

def article_copy(folder: Path, name: str, title: str | None = None, repeat: int = 1) -> Path:
    """The sciatica article next to its references, retitled, its body repeated."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(REFERENCES, folder / REFERENCES.name)
    text = ARTICLE.read_text(encoding="utf-8")
    _, front, body = text.split("---\n", 2)
    if title:
        front = re.sub(r"(?m)^title: .*$", lambda _: f"title: {json.dumps(title)}", front)
    body = body.replace("::: {#refs}\n:::\n", "")
    repeated = "\n".join([body] * repeat)
    target = folder / f"{name}.md"
    target.write_text(f"---\n{front}---\n{repeated}\n::: {{#refs}}\n:::\n", encoding="utf-8")
    return target


def project_replica(folder: Path) -> Path:
    """A clone-like folder (Makefile, pipeline/, styles/) whose source/ holds the library,
    so that ``make`` runs exactly as in the project."""
    for name in ("pipeline", "styles", "tools"):
        shutil.copytree(PROJECT / name, folder / name,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    # The fonts are installed (the bench's own builds need them): say so to make too.
    (folder / ".tools").mkdir()
    (folder / ".tools" / "fonts.installed").touch()
    for name in ("Makefile", "pyproject.toml"):
        shutil.copy2(PROJECT / name, folder / name)
    # The venv is the project's, set up from this pyproject.toml: say so to make, which
    # would otherwise reinstall it whenever the file is newer (a fresh checkout).
    installed = PYTHON.parent.parent / ".installed"
    if installed.exists():
        stamp = installed.stat().st_mtime - 1
        os.utime(folder / "pyproject.toml", (stamp, stamp))
    (folder / "output").mkdir()
    compile_bytecode(folder / "pipeline")
    return folder


def compile_bytecode(folder: Path) -> None:
    """What the first run of a normal install leaves behind (PYTHONDONTWRITEBYTECODE may
    be set on the bench machine; without this every run would compile the pipeline)."""
    subprocess.run([PYTHON, "-m", "compileall", "-q", str(folder)], check=True)


# --- the five measurements --------------------------------------------------------------------------

def measure_single(work: Path, rounds: int) -> tuple[Measure, Measure, Measure]:
    """Raw pandoc PDF, raw pandoc EPUB, our build: interleaved so that drift hits all three."""
    article = article_copy(work / "single", "sciatica-massage")
    out = work / "single-out"
    pdf, epub, ours = Measure(), Measure(), Measure()
    env = environment()
    for round_number in range(rounds + 1):  # round 0 warms caches and the page cache
        timings = (run(raw_pdf(article), article.parent, env),
                   run(raw_epub(article), article.parent, env),
                   run(pipeline_build(article, out=out), PROJECT, env))
        if round_number:
            for measure, timing in zip((pdf, epub, ours), timings):
                measure.add(*timing)
        progress(f"single leaflet, round {round_number}/{rounds}")
    return pdf, epub, ours


def measure_library(work: Path, size: int, rounds: int) -> tuple[Measure, list[Path]]:
    folder = work / "replica"
    project_replica(folder)
    sources = [article_copy(folder / "source", f"leaflet-{n:02d}", f"Leaflet {n}: sciatica and massage")
               for n in range(1, size + 1)]
    relative = [source.relative_to(folder) for source in sources]
    library = Measure()
    for round_number in range(rounds + 1):
        shutil.rmtree(folder / "lib-out", ignore_errors=True)
        timing = run(pipeline_build(*relative, out=Path("lib-out")), folder, environment())
        if round_number:
            library.add(*timing)
        progress(f"library of {size}, round {round_number}/{rounds}")
    return library, sources


def measure_make(work: Path, jobs: int) -> tuple[Measure, Measure]:
    """``make -j`` from nothing built, then ``make`` with nothing to do."""
    folder = work / "replica"
    make = ["make", f"VENV={PROJECT / '.venv'}", "--no-print-directory"]
    built, noop = Measure(), Measure()
    built.add(*run([*make, f"-j{jobs}"], folder))
    progress(f"make -j{jobs}: {built.median:.1f} s")
    for _ in range(6):
        noop.add(*run(make, folder))
    noop.runs.pop(0)  # the first one fills the page cache
    return built, noop


def measure_growth(work: Path, rounds: int) -> dict[int, Measure]:
    growth = {}
    for repeat in (1, 5, 20):
        article = article_copy(work / f"growth-{repeat}", "sciatica-massage", repeat=repeat)
        measure = Measure()
        for round_number in range(rounds + 1):
            timing = run(pipeline_build(article, out=work / f"growth-{repeat}-out"),
                         PROJECT, environment())
            if round_number:
                measure.add(*timing)
        growth[repeat] = measure
        progress(f"growth {repeat}x: {measure.median:.2f} s, {measure.peak_bytes / MEGABYTE:.0f} MB")
    return growth


def measure_watch(work: Path, edits: int) -> Measure:
    """Save a one-word edit; time until the watcher prints that it rebuilt."""
    article = article_copy(work / "watch", "sciatica-massage")
    watcher = subprocess.Popen(
        [str(PYTHON), "-m", "pipeline", "watch", str(article), "--out", str(work / "watch-out")],
        cwd=PROJECT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env=environment())
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in watcher.stdout], daemon=True).start()
    rebuilds = Measure()
    try:
        wait_for(lines, "built", timeout=120)
        text = article.read_text(encoding="utf-8")
        old, new = WATCH_EDITS
        for edit in range(edits + 1):
            time.sleep(0.3)  # a person's saves are at least this far apart
            text = text.replace(old, new, 1) if edit % 2 == 0 else text.replace(new, old, 1)
            started = time.perf_counter()
            article.write_text(text, encoding="utf-8")
            wait_for(lines, "rebuilt", timeout=60)
            if edit:
                rebuilds.add(time.perf_counter() - started)
    finally:
        stop_watcher(watcher)
    progress(f"watch: {rebuilds.median:.3f} s")
    return rebuilds


def watch_edits(rounds: int) -> int:
    """Enough edits for a median even with few rounds (a round of edits is quick)."""
    return max(10, 2 * rounds)


def stop_watcher(watcher: subprocess.Popen, grace: float = 10) -> None:
    """SIGTERM, as a closed terminal would; a watcher still there after ``grace`` seconds
    is killed, and the bench says so rather than leave it running."""
    watcher.terminate()
    try:
        watcher.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        watcher.kill()
        watcher.wait()
        raise SystemExit(f"bench: the watcher did not stop within {grace:g} s of SIGTERM") from None
    finally:
        watcher.stdout.close()


# The braille stage alone, timed inside a fresh process once the article is prepared.
BRAILLE_STAGE = """
import sys, time
from pathlib import Path
from pipeline.build import prepare
from pipeline.config import Settings
from pipeline.braille.brf import write
from pipeline.leaflet import leaflet_build
article, doc = prepare(Path(sys.argv[1]), Settings())
started = time.perf_counter()
write(leaflet_build(article, doc, Settings()), Path(sys.argv[2]))
print(time.perf_counter() - started)
"""


def measure_braille(work: Path, rounds: int) -> tuple[Measure, Measure]:
    """The braille stage and the raw pandoc PDF, interleaved."""
    article = article_copy(work / "braille", "sciatica-massage")
    target = work / "braille" / "sciatica-massage.brf"
    stage, pdf = Measure(), Measure()
    env = environment()
    for round_number in range(rounds + 1):
        raw = run(raw_pdf(article), article.parent, env)
        answer = subprocess.run([str(PYTHON), "-c", BRAILLE_STAGE, str(article), str(target)],
                                cwd=PROJECT, env=env, capture_output=True, text=True, check=False)
        if answer.returncode != 0:
            raise SystemExit(f"bench: the braille stage failed:\n{answer.stderr}")
        if round_number:
            pdf.add(*raw)
            stage.add(float(answer.stdout.split()[-1]))
    progress(f"braille: {stage.median:.3f} s")
    return stage, pdf


def measure_audio(work: Path, rounds: int) -> tuple[Measure, Measure, Measure]:
    """Our PDF, the MP3 and the narrated EPUB, each a whole build in a fresh process,
    interleaved so that drift hits all three."""
    article = article_copy(work / "audio", "sciatica-massage")
    env = environment()
    pdf, mp3, narrated = Measure(), Measure(), Measure()
    for round_number in range(rounds + 1):
        timings = [run(pipeline_build(article, out=work / f"audio-{fmt}-out", to=fmt), PROJECT, env)
                   for fmt in ("pdf", "mp3", "narrated-epub")]
        if round_number:
            for measure, timing in zip((pdf, mp3, narrated), timings):
                measure.add(*timing)
        progress(f"audio, round {round_number}/{rounds}")
    return pdf, mp3, narrated


def audio_rows(audio: tuple[Measure, Measure, Measure]) -> list[Row]:
    pdf, mp3, narrated = audio
    return [Row("audio leaflet (mp3), cold", mp3.span(), f"our pdf {pdf.median:.2f} s, same run",
                mp3.median, 10, "s", f"{mp3.cpu_median:.1f}/{pdf.cpu_median:.1f} s"),
            Row("narrated epub, cold", narrated.span(), f"mp3 {mp3.median:.2f} s, same run",
                narrated.median / mp3.median, 1.5, "x",
                f"{narrated.cpu_median:.1f}/{mp3.cpu_median:.1f} s")]


# --- pandoc -> Typst, what a clinic could pick instead (issue 22) ------------------------------------

TYPST_LIBRARY = 20
TYPST_COMPILE = "import sys, typst; typst.compile(sys.argv[1], output=sys.argv[2])"


def without_keywords(article: Path) -> Path:
    """The article as pandoc -> Typst can print it: pandoc 3.9's typst template writes
    ``keywords`` where Typst 0.15 stops with "expected comma"."""
    text = article.read_text(encoding="utf-8")
    _, front, body = text.split("---\n", 2)
    front = re.sub(r"(?m)^keywords:.*\n", "", front)
    article.write_text(f"---\n{front}---\n{body}", encoding="utf-8")
    return article


def typst_pdf(article: Path, env: dict) -> tuple[float, int, float]:
    """pandoc's typst writer, then Typst: the two runs' times added."""
    typ = article.with_suffix(".typ")
    writer = run([pandoc_path(), article.name, "--citeproc", "--csl", AMA_CSL, "-s", "-t", "typst",
                  "-o", typ.name], article.parent, env)
    compiler = run([PYTHON, "-c", TYPST_COMPILE, typ.name, "typst.pdf"], article.parent, env)
    return (writer[0] + compiler[0], max(writer[1], compiler[1]), writer[2] + compiler[2])


def typst_installed() -> None:
    answer = subprocess.run([PYTHON, "-c", "import typst"], capture_output=True, text=True)
    if answer.returncode != 0:
        raise SystemExit("bench: the Typst rows need Typst from PyPI: "
                         f"{PYTHON.parent / 'pip'} install -e '.[bench]' (make bench does it)")


def measure_typst(work: Path, rounds: int, size: int = TYPST_LIBRARY
                  ) -> tuple[Measure, Measure, Measure]:
    """pandoc -> Typst for one PDF, our one PDF, our library of ``size`` PDFs by one
    command: interleaved, so that drift hits all three."""
    typst_installed()
    folder = work / "typst"
    article = without_keywords(article_copy(folder, "sciatica-massage"))
    library = [without_keywords(article_copy(folder / "library", f"leaflet-{n:02d}",
                                             f"Leaflet {n}: sciatica and massage"))
               for n in range(1, size + 1)]
    env = environment()
    typst, one, many = Measure(), Measure(), Measure()
    for round_number in range(rounds + 1):  # round 0 warms the caches
        shutil.rmtree(work / "typst-library-out", ignore_errors=True)
        timings = (typst_pdf(article, env),
                   run(pipeline_build(article, out=work / "typst-one-out", to="pdf"), PROJECT, env),
                   run(pipeline_build(*library, out=work / "typst-library-out", to="pdf"), PROJECT, env))
        if round_number:
            for measure, timing in zip((typst, one, many), timings):
                measure.add(*timing)
        progress(f"typst, round {round_number}/{rounds}")
    return typst, one, many


def typst_rows(typst: tuple[Measure, Measure, Measure], size: int = TYPST_LIBRARY) -> list[Row]:
    raw, one, many = typst
    pdfs = size * raw.median
    return [Row("one pdf, cold, vs pandoc->typst", one.span(),
                f"pandoc->typst {raw.median:.2f} s", one.median / raw.median, None, "x",
                cpu_text(one, raw.cpu_median)),
            Row(f"library of {size} pdfs vs typst", many.span(),
                f"{size} pandoc->typst pdfs = {pdfs:.1f} s", many.median / pdfs, TYPST_LIBRARY_LIMIT, "x",
                cpu_text(many, size * raw.cpu_median))]


# --- the floor: what WeasyPrint and pandoc take alone (issue 22) ---------------------------------------

FLOOR_SCRIPT = BENCH / "floor.py"


@dataclass
class Floor:
    """Medians of bench/floor.py's answers, in seconds."""

    import_wall: float  # WeasyPrint imported (as the pipeline imports it)
    styles_wall: float  # the leaflet's stylesheets parsed
    cold_pdf_wall: float  # the first PDF of a process
    warm_pdf_cpu: float  # each later PDF
    epub_writer_cpu: float  # pandoc writing the EPUB
    kept_pandoc_cpu: float  # pandoc reading the Markdown and writing the HTML
    preview_wall: float  # WeasyPrint's part of the live preview's rebuild after a one-word edit

    @property
    def cold(self) -> float:
        """One leaflet from a fresh process: WeasyPrint's import, its styles and its first PDF
        one after the other (pandoc's work runs beside them in a build)."""
        return self.import_wall + self.styles_wall + self.cold_pdf_wall

    def library(self, size: int, cores: int, epub: bool = True) -> float:
        """``size`` leaflets shared out over ``cores`` processes that each import WeasyPrint
        once, if WeasyPrint and pandoc were all there was to do and the cores never waited."""
        each = self.warm_pdf_cpu + self.kept_pandoc_cpu + (self.epub_writer_cpu if epub else 0)
        return self.import_wall + self.styles_wall + size * each / cores


def answer_of(command: list[str | Path], what: str) -> dict:
    """The JSON a bench script prints last."""
    answer = subprocess.run([str(part) for part in command], cwd=PROJECT, env=environment(),
                            capture_output=True, text=True, check=False)
    if answer.returncode != 0:
        raise SystemExit(f"bench: {what} failed:\n{answer.stderr}")
    return json.loads(answer.stdout.strip().splitlines()[-1])


def measure_floor(work: Path, rounds: int) -> Floor:
    """pandoc's share from builds in one process, WeasyPrint's from fresh processes that
    time WeasyPrint alone (bench/floor.py); medians."""
    article = article_copy(work / "floor", "sciatica-massage")
    spec = work / "floor-spec"
    pandoc = answer_of([PYTHON, FLOOR_SCRIPT, "capture", article, spec, "--rounds", rounds],
                       "the floor's capture")
    alone = []
    for round_number in range(rounds + 1):  # round 0 warms the caches
        answer = answer_of([PYTHON, FLOOR_SCRIPT, "weasyprint", spec, "--rounds", rounds],
                           "WeasyPrint alone")
        if round_number:
            alone.append(answer)
        progress(f"floor, round {round_number}/{rounds}")
    preview = answer_of([PYTHON, FLOOR_SCRIPT, "preview", article_copy(work / "floor-preview", "sciatica-massage"),
                         work / "floor-preview-out", *WATCH_EDITS, "--rounds", watch_edits(rounds)],
                        "the preview's floor")
    median = lambda key: statistics.median(entry[key] for entry in alone)  # noqa: E731
    return Floor(median("import_wall"), median("styles_wall"), median("cold_pdf_wall"),
                 median("warm_pdf_cpu"), pandoc["epub_writer_cpu"], pandoc["kept_pandoc_cpu"],
                 preview["weasyprint_wall"])


def floor_rows(floor: Floor, single, typst, size: int) -> list[Row]:
    """The floor under each row with a target, against the same baseline and held to the
    same limit: a floor row that does not hold is a target no work of the pipeline's own
    can meet with this WeasyPrint and pandoc."""
    pdf, epub, _ = single
    pair = pdf.median + epub.median
    cores = os.cpu_count() or 1
    library, typst_library = floor.library(size, cores), floor.library(TYPST_LIBRARY, cores, epub=False)
    typst_pdfs = TYPST_LIBRARY * typst[0].median
    return [Row("floor: one leaflet, cold", f"{floor.cold:.2f} s", f"raw pair {pair:.2f} s",
                floor.cold / pair, SINGLE_LIMIT, "x"),
            Row(f"floor: library of {size}", f"{library:.2f} s", f"{size} raw pairs = {size * pair:.1f} s",
                library / (size * pair), LIBRARY_LIMIT, "x"),
            Row(f"floor: library of {TYPST_LIBRARY} pdfs", f"{typst_library:.2f} s",
                f"{TYPST_LIBRARY} pandoc->typst pdfs = {typst_pdfs:.1f} s", typst_library / typst_pdfs,
                TYPST_LIBRARY_LIMIT, "x"),
            Row("floor: live preview", f"{floor.preview_wall:.2f} s",
                "WeasyPrint's part of the rebuild", floor.preview_wall, WATCH_LIMIT, "s")]


def floor_text(floor: Floor) -> str:
    return (f"floor (bench/floor.py): WeasyPrint imported {floor.import_wall:.2f} s, styles "
            f"{floor.styles_wall:.2f} s, first PDF {floor.cold_pdf_wall:.2f} s, each later PDF "
            f"{floor.warm_pdf_cpu:.2f} s CPU; pandoc's EPUB writer {floor.epub_writer_cpu:.2f} s, "
            f"its Markdown reading and HTML {floor.kept_pandoc_cpu:.2f} s CPU a leaflet; WeasyPrint's "
            f"part of a live preview's rebuild {floor.preview_wall:.2f} s")


# --- where a cold build's time goes (issue 22) ---------------------------------------------------------

PROFILE_TEXT = BENCH / "profile.txt"
PROFILE_JSON = BENCH / "profile.json"


def measure_profile(work: Path, rounds: int) -> dict:
    """The cold build of the sciatica leaflet, plain (its CPU time) and under the profiler
    (bench/profile_build.py), interleaved; medians of each stage."""
    article = article_copy(work / "profile", "sciatica-massage")
    env = environment()
    plain, profiled = Measure(), []
    for round_number in range(rounds + 1):  # round 0 warms the caches
        timing = run(pipeline_build(article, out=work / "profile-plain-out"), PROJECT, env)
        answer = answer_of([PYTHON, BENCH / "profile_build.py", article, work / "profile-out"],
                           "the profiled build")
        if round_number:
            plain.add(*timing)
            profiled.append(answer)
        progress(f"profile, round {round_number}/{rounds}")
    median = lambda key: statistics.median(entry[key] for entry in profiled)  # noqa: E731
    stages = {stage: statistics.median(entry["stages"][stage] for entry in profiled)
              for stage in profiled[0]["stages"]}
    return {"date": dt.date.today().isoformat(), "machine": machine(), "rounds": rounds,
            "command": f"python -m pipeline build {ARTICLE.relative_to(PROJECT)} --to pdf,epub --out OUT",
            "plain_cpu": plain.cpu_median, "plain_wall": plain.median,
            "imports_cpu": median("imports_cpu"), "children_cpu": median("children_cpu"),
            "profiled_cpu": median("profiled_cpu"), "stages": stages}


def profile_text(profile: dict) -> str:
    """The table: each stage's CPU time under the profiler and its share of the profiled
    total. The profiler's cost is per Python call, so it inflates the stages made of many
    small calls (layout, CSS, citations) and hardly the C work (Pango, fontconfig, zlib,
    HarfBuzz): read the shares as an upper bound for Python-heavy stages."""
    lines = [f"Where a cold build's CPU time goes: {profile['command']}",
             f"{profile['date']}, {profile['machine']}; medians of {profile['rounds']} rounds "
             "(bench/speed.py --profile)", "",
             f"cold build, no profiler: CPU {profile['plain_cpu']:.2f} s (user + system, with the "
             f"PDF helper and pandoc), wall {profile['plain_wall']:.2f} s",
             f"  imports at start (python -m pipeline), no profiler: {profile['imports_cpu']:.2f} s CPU",
             f"  pandoc's processes (AST, HTML, EPUB): {profile['children_cpu']:.2f} s CPU",
             f"  the rest, in one process under cProfile (CPU-timed): {profile['profiled_cpu']:.2f} s "
             "(the profiler's own cost included)", "",
             f"{'stage (cumulative: a stage includes those it calls)':52} {'profiled':>9} {'share':>6}"]
    for stage, seconds in profile["stages"].items():
        lines.append(f"{stage:52} {seconds:8.3f}s {seconds / profile['profiled_cpu']:6.1%}")
    return "\n".join(lines)


def write_profile(profile: dict) -> str:
    text = profile_text(profile)
    PROFILE_TEXT.write_text(text + "\n", encoding="utf-8")
    PROFILE_JSON.write_text(json.dumps(profile, indent=2) + "\n", encoding="utf-8")
    return text


# --- a Chinese leaflet (issue 12) --------------------------------------------------------------------

def translated_from(translation: Path) -> Path:
    """The original a translation names in its ``translation-of:``, next to it."""
    found = re.search(r"(?m)^translation-of:\s*[\"']?([^\"'\n]+?)[\"']?\s*$",
                      translation.read_text(encoding="utf-8"))
    if not found:
        raise SystemExit(f"bench: {translation} has no 'translation-of:' naming its English original")
    return translation.parent / found.group(1)


def measure_chinese(work: Path, rounds: int, chinese: Path) -> tuple[Measure, Measure, int, int]:
    """The English leaflet and its Chinese translation, cold ``--to pdf`` builds,
    interleaved; and the size of each PDF."""
    folder = work / "chinese"  # a copy: the builds write nothing next to the originals
    shutil.copytree(chinese.parent, folder, ignore=shutil.ignore_patterns("*.pdf", "*.epub"))
    translation = folder / chinese.name
    original = translated_from(translation)
    env = environment()
    english, chinese_runs = Measure(), Measure()
    for round_number in range(rounds + 1):  # round 0 warms the caches, the CJK fonts' too
        timings = [run(pipeline_build(source, out=work / "chinese-out", to="pdf"), PROJECT, env)
                   for source in (original, translation)]
        if round_number:
            for measure, timing in zip((english, chinese_runs), timings):
                measure.add(*timing)
        progress(f"chinese, round {round_number}/{rounds}")
    sizes = [(work / "chinese-out" / f"{source.stem}.pdf").stat().st_size
             for source in (original, translation)]
    return english, chinese_runs, *sizes


def chinese_rows(chinese: tuple[Measure, Measure, int, int]) -> list[Row]:
    english, translated, english_bytes, chinese_bytes = chinese
    return [Row("chinese leaflet, cold (pdf)", translated.span(),
                f"the english {english.median:.2f} s, same run", translated.median / english.median,
                1.5, "x", cpu_text(translated, english.cpu_median)),
            Row("chinese leaflet: pdf size", f"{chinese_bytes / MEGABYTE:.2f} MB",
                f"the english {english_bytes / MEGABYTE:.2f} MB", chinese_bytes / MEGABYTE, 2, "MB")]


# --- the text layer (issue 20) ----------------------------------------------------------------------

URDU = TRANSLATED / "sciatica-exercises.ur.md"
# Builds in one process (the first one warms it), with the text layer's hook and with the hook
# left out, interleaved; prints the CPU seconds of each as JSON.
TEXT_LAYER_SCRIPT = """
import contextlib, json, logging, sys, time
from pathlib import Path
from pipeline import Settings, build
from pipeline.printed import text_layer
logging.disable(logging.WARNING)
source, out, rounds = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
settings = Settings(formats=("pdf",), editions=("standard",), out_dir=out)
hooked, times = text_layer.TEXT_LAYER.active, {"with": [], "without": []}
build(source, settings)
for _ in range(rounds):
    for side in times:
        text_layer.TEXT_LAYER.active = hooked if side == "with" else contextlib.nullcontext
        start = time.process_time()
        build(source, settings)
        times[side].append(time.process_time() - start)
print(json.dumps(times))
"""


def measure_text_layer(work: Path, rounds: int) -> dict[str, tuple[Measure, Measure]]:
    """For the English leaflet and the Urdu translation: (with the hook, without)."""
    found = {}
    for name, source in (("english", ARTICLE), ("urdu", URDU)):
        result = subprocess.run([PYTHON, "-c", TEXT_LAYER_SCRIPT, source, work / "text-layer",
                                 str(rounds)], cwd=PROJECT, env=environment(), check=True,
                                capture_output=True, text=True)
        times = json.loads(result.stdout.strip().splitlines()[-1])
        found[name] = (Measure(times["with"]), Measure(times["without"]))
        progress(f"text layer, {name}")
    return found


def text_layer_rows(measured: dict[str, tuple[Measure, Measure]]) -> list[Row]:
    return [Row(f"text layer: {name} pdf, cpu", with_hook.span(),
                f"without it {without.median:.2f} s, same process", with_hook.median / without.median,
                limit, "x")
            for (name, (with_hook, without)), limit in zip(measured.items(), (1.1, 1.25))]


# --- the library's release (issue 14) ----------------------------------------------------------------

RELEASE_LANGUAGES = ("en-GB", "pl", "cy")  # the original first; the others translate it
RELEASE_EDITIONS = "standard,large-print,booklet"  # what the release row builds, with the EPUB
# The release row publishes what raw pandoc's pairs compare with: the PDF editions and the EPUB. A
# clinic's release adds braille and audio (`formats:` in its profile), which raw pandoc cannot make.
RELEASE_FORMATS = "pdf,large-print,booklet,epub"
RELEASE_CHANGED = "leaflet-01"


def release_library(folder: Path, size: int, today: dt.date) -> list[Path]:
    """``size`` leaflets in each of ``RELEASE_LANGUAGES``, approved and within their review
    date; the translations say which leaflet and version they translate (the words stay
    English: the bench times the pipeline, not the language)."""
    sources = []
    for n in range(1, size + 1):
        original = f"leaflet-{n:02d}"
        for lang in RELEASE_LANGUAGES:
            name = original if lang == RELEASE_LANGUAGES[0] else f"{original}.{lang}"
            path = article_copy(folder, name, f"Leaflet {n}: sciatica and massage ({lang})")
            _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
            front = re.sub(r"(?m)^lang: .*$", f"lang: {lang}", front)
            front = re.sub(r"(?m)^review-date: .*$",
                           f"review-date: {(today + dt.timedelta(days=365)).isoformat()}", front)
            date = re.search(r"(?m)^date: (.*)$", front).group(1)
            version = re.search(r'(?m)^version: "?([^"\n]*)"?$', front).group(1)
            front += (f"approved-by:\n  - {{name: Dr Ann Lee, role: Clinical lead, date: {date}, "
                      f"version: \"{version}\"}}\n")
            if lang != RELEASE_LANGUAGES[0]:
                front += f"translation-of: {original}.md\ntranslated-from-version: \"1.0\"\n"
            path.write_text(f"---\n{front}---\n{body}", encoding="utf-8")
            sources.append(path)
    return sources


def pipeline_release(library: Path, out: Path, today: dt.date) -> list[str | Path]:
    """The archive inside ``out``, so a round that empties ``out`` releases from nothing."""
    return [PYTHON, "-m", "pipeline", "release", library, "--out", out, "--today", today.isoformat(),
            "--formats", RELEASE_FORMATS, "--archive", out / "archive"]


def change_leaflet(source: Path, round_number: int) -> None:
    """One word, and the version raised and signed off (a released version is never changed
    in place, and a sign-off approves one version), so the release publishes it."""
    old, new = WATCH_EDITS if round_number % 2 else reversed(WATCH_EDITS)
    text = source.read_text(encoding="utf-8").replace(old, new, 1)
    version = f"1.{round_number}"
    text = re.sub(r'(?m)^version: .*$', f'version: "{version}"', text, count=1)
    date = re.search(r"(?m)^date: (.*)$", text).group(1)
    text = text.replace("approved-by:\n", "approved-by:\n  - {name: Dr Ann Lee, role: Clinical lead, "
                        f"date: {date}, version: \"{version}\"}}\n", 1)
    source.write_text(text, encoding="utf-8")


def rebuilt_stems(build_dir: Path, since: float) -> list[str]:
    """The leaflets whose build stamp the last release wrote (the stamp is written after
    the leaflet's outputs)."""
    suffix = ".build.json"
    return sorted(path.name[:-len(suffix)] for path in build_dir.glob(f"*{suffix}")
                  if path.stat().st_mtime >= since)


def measure_release(work: Path, size: int, rounds: int
                    ) -> tuple[Measure, Measure, Measure, Measure, Measure]:
    """Raw pandoc pairs and full releases, interleaved; then, interleaved, a release after one
    leaflet changed and that leaflet's own build of the same outputs."""
    today = dt.date.today()
    library = work / "release-library"
    release_library(library, size, today)
    out = work / "release-out"
    raw = article_copy(work / "release-raw", "sciatica-massage")  # not in the library's folder
    env = environment()
    raw_pdf_runs, raw_epub_runs, full = Measure(), Measure(), Measure()
    for round_number in range(rounds + 1):  # round 0 warms the caches
        shutil.rmtree(out, ignore_errors=True)
        timings = (run(raw_pdf(raw), raw.parent, env), run(raw_epub(raw), raw.parent, env),
                   run(pipeline_release(library, out, today), PROJECT, env))
        if round_number:
            for measure, timing in zip((raw_pdf_runs, raw_epub_runs, full), timings):
                measure.add(*timing)
        progress(f"release of {size}x{len(RELEASE_LANGUAGES)}, round {round_number}/{rounds}")
    changed = library / f"{RELEASE_CHANGED}.md"
    again, own = Measure(), Measure()
    for round_number in range(1, rounds + 2):  # the first round warms the caches
        change_leaflet(changed, round_number)
        started = time.time()
        release_timing = run(pipeline_release(library, out, today), PROJECT, env)
        rebuilt = rebuilt_stems(out / "build", started)
        if rebuilt != [RELEASE_CHANGED]:
            raise SystemExit(f"bench: after {changed.name} changed, the release built {rebuilt}")
        own_timing = run([PYTHON, "-m", "pipeline", "build", changed, "--to", "pdf,epub",
                          "--edition", RELEASE_EDITIONS, "--out", work / "release-own-out"],
                         PROJECT, env)
        if round_number > 1:
            again.add(*release_timing)
            own.add(*own_timing)
        progress(f"release after one change, round {round_number - 1}/{rounds}")
    return raw_pdf_runs, raw_epub_runs, full, again, own


def release_rows(release: tuple[Measure, ...], size: int) -> list[Row]:
    raw_pdf_runs, raw_epub_runs, full, again, own = release
    leaflets = size * len(RELEASE_LANGUAGES)
    pair = raw_pdf_runs.median + raw_epub_runs.median
    pairs = leaflets * pair
    languages = "+".join(RELEASE_LANGUAGES)
    return [Row(f"release {size}x{len(RELEASE_LANGUAGES)} ({languages})", full.span(),
                f"{leaflets} raw pairs = {pairs:.1f} s", full.median / pairs, 1, "x",
                cpu_text(full, leaflets * (raw_pdf_runs.cpu_median + raw_epub_runs.cpu_median))),
            Row("release, one leaflet changed", again.span(),
                f"over its own build {own.median:.2f} s, same run", again.median - own.median, 2,
                "s", cpu_text(again, own.cpu_median))]


def wait_for(lines: queue.Queue, start: str, timeout: float) -> str:
    deadline = time.monotonic() + timeout
    while True:
        line = lines.get(timeout=max(0.0, deadline - time.monotonic()))
        if line.startswith(start):
            return line
        if line.startswith("error"):
            raise SystemExit(f"bench: the watcher reported {line.strip()}")


def progress(message: str) -> None:
    print(f"  {message}", file=sys.stderr, flush=True)


# --- the table ---------------------------------------------------------------------------------------

def rows(single, library, make, growth, watch, size: int, jobs: int, braille=None) -> list[Row]:
    pdf, epub, ours = single
    pair = pdf.median + epub.median
    raw_text = f"raw pandoc pdf {pdf.median:.2f} + epub {epub.median:.2f} s = {pair:.2f} s"
    raw_cpu = pdf.cpu_median + epub.cpu_median
    table = [Row("one leaflet, cold (pdf+epub)", ours.span(), raw_text, ours.median / pair, SINGLE_LIMIT, "x",
                 cpu_text(ours, raw_cpu))]
    if library is None:  # --only single
        return table
    table += library_rows(single, library, size)
    fifty = size * pair
    if make:
        built, noop = make
        table.append(Row(f"library of {size}, make -j{jobs}", built.span(),
                         f"{size} raw pairs = {fifty:.1f} s", built.median / fifty, 0.3, "x",
                         cpu_text(built, size * raw_cpu)))
    if watch:
        table.append(watch_row(watch))
    one = growth[1].median
    for repeat, measure in growth.items():
        if repeat > 1:
            table.append(Row(f"growth {repeat}x: time", measure.span(),
                             f"1x = {one:.2f} s (limit {repeat}x)", measure.median / one, repeat, "x"))
    largest = max(growth)
    table.append(Row(f"growth {largest}x: peak memory", f"{growth[largest].peak_bytes / MEGABYTE:.0f} MB",
                     "largest process", growth[largest].peak_bytes / MEGABYTE, 300, "MB"))
    if make:
        table.append(Row("make, nothing to do", noop.span(), "-", noop.median, 0.1, "s"))
    if braille:
        stage, braille_pdf = braille
        table.append(Row("braille (brf), the stage", stage.span(),
                         f"raw pandoc pdf {braille_pdf.median:.2f} s", stage.median, 1, "s"))
    return table


def library_rows(single, library: Measure, size: int) -> list[Row]:
    pdf, epub, _ = single
    pairs = size * (pdf.median + epub.median)
    return [Row(f"library of {size}, one command", library.span(),
                f"{size} raw pairs = {pairs:.1f} s", library.median / pairs, LIBRARY_LIMIT, "x",
                cpu_text(library, size * (pdf.cpu_median + epub.cpu_median)))]


def watch_row(watch: Measure) -> Row:
    return Row("live preview, one-word edit", watch.span(), "-", watch.median, WATCH_LIMIT, "s")


def cpu_text(measure: Measure, baseline: float) -> str:
    """CPU time says what the machine's load hides: with no core free, wall time is CPU time."""
    return f"{measure.cpu_median:.1f}/{baseline:.1f} s" if measure.cpu else ""


def as_text(table: list[Row], header: str) -> str:
    widths = (32, 24, 44, 9, 8)
    lines = [header, "",
             f"{'target':{widths[0]}} {'median (min-max)':{widths[1]}} {'baseline, same run':{widths[2]}} "
             f"{'value':>{widths[3]}} {'limit':>{widths[4]}}  holds  cpu ours/raw"]
    for row in table:
        value = f"{row.value:.2f}{row.unit}" if row.unit == "x" else f"{row.value:.2f} {row.unit}"
        limit = ("-" if row.limit is None else f"<={row.limit:g}{row.unit}" if row.unit == "x"
                 else f"<={row.limit:g} {row.unit}")
        lines.append(f"{row.target:{widths[0]}} {row.measured:{widths[1]}} {row.baseline:{widths[2]}} "
                     f"{value:>{widths[3]}} {limit:>{widths[4]}}  {'yes' if row.holds else 'NO ':5}  {row.cpu}".rstrip())
    return "\n".join(lines)


def machine() -> str:
    model = "unknown CPU"
    with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
        for line in cpuinfo:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, {model}, Python {platform.python_version()}"


def harfbuzz_subset() -> bool:
    """Whether WeasyPrint subsets fonts with HarfBuzz (libharfbuzz-subset0) here."""
    probe = "from weasyprint.text.ffi import harfbuzz_subset; print(bool(harfbuzz_subset))"
    answer = subprocess.run([PYTHON, "-c", probe], capture_output=True, text=True)
    return answer.stdout.strip() == "True"


# --- the table in the docs ----------------------------------------------------------------------------

TABLE_START = "<!-- the table below is written by bench/speed.py (make bench): do not edit it by hand -->"
TABLE_END = "<!-- end of the table bench/speed.py writes -->"


class MarkersMissing(Exception):
    """The docs page has lost the comments that say where the table goes."""


def write_docs_table(table: str, page: Path = DOCS_PAGE) -> None:
    """Replace what is between the page's markers by ``table`` (its first line the run's date),
    leaving the rest of the page as it is; written whole or not at all."""
    text = page.read_text(encoding="utf-8")
    start, end = text.find(TABLE_START), text.find(TABLE_END)
    if start < 0 or end < start:
        raise MarkersMissing(f"{page}: the table goes between the lines {TABLE_START!r} and "
                             f"{TABLE_END!r}; put them back, one above the other")
    new = f"{text[:start + len(TABLE_START)]}\n\n```\n{table.rstrip()}\n```\n\n{text[end:]}"
    temporary = page.with_name(f".{page.name}.tmp")
    temporary.write_text(new, encoding="utf-8")
    os.replace(temporary, page)


def docs_from(results: Path, page: Path) -> int:
    """Write a saved run's table (``bench/results.json``'s ``table``) into the docs page."""
    try:
        table = json.loads(results.read_text(encoding="utf-8"))["table"]
        write_docs_table(table, page)
    except (OSError, ValueError, KeyError, TypeError, MarkersMissing) as problem:
        print(f"error: cannot write the table into {page}: {problem}", file=sys.stderr)
        return 1
    print(f"wrote the table of {results} into {page}")
    return 0


# --- main ----------------------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5, help="timed runs after the warm-up")
    parser.add_argument("--library", type=int, default=50, help="leaflets in the library")
    parser.add_argument("--skip-make", action="store_true", help="leave out make -j and make no-op")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    parser.add_argument("--release-library", type=int, default=50,
                        help=f"leaflets in each of the released library's {len(RELEASE_LANGUAGES)} languages")
    parser.add_argument("--only", type=only_rows, default=(), metavar="ROW,...",
                        help=f"only these rows ({', '.join(ONLY_ROWS)}); "
                             "bench/results.json is left as it was")
    parser.add_argument("--only-release", dest="only", action="store_const", const=("release",),
                        help="the same as --only release")
    parser.add_argument("--profile", dest="only", action="store_const", const=("profile",),
                        help="the same as --only profile: writes bench/profile.txt and profile.json")
    parser.add_argument("--chinese", type=Path, default=CHINESE, metavar="FILE",
                        help=f"the Chinese translation to measure (default: {CHINESE.relative_to(PROJECT)})")
    parser.add_argument("--docs", type=Path, default=DOCS_PAGE, metavar="PAGE",
                        help="the page whose table a full run rewrites (default: docs/speed.md)")
    parser.add_argument("--docs-from", type=Path, metavar="RESULTS",
                        help="measure nothing: write the table of a saved run (bench/results.json) "
                             "into the docs page")
    args = parser.parse_args(argv)
    if args.docs_from:
        return docs_from(args.docs_from, args.docs)
    if (not args.only or "chinese" in args.only) and not args.chinese.is_file():
        parser.error(f"{args.chinese} is missing: the Chinese row measures that translation "
                     "(give another with --chinese FILE)")  # now, not after the other rows
    if args.only:
        return only(args)
    jobs = os.cpu_count() or 1
    compile_bytecode(PROJECT / "pipeline")
    work = Path(tempfile.mkdtemp(prefix="leaflet-speed-"))
    started = time.perf_counter()
    try:
        single = measure_single(work, args.rounds)
        library, _ = measure_library(work, args.library, max(1, args.rounds // 2))
        make = None if args.skip_make else measure_make(work, jobs)
        watch = measure_watch(work, edits=watch_edits(args.rounds))
        growth = measure_growth(work, max(1, args.rounds // 2))
        braille = measure_braille(work, args.rounds)
        audio = measure_audio(work, max(1, args.rounds // 2))
        chinese = measure_chinese(work, max(1, args.rounds // 2), args.chinese)
        release = measure_release(work, args.release_library, max(1, args.rounds // 2))
        text_layer = measure_text_layer(work, args.rounds)
        typst = measure_typst(work, max(1, args.rounds // 2))
        floor = measure_floor(work, args.rounds)
        profile = measure_profile(work, args.rounds)
    finally:
        if args.keep:
            progress(f"work folder kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    table = rows(single, library, make, growth, watch, args.library, jobs, braille)
    table += audio_rows(audio)
    table += chinese_rows(chinese)
    table += release_rows(release, args.release_library)
    table += text_layer_rows(text_layer)
    table += typst_rows(typst)
    table += floor_rows(floor, single, typst, args.library)
    subsetting = "HarfBuzz" if harfbuzz_subset() else "fontTools (no libharfbuzz-subset0)"
    header = (f"{dt.date.today().isoformat()}, {machine()}; fonts subset by {subsetting}; "
              f"{args.rounds} rounds; bench took {time.perf_counter() - started:.0f} s")
    text = as_text(table, header) + "\n" + floor_text(floor)
    print(text)
    print("\n" + write_profile(profile))
    RESULTS.write_text(json.dumps({
        "date": dt.date.today().isoformat(), "machine": machine(), "font_subsetting": subsetting,
        "rounds": args.rounds, "rows": [{**asdict(row), "holds": row.holds} for row in table],
        "cpu": {"raw_pdf": single[0].cpu, "raw_epub": single[1].cpu, "single": single[2].cpu,
                "library": library.cpu},
        "timings": {"raw_pdf": single[0].runs, "raw_epub": single[1].runs, "single": single[2].runs,
                    "library": library.runs, "watch": watch.runs if watch else None,
                    **{f"growth_{k}x": m.runs for k, m in growth.items()},
                    **({"make_j": make[0].runs, "make_noop": make[1].runs} if make else {}),
                    "braille_stage": braille[0].runs, "braille_raw_pdf": braille[1].runs,
                    "audio_pdf": audio[0].runs, "mp3": audio[1].runs,
                    "narrated_epub": audio[2].runs,
                    "chinese_english_pdf": chinese[0].runs, "chinese_pdf": chinese[1].runs,
                    **dict(zip(("release_raw_pdf", "release_raw_epub", "release_full",
                                "release_one_changed", "release_own_build"),
                               (measure.runs for measure in release))),
                    **{f"text_layer_{name}_{side}": measure.runs
                       for name, pair in text_layer.items()
                       for side, measure in zip(("with", "without"), pair)},
                    **dict(zip(("typst_raw_pdf", "typst_our_pdf", "typst_our_library"),
                               (measure.runs for measure in typst)))},
        "floor": asdict(floor),
        "table": text}, indent=2) + "\n", encoding="utf-8")
    try:
        write_docs_table(text, args.docs)
    except (OSError, MarkersMissing) as problem:  # the run is kept in bench/results.json
        print(f"error: {problem}; then: bench/speed.py --docs-from {RESULTS}", file=sys.stderr)
        return 1
    progress(f"wrote the table into {args.docs}")
    return 0 if all(row.holds for row in table) else 1


ONLY_ROWS = ("single", "library", "typst", "floor", "profile", "watch", "chinese", "release",
             "text-layer")


def only_rows(value: str) -> tuple[str, ...]:
    chosen = tuple(dict.fromkeys(name.strip() for name in value.split(",") if name.strip()))
    if not chosen or any(name not in ONLY_ROWS for name in chosen):
        raise argparse.ArgumentTypeError(f"choose from {', '.join(ONLY_ROWS)} (comma-separated)")
    return chosen


def only(args: argparse.Namespace) -> int:
    """The rows asked for alone, printed; bench/results.json is not touched."""
    compile_bytecode(PROJECT / "pipeline")
    work = Path(tempfile.mkdtemp(prefix="leaflet-speed-"))
    started = time.perf_counter()
    rounds = max(1, args.rounds // 2)
    table: list[Row] = []
    profile = None
    try:
        # The library's baseline is single's; the floor's are single's and typst's.
        if {"single", "library", "floor"} & set(args.only):
            single = measure_single(work, args.rounds)
            table += rows(single, None, None, None, None, args.library, 0)[:1]
        if "library" in args.only:
            library, _ = measure_library(work, args.library, rounds)
            table += library_rows(single, library, args.library)
        if {"typst", "floor"} & set(args.only):
            typst = measure_typst(work, rounds)
            table += typst_rows(typst)
        if "floor" in args.only:
            floor = measure_floor(work, args.rounds)
            table += floor_rows(floor, single, typst, args.library)
        if "profile" in args.only:
            profile = measure_profile(work, args.rounds)
        if "watch" in args.only:
            table.append(watch_row(measure_watch(work, edits=watch_edits(args.rounds))))
        if "chinese" in args.only:
            table += chinese_rows(measure_chinese(work, rounds, args.chinese))
        if "release" in args.only:
            table += release_rows(measure_release(work, args.release_library, rounds),
                                  args.release_library)
        if "text-layer" in args.only:
            table += text_layer_rows(measure_text_layer(work, args.rounds))
    finally:
        if args.keep:
            progress(f"work folder kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    if table:
        print(as_text(table, f"{dt.date.today().isoformat()}, {machine()}; {', '.join(args.only)} "
                             f"rows only; {args.rounds} rounds; bench took "
                             f"{time.perf_counter() - started:.0f} s"))
    if "floor" in args.only:
        print(floor_text(floor))
    if profile is not None:
        print(("\n" if table else "") + write_profile(profile))
    return 0 if all(row.holds for row in table) else 1


if __name__ == "__main__":
    sys.exit(main())
