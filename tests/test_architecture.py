"""The package's layers, read from its source: no import circle, and no import running back up.

Every module of ``pipeline`` is imported (each must load on its own), and its imports of
other modules of the package are read with ``ast``: at the top, inside functions (an import
made late to dodge a circle is still a circle) and under ``TYPE_CHECKING`` alike. From them:

- no circle: a module never imports, through any chain, a module that imports it;
- the layers point one way: ``release/``, ``checks/`` and ``live_preview/`` use the build,
  and the command line (``commands.py``, ``__main__.py``) uses them all; nothing else (the
  build and everything below it) imports any of them;
- the article's model (``article/model.py``) imports none of the article's parsers, and
  nothing takes the model's names from a parser that happens to import them.
"""
from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

import pipeline

PACKAGE_DIR = Path(pipeline.__file__).resolve().parent
# Above the build: what only the command line and these layers themselves may import.
UPPER_LAYERS = ("pipeline.release", "pipeline.checks", "pipeline.live_preview")
COMMAND_LINE = ("pipeline.commands", "pipeline.__main__")


def module_files() -> dict[str, Path]:
    """Every module of the package by its dotted name (a package by its own name)."""
    modules = {}
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        parts = ("pipeline",) + path.relative_to(PACKAGE_DIR).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        modules[".".join(parts)] = path
    return modules


MODULES = module_files()


def imported_modules(name: str) -> set[str]:
    """The modules of the package that module ``name`` imports, anywhere in its source."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            source = absolute(node, package)
            # `from . import svg` imports the module svg; `from .svg import clean_svg` the module .svg
            found.update(f"{source}.{alias.name}" if f"{source}.{alias.name}" in MODULES else source
                         for alias in node.names)
    return {module for module in found if module in MODULES and module != name}


def absolute(node: ast.ImportFrom, package: str) -> str:
    if node.level == 0:
        return node.module or ""
    base = package.split(".")[:len(package.split(".")) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


GRAPH = {name: imported_modules(name) for name in MODULES}


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One circle through each back edge a depth-first walk meets, as the chain of modules."""
    found, on_path, done = [], [], set()

    def visit(module: str) -> None:
        on_path.append(module)
        for imported in sorted(graph[module]):
            if imported in on_path:
                found.append(on_path[on_path.index(imported):] + [imported])
            elif imported not in done:
                visit(imported)
        on_path.pop()
        done.add(module)

    for module in sorted(graph):
        if module not in done:
            visit(module)
    return found


def in_layer(module: str, layers: tuple[str, ...]) -> bool:
    return any(module == layer or module.startswith(layer + ".") for layer in layers)


@pytest.mark.parametrize("name", sorted(MODULES))
def test_every_module_imports(name):
    assert importlib.import_module(name).__name__ == name


def test_the_import_graph_is_read_from_every_kind_of_import():
    """The walker sees what the checks below rely on: relative imports of a module and of
    names in it, ``from . import a, b``, late imports inside functions, ``TYPE_CHECKING``."""
    assert {"pipeline.article.model", "pipeline.article.approval",
            "pipeline.config"} <= GRAPH["pipeline.article.front_matter"]
    assert {"pipeline.citations.rules.names", "pipeline.citations.rules.dates"} \
        <= GRAPH["pipeline.citations.rules"]
    assert "pipeline.article.front_matter" in GRAPH["pipeline.build"]  # imported in a function
    assert "pipeline.article.model" in GRAPH["pipeline.build"]  # under TYPE_CHECKING
    assert "pipeline.release.publish" in GRAPH["pipeline.commands"]


def test_no_module_imports_itself_through_others():
    found = circles(GRAPH)
    assert found == [], "import circles: " + "; ".join(" → ".join(chain) for chain in found)


def test_circles_are_found_where_there_are_some():
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c", "a"]]


def test_the_build_and_what_it_uses_never_import_the_layers_above():
    upward = {module: sorted(imported for imported in imported_set
                             if in_layer(imported, UPPER_LAYERS + COMMAND_LINE))
              for module, imported_set in GRAPH.items()
              if not in_layer(module, UPPER_LAYERS + COMMAND_LINE)}
    assert {module: imported for module, imported in upward.items() if imported} == {}
    assert "pipeline.build" in upward


def test_the_article_model_imports_no_parser():
    """The parsers produce the model; the model knows nothing of them (STYLE.md, "A model
    apart from its parser")."""
    parsers = {"pipeline.article.front_matter", "pipeline.article.approval",
               "pipeline.article.clinic"}
    assert all("pipeline.article.model" in GRAPH[parser] for parser in parsers)
    assert {module for module in GRAPH["pipeline.article.model"]
            if in_layer(module, ("pipeline.article",))} == set()


def names_taken_from(name: str, source: str) -> set[str]:
    """The names module ``name`` imports from module ``source`` (``from .x import a, b``)."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    return {alias.name
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
            if isinstance(node, ast.ImportFrom) and absolute(node, package) == source
            for alias in node.names}


def test_the_model_is_imported_from_the_model():
    """``Article`` and the others are imported from ``model.py``, never through the parser
    that produces them: otherwise the parser is the model again for its importers."""
    from pipeline.article import model
    model_names = {name for name, value in vars(model).items()
                   if getattr(value, "__module__", None) == model.__name__} | {"CONTACT_FIELDS"}
    assert {"Article", "Author", "Approval", "ClinicProfile", "latest"} <= model_names
    taken = {(name, source): sorted(names_taken_from(name, source) & model_names)
             for name in MODULES for source in GRAPH[name]
             if in_layer(source, ("pipeline.article",)) and source != "pipeline.article.model"}
    assert {where: names for where, names in taken.items() if names} == {}


def test_only_the_theme_reads_strings_from_a_folder():
    """The words of a language are asked of a ``Theme`` (``theme/folder.py``); a leaflet's
    writers get the article's from its ``LeafletBuild`` (``leaflet.py``). Nothing else calls
    ``strings_for`` with a folder, so the folder is not threaded through the writers again."""
    readers = {name for name in MODULES if "strings_for" in names_taken_from(name, "pipeline.theme.strings")}
    assert {name for name in readers if not in_layer(name, ("pipeline.theme",))} == set()


def test_the_output_writers_take_the_leaflet_build():
    """Every registered writer is called as ``write(leaflet, path)`` (``outputs.Writer``)."""
    import inspect

    from pipeline.outputs import formats
    writers = [fmt.write for fmt in formats() if fmt.write is not None]
    assert writers and all(list(inspect.signature(write).parameters) == ["leaflet", "path"]
                           for write in writers)
