"""Compiled templates kept in the cache folder: the same page from the cache as from
the template, an edited template compiled again, a broken cache never an error."""
from __future__ import annotations

import jinja2

from pipeline.theme.templates import TemplateCodeCache


def environment(templates, cache) -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(templates), autoescape=True,
                              bytecode_cache=TemplateCodeCache(cache))


def test_a_kept_template_renders_as_compiled_and_an_edit_is_compiled_again(tmp_path):
    templates, cache = tmp_path / "templates", tmp_path / "cache" / "templates"
    templates.mkdir()
    page = templates / "page.html"
    page.write_text("<p>{{ words }} &amp; {{ more }}</p>", encoding="utf-8")
    first = environment(templates, cache).get_template("page.html").render(words="Rest", more="<b>")
    assert first == "<p>Rest &amp; &lt;b&gt;</p>"
    assert len(list(cache.iterdir())) == 1  # kept
    kept = environment(templates, cache).get_template("page.html")  # another process's
    assert kept.render(words="Rest", more="<b>") == first
    page.write_text("<p>{{ words }}, edited</p>", encoding="utf-8")
    assert environment(templates, cache).get_template("page.html").render(words="Rest") == \
        "<p>Rest, edited</p>"


def test_a_broken_or_unwritable_cache_is_no_cache(tmp_path):
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "page.html").write_text("{{ 1 + 1 }}", encoding="utf-8")
    cache = tmp_path / "cache"
    assert environment(templates, cache).get_template("page.html").render() == "2"
    for kept in cache.iterdir():
        kept.write_bytes(jinja2.bccache.bc_magic + b"garbage")  # Jinja2 header, then not
    assert environment(templates, cache).get_template("page.html").render() == "2"
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder", encoding="utf-8")
    assert environment(templates, blocked / "templates").get_template("page.html").render() == "2"
