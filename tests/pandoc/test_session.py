"""The pandoc kept running (``pipeline/pandoc/session.py``): it answers byte for byte as
the one-shot ``pandoc --sandbox`` runs do, its failures read the same, a forked process
starts its own, and one that stopped is started again for the next question."""
from __future__ import annotations

import json
import multiprocessing
import time
from pathlib import Path

import pytest

from pipeline.errors import RenderError
from pipeline.pandoc import command
from pipeline.pandoc.run import HTML_ARGS, READ_ARGS, run_pandoc
from pipeline.pandoc.session import SESSION

LEAFLET = Path(__file__).resolve().parents[2] / "source" / "sciatica-massage.md"


def kept_running_answer(what: str, text: str) -> str:
    return SESSION.ask(what, text, 60, doing="reading the article", file=None)


def test_its_answers_are_the_one_shot_pandocs_byte_for_byte():
    markdown = LEAFLET.read_text(encoding="utf-8")
    ast = kept_running_answer("read", markdown)
    assert ast == run_pandoc(READ_ARGS, markdown, 60, what="reading the article")
    assert json.loads(ast)["blocks"]
    html = kept_running_answer("html", ast)
    assert html == run_pandoc(HTML_ARGS, ast, 60, what="writing HTML")
    assert "<h2" in html


def test_what_it_rejects_reads_as_the_one_shot_pandocs_message(tmp_path):
    with pytest.raises(RenderError) as raised:
        SESSION.ask("html", "{not json", 60, doing="writing HTML", file=tmp_path / "a.md")
    assert str(raised.value).startswith(f"{tmp_path / 'a.md'}: pandoc failed writing HTML: ")
    assert "JSON" in str(raised.value)
    assert kept_running_answer("read", "*still* here").count("Emph") == 1  # and it goes on


def test_one_that_stops_gives_what_it_said_and_the_next_question_starts_another(monkeypatch):
    first = SESSION.process
    monkeypatch.setattr(command, "PANDOC_RTS_OPTIONS", ("+RTS", "-Zunheard-of", "-RTS"))
    with pytest.raises(RenderError) as raised:
        kept_running_answer("read", "Some *words*.")
    assert "pandoc failed reading the article: " in str(raised.value)
    assert "-Zunheard-of" in str(raised.value)  # what pandoc said on its way out
    monkeypatch.undo()
    assert "Emph" in kept_running_answer("read", "*again*")
    assert SESSION.process is not first


def pandoc_of_this_process(_: object) -> int:
    SESSION.start()
    return SESSION.process.pid


def test_a_forked_process_asks_a_pandoc_of_its_own():
    SESSION.start()
    with multiprocessing.get_context("fork").Pool(1) as pool:
        child_pandoc = pool.map(pandoc_of_this_process, [None])[0]
    assert child_pandoc != SESSION.process.pid
    assert "Emph" in kept_running_answer("read", "*mine*")


def test_a_long_question_to_a_pandoc_that_hangs_is_stopped_in_time(tmp_path, monkeypatch):
    hanging = tmp_path / "pandoc"
    hanging.write_text("#!/bin/sh\nsleep 30\n", encoding="utf-8")  # reads nothing
    hanging.chmod(0o755)
    monkeypatch.setattr(command, "pandoc_path", lambda: str(hanging))
    monkeypatch.setattr(command, "bundled_pandoc", lambda: str(hanging))
    started = time.monotonic()
    with pytest.raises(RenderError) as raised:
        SESSION.ask("read", "A long article.\n\n" * 50_000, 1, doing="reading the article", file=None)
    assert time.monotonic() - started < 10
    assert str(raised.value).startswith("pandoc took longer than 1 s reading the article")


def test_a_question_whose_answer_is_not_wanted_leaves_the_next_one_its_own_answer():
    """A build that fails while pandoc reads (``build.prepare`` loads its stages meanwhile)
    stops the question: the answer pandoc was writing is never read as the next one's."""
    SESSION.start()
    unwanted = SESSION.asking("read", "*first*", 60, doing="reading the article", file=None)
    unwanted.stop()
    assert SESSION.process is None  # stopped with the answer it was writing
    answer = json.loads(kept_running_answer("read", "**second**"))
    assert answer["blocks"][0]["c"][0]["t"] == "Strong"
    unwanted.stop()  # again: nothing more happens
    assert SESSION.process is not None


def test_questions_wait_their_turn_while_one_is_being_answered():
    asked = SESSION.asking("read", "*first*", 60, doing="reading the article", file=None)
    assert not SESSION.lock.acquire(blocking=False)  # a second question would wait
    assert "Emph" in asked.result()
    assert "Strong" in kept_running_answer("read", "**second**")
