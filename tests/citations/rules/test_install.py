"""How the rules are installed into citeproc-py (``pipeline.citations.rules``): one table, each
attribute replaced once, only the citeproc-py release they were written for."""
from __future__ import annotations

import re
import types
from pathlib import Path

import pytest

from pipeline.citations import rules
from pipeline.citations.rules.state import render_state
from pipeline.citations.rules import CITEPROC_PY_VERSION
from pipeline.config import PROJECT_ROOT
from pipeline.errors import SetupError

from rule_styles import SMITH, cite_texts, citation_only, render_markdown


def test_no_citeproc_attribute_is_replaced_twice() -> None:
    """Where two rules touch one method, one replacement does both steps."""
    seen: dict[tuple[int, str], str] = {}
    twice = []
    for patch in rules.PATCHES:
        owner, name = patch.owner_and_name()
        if (id(owner), name) in seen:
            twice.append(f"{seen[id(owner), name]} and {patch.target}")
        seen[id(owner), name] = patch.target
    assert twice == []


def test_every_patch_says_why_it_comes_where_it_does() -> None:
    assert [patch.target for patch in rules.PATCHES if not patch.why.strip()] == []


def test_after_install_each_attribute_is_the_tables_function() -> None:
    rules.install()
    for patch in rules.PATCHES:
        owner, name = patch.owner_and_name()
        original, replacement = rules.RULES.installed[patch.target]
        assert getattr(owner, name) is replacement, patch.target
        if not patch.wraps:
            assert replacement is patch.rule, patch.target
        # A wrapper wraps citeproc-py's own method, never another rule's replacement.
        assert origin(original, owner).startswith("citeproc"), patch.target


def origin(original: object, owner: object) -> str:
    """The module an attribute comes from; for one without (a table such as ``NAMES``, a
    method a citeproc-py class inherits from ``dict``), its owner's."""
    module = getattr(original, "__module__", None)
    if module:
        return module
    return owner.__name__ if isinstance(owner, types.ModuleType) else owner.__module__


def test_install_is_idempotent() -> None:
    rules.install()
    before = {patch.target: getattr(*patch.owner_and_name()) for patch in rules.PATCHES}
    rules.install()
    after = {patch.target: getattr(*patch.owner_and_name()) for patch in rules.PATCHES}
    assert after == before
    assert len(rules.RULES.installed) == len(rules.PATCHES)


def test_the_installed_citeproc_py_is_the_one_the_rules_need() -> None:
    rules.check_citeproc_version()  # the installed one: no error


def test_another_citeproc_py_is_refused_with_the_versions_and_the_fix() -> None:
    with pytest.raises(SetupError) as raised:
        rules.check_citeproc_version("0.12.0")
    error = raised.value
    assert error.exit_code == 1
    message = str(error.located(Path("article.md"), 3))  # no file of the user's is at fault
    assert message.startswith("citeproc-py 0.12.0 is installed, but the pipeline's citation rules are "
                              f"written for citeproc-py {CITEPROC_PY_VERSION}")
    assert f"pip install citeproc-py=={CITEPROC_PY_VERSION}" in message
    assert "make setup" in message


def test_pyproject_pins_the_citeproc_py_the_rules_need() -> None:
    pyproject = (PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert re.findall(r'"citeproc-py==([^"]+)"', pyproject) == [CITEPROC_PY_VERSION]


def test_nothing_of_a_rendering_is_left_in_the_render_state(tmp_path: Path) -> None:
    """The rules' state of one citation (author watch, substitutions, month gender) ends with it."""
    layout = ('<names variable="author"><name form="short"/><substitute><text variable="title"/>'
              '</substitute></names><date variable="issued" prefix=" "><date-part name="day" form="ordinal"/>'
              '</date>')
    doc = render_markdown(tmp_path, citation_only(layout), "@smith says, and [-@smith]", [SMITH])
    assert cite_texts(doc) == ["Smith 5th", "5th"]
    state = render_state()
    assert (state.names_watch, state.pending_substitutions, state.month_gender, state.recorders) == \
        (None, None, None, [])
