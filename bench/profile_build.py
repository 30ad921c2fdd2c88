"""Where a cold build's CPU time goes, stage by stage.

    python bench/profile_build.py ARTICLE OUT_DIR [--to pdf,epub]

Runs one cold build (``python -m pipeline build ARTICLE --to pdf,epub``) in this
fresh process under cProfile, timed by CPU time (``time.process_time``: this
process's user + system time, so what other processes on a loaded machine do
is not counted), and prints JSON: the CPU time of the imports ``python -m
pipeline`` starts with (measured before the profiler starts), for each stage
the cumulative CPU time of the function that does it under the profiler, and
the CPU time of the child processes (pandoc). The profiler's own cost inflates
its times, most where the calls are many and short (layout, CSS, citations) and
hardly at all in C (Pango, fontconfig, zlib): read them as shares of the profiled
total, beside the CPU time of the same build without the profiler, which
``bench/speed.py --profile`` measures in the same run.

One difference from the command line: the PDF is written in this process, not
in the forked helper a cold build starts (``printed.pdf.PdfHelper``), so that
one profile sees every stage; the helper's warm-up (WeasyPrint imported, the
stylesheets parsed) and rehearsal are run here too, first, as the helper runs
them before the HTML is ready. The CPU work is the same.

``bench/speed.py --profile`` runs this several times and writes the medians
to ``bench/profile.txt`` and ``bench/profile.json``.
"""
from __future__ import annotations

import cProfile
import json
import pstats
import resource
import sys
import time

# Stage: the functions whose cumulative time it is, as (file ending, function name).
# A stage's time includes the stages it calls (WeasyPrint's layout includes its
# font look-ups; the PDF's writing includes drawing and the fonts' subsetting).
STAGES: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    ("reading the front matter", (("pipeline/article/front_matter.py", "load_article"),)),
    ("pandoc: markdown to AST (waiting)", (("pipeline/pandoc/run.py", "read"),)),
    ("safety (made_safe)", (("pipeline/article/safety.py", "made_safe"),)),
    ("references read", (("pipeline/article/references.py", "load_references"),)),
    ("CSL style found and read", (("pipeline/citations/csl_styles.py", "resolve_csl_style"),)),
    ("words in the leaflet's language (YAML)", (("pipeline/theme/strings.py", "strings_for"),)),
    ("citations (citeproc-py)", (("pipeline/citations/engine.py", "process_citations"),)),
    ("all of prepare (the above, and their imports)", (("pipeline/build.py", "prepare"),)),
    ("glyph coverage check (fontconfig)", (("pipeline/printed/glyph_coverage.py", "check_glyph_coverage"),)),
    ("HTML body (pandoc, waiting)", (("pipeline/printed/html.py", "html_body"),)),
    ("HTML page (Jinja2)", (("pipeline/printed/html.py", "render_html"),)),
    ("import WeasyPrint", (("pipeline/printed/pdf.py", "import_weasyprint"),)),
    ("stylesheets parsed + FontConfiguration", (("pipeline/printed/pdf.py", "parse_styles"),)),
    ("rehearsal (the helper's sample page)", (("pipeline/printed/pdf.py", "rehearse"),)),
    ("PDF: the whole of write_pdf", (("weasyprint/__init__.py", "write_pdf"),)),
    ("  HTML parsed, styles cascaded, boxes built", (("weasyprint/document.py", "_build_layout_context"),)),
    ("  layout", (("weasyprint/layout/__init__.py", "layout_document"),)),
    ("  fonts: WeasyPrint's fontconfig/Pango set-up", (("weasyprint/text/fonts.py", "__init__"),
                                                       ("weasyprint/text/fonts.py", "add_font_face"))),
    ("  text shaping (Pango)", (("weasyprint/text/line_break.py", "split_first_line"),)),
    ("  PDF writing (drawing, fonts, pydyf)", (("weasyprint/document.py", "write_pdf"),)),
    ("    drawing pages", (("weasyprint/draw/__init__.py", "draw_page"),)),
    ("    fonts embedded and subset", (("weasyprint/pdf/fonts.py", "build_fonts_dictionary"),)),
    # The hooks' inner functions (tagging.py wraps WeasyPrint's own): rename them here
    # when the text layer's hooks move or change names.
    ("    tagging hook (page furniture as artifacts)", (("pipeline/printed/tagging.py", "marked_or_artifact"),)),
    ("    text layer (ActualText for what a glyph map loses)", (("pipeline/printed/text_layer.py", "actual_text"),)),
    ("EPUB (pandoc started, then written)", (("pipeline/epub/writer.py", "__init__"),
                                            ("pipeline/epub/writer.py", "write"))),
    ("all of build()", (("pipeline/build.py", "build"),)),
)


def stage_times(stats: pstats.Stats) -> dict[str, float]:
    table = stats.stats  # (file, line, name) -> (calls, primitive calls, own, cumulative, callers)
    times = {}
    for stage, functions in STAGES:
        total = 0.0
        for ending, name in functions:
            total += sum(entry[3] for (file, _, function), entry in table.items()
                         if function == name and file.endswith(ending))
        times[stage] = total
    return times


def main(argv: list[str]) -> int:
    article, out = argv[0], argv[1]
    to = argv[3] if len(argv) > 3 and argv[2] == "--to" else "pdf,epub"
    started = time.process_time()
    import pipeline.__main__ as command_line  # the imports a cold build pays for
    imports = time.process_time() - started
    from pathlib import Path

    from pipeline.config import Settings
    from pipeline.printed.editions import EDITIONS
    from pipeline.printed import pdf
    pdf.HELPER["started"] = True  # write the PDF here, where the profile sees it
    settings = Settings(out_dir=Path(out))
    profile = cProfile.Profile(time.process_time)
    profile.enable()
    if "pdf" in to:
        source = Path(article)
        stylesheets = EDITIONS["standard"].stylesheets(settings.theme_dir, settings.paper)
        pdf.PROCESS_WRITER.warm_up(stylesheets, settings, source.parent, source)
        pdf.PROCESS_WRITER.rehearse(stylesheets, settings, source.parent, source)
    code = command_line.main(["build", article, "--to", to, "--out", out])
    profile.disable()
    from pipeline.pandoc.session import SESSION
    SESSION.stop()  # waited for, so that the pandoc kept running counts among the children
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    stats = pstats.Stats(profile)
    print(json.dumps({"code": code, "imports_cpu": imports, "profiled_cpu": stats.total_tt,
                      "children_cpu": children.ru_utime + children.ru_stime,
                      "stages": stage_times(stats)}))
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
