"""No raw Markdown in a leaflet (issue 20): what pandoc leaves as text is an error naming
the line, through the real command line; the same characters escaped, or in code, build."""
from __future__ import annotations

import pytest

from pipeline import Settings, build
from pipeline.__main__ import EXIT_DOCUMENT, main
import reading_pdf
import reading_epub

FRONT = "---\ntitle: Back pain\n---\n\nHeat helps most people.\n\n"  # the body starts on line 5


@pytest.mark.parametrize("body, line, message, fix", [
    ("Use a crutch[^crutch] for a week.\n", 7,
     "the footnote mark '[^crutch]' has no footnote, so it would print as it is written",
     "add the note on a line of its own: '[^crutch]: The note's text.'"),
    ("Rest.[^1]\n\n[^1]: A note.\n\n[^crutch]: Use a crutch.\n", 11,
     "the footnote '[^crutch]' is written but never used, so it would not be in the leaflet",
     "put the mark [^crutch] in the text where the note belongs, or remove the note"),
    ("Read [the NHS page][nhs] on it.\n", 7,
     "the link '[...][nhs]' refers to 'nhs', which no line defines, so it would print as it is "
     "written", "add a line '[nhs]: https://...' with the address"),
    ("Read [NHS][] on it.\n", 7,
     "the link '[NHS][]' refers to 'NHS', which no line defines, so it would print as it is written",
     "or write the link as [text](https://...)"),
    ("Take *two tablets a day.\n", 7,
     "'*' opens emphasis in '*two' that is never closed, so it would print as it is written",
     "close it with '*' after the last word to emphasise"),
    ("Text.\n\nTake __two tablets a day.\n", 9,
     "'__' opens emphasis in '__two' that is never closed, so it would print as it is written",
     "or write \\_ for a underscore itself"),
    ("Take two tablets** a day.\n", 7,
     "'**' closes emphasis in 'tablets**' that was never opened, so it would print as it is "
     "written", "open it with '**' before the first word to emphasise"),
])
def test_markdown_pandoc_leaves_as_text_is_an_error_naming_its_line(tmp_path, capsys, body, line,
                                                                   message, fix):
    article = tmp_path / "leaflet.md"
    article.write_text(FRONT + body, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["build", str(article), "--to", "pdf,epub", "--out", str(out)]) == EXIT_DOCUMENT
    err = capsys.readouterr().err
    assert f"{article}, line {line}: {message}" in err
    assert "How to fix: " in err and fix in err and "Traceback" not in err
    assert not out.exists() or list(out.iterdir()) == []


def test_the_first_of_several_is_named_and_the_others_counted(tmp_path, capsys):
    article = tmp_path / "leaflet.md"
    article.write_text(FRONT + "Take *two.\n\nUse a crutch[^crutch].\n", encoding="utf-8")
    assert main(["build", str(article), "--to", "epub", "--out", str(tmp_path / "out")]) == EXIT_DOCUMENT
    assert (f"{article}, line 7: '*' opens emphasis in '*two.' that is never closed, so it would "
            "print as it is written (1 more such problem(s) after it)") in capsys.readouterr().err


def test_the_same_characters_escaped_or_in_code_or_inside_words_build(tmp_path):
    body = ("Write \\[^1\\] to mark a note and \\*stars\\* or \\_lines\\_ as they are; "
            "[a\\]\\[b] too.\n\n5 * 3 is 15, a snake_case_name stays, `[^x]` and `*y` are code.\n\n"
            "```\n[^z] and *unclosed in a code block\n```\n\n"
            "Real *emphasis*, **strong** and __strong__, a note[^n] and [a link][nhs].\n\n"
            "[^n]: The note.\n\n[nhs]: https://www.nhs.uk\n")
    article = tmp_path / "leaflet.md"
    article.write_text(FRONT + body, encoding="utf-8")
    written = build(article, Settings(out_dir=tmp_path / "out", formats=("pdf", "epub")))
    pdf_text = " ".join(reading_pdf.pdf_text(written[0]).split())
    assert "Write [^1] to mark a note and *stars* or _lines_ as they are; [a][b] too." in pdf_text
    epub_text = " ".join(reading_epub.epub_text(written[1]).split())
    assert "5 * 3 is 15, a snake_case_name stays" in epub_text
    assert "[^n]" not in epub_text and "[nhs]" not in epub_text
