"""Limits on what an article pulls in (issue 19): bibliographies, CSL files and images over
their size, or standing for more than it once expanded, are a clear error within seconds,
and the whole build's memory stays well under 1 GB.

The hostile files are run for real through ``python -m pipeline build`` in a child process;
its largest process's peak memory (the pipeline or a pandoc it started) is read with
``resource.getrusage(RUSAGE_CHILDREN)`` by a small wrapper process, so the figure is this
build's alone.
"""
from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline import Settings, build
from pipeline.limits import (MAX_BIBLIOGRAPHY_BYTES, MAX_BIBTEX_BYTES, MAX_CSL_BYTES,
                             MAX_IMAGE_BYTES, PANDOC_MAX_HEAP_MB)
from pipeline.errors import BibliographyError, SourceError, StyleError
from pipeline.pandoc.run import run_pandoc

QUICK_SECONDS = 30  # generous: each of these ends in a second or two
BOUNDED_KB = 700 * 1024  # "well under 1 GB" for the whole build

MEASURED = """
import resource, subprocess, sys, time
started = time.monotonic()
run = subprocess.run(sys.argv[1:], capture_output=True, text=True)
print(run.returncode, time.monotonic() - started,
      resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
print(run.stderr)
"""


def measured(*command: str) -> tuple[int, float, int, str]:
    """Run ``command`` in its own process: exit code, seconds, peak memory (kB) of its
    largest process, standard error."""
    out = subprocess.run([sys.executable, "-c", MEASURED, *command], capture_output=True,
                         text=True, timeout=300, check=True).stdout
    first, stderr = out.split("\n", 1)
    code, seconds, peak = first.split()
    return int(code), float(seconds), int(peak), stderr


def build_measured(article: Path, out: Path) -> tuple[int, float, int, str]:
    return measured(sys.executable, "-m", "pipeline", "build", str(article), "--to", "pdf,epub",
                    "--out", str(out))


def leaflet(folder: Path, bibliography: str, body: str = "Heat helps [@lee2020].\n",
            more: str = "") -> Path:
    article = folder / "leaflet.md"
    article.write_text(f"---\ntitle: Back pain\nbibliography: {bibliography}\n{more}---\n\n{body}",
                       encoding="utf-8")
    return article


def doubling_strings(levels: int) -> str:
    """A BibTeX file of 1.5 kB whose last @string stands for 2^levels kB of text."""
    lines = ['@string{s0 = "' + "x" * 1000 + '"}']
    lines += [f"@string{{s{n} = s{n - 1} # s{n - 1}}}" for n in range(1, levels + 1)]
    lines.append(f"@article{{lee2020, author = {{Lee, Ann}}, title = s{levels}, "
                 "journal = {J Physio}, year = {2020}}")
    return "\n".join(lines) + "\n"


def test_a_bibtex_file_whose_strings_expand_to_a_gigabyte_is_refused_quickly(tmp_path):
    (tmp_path / "refs.bib").write_text(doubling_strings(20), encoding="utf-8")
    code, seconds, peak, stderr = build_measured(leaflet(tmp_path, "refs.bib"), tmp_path / "out")
    assert code == 1, stderr
    assert (f"{tmp_path / 'refs.bib'}, line 11: the abbreviation @string{{s10}} stands for more "
            "than 1 MB of text; a leaflet's references need a few kilobytes") in stderr
    assert "How to fix: write the journal names and other abbreviations out" in stderr
    assert seconds < QUICK_SECONDS and peak < BOUNDED_KB, (seconds, peak)
    assert not (tmp_path / "out").exists()


def test_strings_used_many_times_over_are_added_up_where_they_are_used(tmp_path):
    """Each @string is small (200 kB); a field using it six times, and nested in
    parentheses and quotes, stands for more than the limit."""
    text = ('@string(journal = "' + "Journal of Physiotherapy " * 8000 + '")\n'
            "@string{twice = journal # { and } # journal}\n"
            "@article{lee2020, author = {Lee, Ann}, title = {Heat},\n"
            "  journal = twice # twice # twice, year = 2020}\n")
    (tmp_path / "refs.bib").write_text(text, encoding="utf-8")
    code, seconds, peak, stderr = build_measured(leaflet(tmp_path, "refs.bib"), tmp_path / "out")
    assert code == 1, stderr
    assert (f"{tmp_path / 'refs.bib'}, line 4: with its @string abbreviations expanded, the file "
            "stands for more than 1 MB of text") in stderr
    assert seconds < QUICK_SECONDS and peak < BOUNDED_KB, (seconds, peak)


def test_a_bibtex_file_with_a_30_mb_field_and_nested_strings_is_refused_before_pandoc_reads_it(
        tmp_path):
    """The case that took pandoc four and a half minutes and 3.2 GB."""
    entry = "@article{{lee2020, author = {{Lee, Ann}}, title = {{{title}}}, year = {{2020}}}}\n"
    with (tmp_path / "refs.bib").open("w", encoding="utf-8") as bib:
        bib.write(doubling_strings(8).rsplit("@article", 1)[0])
        bib.write(entry.format(title="x" * 30_000_000))
    code, seconds, peak, stderr = build_measured(leaflet(tmp_path, "refs.bib"), tmp_path / "out")
    assert code == 1
    assert (f"{tmp_path / 'refs.bib'}: the bibliography is 30.0 MB; a leaflet's BibTeX "
            f"bibliography may be at most {MAX_BIBTEX_BYTES / 1_000_000:g} MB") in stderr
    assert "How to fix: export only the references the leaflet cites" in stderr
    assert seconds < QUICK_SECONDS and peak < BOUNDED_KB, (seconds, peak)


