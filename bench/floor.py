"""What WeasyPrint and pandoc alone take for the leaflet: the floor under our speed rows.

    python bench/floor.py capture ARTICLE SPEC_DIR [--rounds N]
    python bench/floor.py weasyprint SPEC_DIR [--rounds N]
    python bench/floor.py preview ARTICLE OUT_DIR OLD NEW [--rounds N]

Nearly all of a build's time is spent in two programs the pipeline does not own: WeasyPrint
lays out and draws the PDF, pandoc reads the Markdown and writes the EPUB. The targets of
``bench/speed.py`` are ratios against raw pandoc; this says how much of a target those two
programs use up on their own, so that a row that is not met can be told apart from a row
that cannot be met with this WeasyPrint and this pandoc.

``capture`` builds ARTICLE (``--to pdf,epub``) in this process, once to warm up and then
N times, and prints JSON: the CPU time of pandoc's processes per build (the EPUB writer
that each build starts, and the pandoc kept running that reads the Markdown and writes
the HTML). It saves the first build's HTML and the stylesheets it was written with in
SPEC_DIR.

``weasyprint`` is a fresh process that imports WeasyPrint as the pipeline does (its C
libraries' look-ups and declarations from the cache, ``printed/native_libraries.py``: a
plain ``import weasyprint`` takes twice as long), parses those stylesheets as a build
does (``printed.pdf.parse_styles``), writes the PDF (cold), then writes it N times more
(warm), and prints JSON: the wall time of the import, of the stylesheets and of the cold
PDF, and the median CPU time of a warm PDF.
The pipeline's own work around WeasyPrint (the text layer above all) is not there: this
is WeasyPrint alone, a little less than a build asks of it.

``preview`` builds ARTICLE as the live preview does (``live_preview/shortcuts.py``: the
layouts kept, so that WeasyPrint lays out again only the pages an edit touched), then
swaps the words OLD and NEW in it back and forth N times, rebuilding after each, and
prints JSON: the median wall time of WeasyPrint's part of a rebuild (laying out what
changed, drawing every page, writing the PDF).
It writes into ARTICLE: give it a copy.
"""
from __future__ import annotations

import json
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SPEC = "spec.json"
HTML = "leaflet.html"


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def capture(article: Path, spec_dir: Path, rounds: int) -> dict:
    from pipeline.build import build
    from pipeline.config import Settings
    from pipeline.pandoc.session import SESSION
    from pipeline.printed import pdf

    pdf.import_weasyprint()  # the PDF is written here, not in a helper process
    saved = {}
    original_write = pdf.PdfWriter.write

    def write(self, html, target, article, settings, stylesheet_files):
        saved.setdefault("html", html)
        saved.setdefault("source", str(article.path))
        saved.setdefault("stylesheets", [str(path) for path in stylesheet_files])
        return original_write(self, html, target, article, settings, stylesheet_files)

    pdf.PdfWriter.write = write
    settings = Settings(formats=("pdf", "epub"), out_dir=spec_dir / "out")
    build(article, settings)
    before = children_cpu()
    epub_writer = []
    for _ in range(rounds):
        started = children_cpu()
        build(article, settings)
        epub_writer.append(children_cpu() - started)  # each build waits for its EPUB's pandoc
    SESSION.stop()  # waited for: the pandoc kept running is now among the children
    # It served every build, the first one too (its own start-up is shared out with them).
    kept = (children_cpu() - before - sum(epub_writer)) / (rounds + 1)
    spec_dir.mkdir(parents=True, exist_ok=True)
    (spec_dir / HTML).write_text(saved.pop("html"), encoding="utf-8")
    (spec_dir / SPEC).write_text(json.dumps(saved, indent=2), encoding="utf-8")
    return {"epub_writer_cpu": statistics.median(epub_writer), "kept_pandoc_cpu": kept}


def weasyprint_alone(spec_dir: Path, rounds: int) -> dict:
    from pipeline.config import Settings
    from pipeline.printed.pdf import PDF_VARIANT, import_weasyprint, parse_styles, with_font_stacks
    spec = json.loads((spec_dir / SPEC).read_text(encoding="utf-8"))
    source, files, settings = Path(spec["source"]), [Path(path) for path in spec["stylesheets"]], Settings()
    with_font_stacks(files, settings)  # our syntax check of each stylesheet, kept: not WeasyPrint's time
    started = time.perf_counter()
    weasyprint = import_weasyprint()
    imported = time.perf_counter()
    styles = parse_styles(files, settings, source.parent, source)
    parsed = time.perf_counter()
    html = (spec_dir / HTML).read_text(encoding="utf-8")

    def write() -> None:
        weasyprint.HTML(string=html, base_url=str(source.parent) + "/").write_pdf(
            spec_dir / "alone.pdf", stylesheets=styles.stylesheets, font_config=styles.font_config,
            pdf_variant=PDF_VARIANT, uncompressed_pdf=False)

    write()
    written = time.perf_counter()
    warm = []
    for _ in range(rounds):
        cpu = time.process_time()
        write()
        warm.append(time.process_time() - cpu)
    return {"import_wall": imported - started, "styles_wall": parsed - imported,
            "cold_pdf_wall": written - parsed, "warm_pdf_cpu": statistics.median(warm)}


def preview(article: Path, out: Path, old: str, new: str, rounds: int) -> dict:
    import weasyprint
    from pipeline.build import build
    from pipeline.config import Settings
    from pipeline.live_preview.shortcuts import PreviewShortcuts

    settings = Settings(out_dir=out)  # what `python -m pipeline watch` builds by default
    shortcuts = PreviewShortcuts(settings)
    weasyprint_part: list[float] = []
    original = weasyprint.HTML.write_pdf

    def write_pdf(self, *args, **kwargs):
        started = time.perf_counter()
        try:
            return original(self, *args, **kwargs)
        finally:
            weasyprint_part.append(time.perf_counter() - started)

    weasyprint.HTML.write_pdf = write_pdf
    build(article, settings, shortcuts)
    text = article.read_text(encoding="utf-8")
    rebuilds = []
    for edit in range(rounds):
        text = text.replace(old, new, 1) if edit % 2 == 0 else text.replace(new, old, 1)
        article.write_text(text, encoding="utf-8")
        weasyprint_part.clear()
        build(article, settings, shortcuts)
        rebuilds.append(sum(weasyprint_part))
    return {"weasyprint_wall": statistics.median(rebuilds)}


def main(argv: list[str]) -> int:
    rounds = int(argv[argv.index("--rounds") + 1]) if "--rounds" in argv else 5
    if argv[:1] == ["capture"] and len(argv) >= 3:
        print(json.dumps(capture(Path(argv[1]), Path(argv[2]), rounds)))
    elif argv[:1] == ["weasyprint"] and len(argv) >= 2:
        print(json.dumps(weasyprint_alone(Path(argv[1]), rounds)))
    elif argv[:1] == ["preview"] and len(argv) >= 5:
        print(json.dumps(preview(Path(argv[1]), Path(argv[2]), argv[3], argv[4], rounds)))
    else:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