def test_pandoc_stops_at_its_memory_limit_with_a_clear_error(tmp_path):
    """Whatever gets past the checks before pandoc (here the same gigabyte of @strings,
    handed to pandoc directly) ends when pandoc's heap reaches its limit, in seconds."""
    (tmp_path / "refs.bib").write_text(doubling_strings(20), encoding="utf-8")
    script = ("import sys; from pathlib import Path; from pipeline.pandoc.run import run_pandoc\n"
              "from pipeline.errors import RenderError\n"
              "try:\n"
              "    run_pandoc(['--from', 'bibtex', '--to', 'csljson'], Path(sys.argv[1]).read_text(),"
              " 120, what='reading refs.bib', file=Path(sys.argv[1]))\n"
              "except RenderError as error:\n"
              "    sys.exit(str(error))\n")
    code, seconds, peak, stderr = measured(sys.executable, "-c", script, str(tmp_path / "refs.bib"))
    assert code == 1
    assert stderr.startswith(f"{tmp_path / 'refs.bib'}: pandoc needed more than its "
                             f"{PANDOC_MAX_HEAP_MB} MB of memory reading refs.bib, and was stopped")
    assert seconds < QUICK_SECONDS and peak < BOUNDED_KB, (seconds, peak)


def test_the_memory_limit_leaves_the_largest_allowed_bibtex_file_readable(tmp_path):
    entry = ("@article{{key{n}, author = {{Smith, John and Doe, Jane}}, title = {{A trial of "
             "massage number {n} in chronic low back pain and sciatica}}, journal = {{J "
             "Physio}}, year = {{2020}}, volume = {{12}}, pages = {{100--120}}}}\n")
    text, n = "", 0
    while len(text) + 200 < MAX_BIBTEX_BYTES:
        text += entry.format(n=n)
        n += 1
    started = time.monotonic()
    output = run_pandoc(["--from", "bibtex", "--to", "csljson"], text, 120, what="reading")
    assert len(json.loads(output)) == n
    assert time.monotonic() - started < QUICK_SECONDS


def test_a_csl_json_bibliography_over_its_size_is_refused(tmp_path):
    references = [{"id": "lee2020", "type": "book", "title": "x" * MAX_BIBLIOGRAPHY_BYTES}]
    (tmp_path / "refs.json").write_text(json.dumps(references), encoding="utf-8")
    with pytest.raises(BibliographyError) as raised:
        build(leaflet(tmp_path, "refs.json"), Settings(out_dir=tmp_path / "out", formats=("epub",)))
    assert str(raised.value).startswith(f"{tmp_path / 'refs.json'}: the bibliography is 5.0 MB; "
                                        "a leaflet's bibliography may be at most 5 MB")


def test_a_yaml_bibliography_whose_aliases_repeat_a_long_title_is_refused(tmp_path):
    """3 kB of YAML: one 1,000-character title, repeated by aliases in 10,000 entries."""
    lines = ["- id: lee2020", f"  title: &long {'x' * 1000}", "  type: book"]
    lines += [f"- {{id: k{n}, title: *long, type: book}}" for n in range(10_000)]
    (tmp_path / "refs.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(BibliographyError) as raised:
        build(leaflet(tmp_path, "refs.yaml", more="nocite: '@*'\n"),
              Settings(out_dir=tmp_path / "out", formats=("epub",)))
    assert "the file is too large to read: it stands for more than 5,000,000 characters of " \
           "text once its aliases (*name) are repeated" in str(raised.value)


def test_a_csl_file_over_its_size_is_refused(tmp_path):
    style = tmp_path / "huge.csl"
    style.write_text('<?xml version="1.0"?>\n<style xmlns="http://purl.org/net/xbiblio/csl">'
                     + "<!--" + "x" * MAX_CSL_BYTES + "-->" + "</style>\n", encoding="utf-8")
    (tmp_path / "refs.json").write_text("[]", encoding="utf-8")
    article = tmp_path / "leaflet.md"
    article.write_text("---\ntitle: Back pain\ncsl: huge.csl\n---\n\nHeat helps.\n", encoding="utf-8")
    with pytest.raises(StyleError) as raised:
        build(article, Settings(out_dir=tmp_path / "out", formats=("epub",)))
    assert str(raised.value).startswith(f"{style}: the CSL file is 1.0 MB; a citation style is at "
                                        "most 1 MB")


def test_an_image_over_its_size_is_refused_before_it_is_opened(tmp_path):
    with (tmp_path / "photo.png").open("wb") as image:
        image.write(b"\x89PNG\r\n\x1a\n")
        image.truncate(MAX_IMAGE_BYTES + 1)
    article = tmp_path / "leaflet.md"
    article.write_text("---\ntitle: Back pain\n---\n\nHeat helps.\n\n![A heat pack](photo.png)\n",
                       encoding="utf-8")
    with pytest.raises(SourceError) as raised:
        build(article, Settings(out_dir=tmp_path / "out", formats=("epub",)))
    assert str(raised.value).startswith(f"{article}, line 7: the image 'photo.png' is 20.0 MB; "
                                        "a leaflet's image may be at most 20 MB")


def test_an_ordinary_bibtex_file_with_strings_still_builds(tmp_path):
    (tmp_path / "refs.bib").write_text(
        '@string{jp = "Journal of Physiotherapy"}\n@STRING{pre = "Proceedings of " # jp}\n'
        "@article{lee2020, author = {Lee, Ann}, title = {Heat for back pain}, journal = jp,\n"
        "  year = 2020, note = pre # { (abridged)}}\n", encoding="utf-8")
    (epub,) = build(leaflet(tmp_path, "refs.bib"), Settings(out_dir=tmp_path / "out", formats=("epub",)))
    import reading_epub
    assert "Journal of Physiotherapy" in reading_epub.epub_text(epub)
