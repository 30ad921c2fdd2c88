"""The commands of ``python -m pipeline``: one function each, in one table.

Each command takes the parsed arguments and the settings made from them, and
returns its exit code: 0 when it did what was asked, else the highest exit
code of the errors it reported (1 for a problem in a document, 2 for wrong
usage). ``__main__`` only parses, sets up logging and exits with it.
"""
from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from .config import Settings
from .errors import PipelineError, UsageError

EXIT_OK = 0

log = logging.getLogger(__name__)


def build_command(args: argparse.Namespace, settings: Settings) -> int:
    """Build each article; several are shared out over one worker per core. A folder
    stands for its articles, and of those only the ones out of date are built
    (``freshness.py``)."""
    from .freshness import Freshness
    from .library import Outcome, build_library, leaflets_of
    try:
        sources, from_folders = leaflets_of(args.sources)
    except PipelineError as error:
        return report(error, settings.debug)
    sources = sources_of_shard(args, sources)
    freshness = Freshness(settings, tracked=[source for source in sources if source in from_folders])
    stale = freshness.out_of_date(sources, force=args.force)
    if not stale:
        if sources:
            print(f"{len(sources)} leaflet(s) up to date: nothing to build", file=sys.stderr)
        elif getattr(args, "shard", None) is None:
            print("no articles (*.md) in " + ", ".join(map(str, args.sources)) + ": nothing to build",
                  file=sys.stderr)
        return EXIT_OK
    codes = []

    def built(source: Path, written: list[Path]) -> None:
        for path in written:
            print(f"wrote {path}")
        freshness.record(source, written)

    def print_outcome(outcome: Outcome) -> None:
        if outcome.error is not None:  # from a worker: no traceback to show here
            codes.append(report(outcome.error, debug=False))
        else:
            built(outcome.source, outcome.written)

    def build_here(source: Path, settings: Settings) -> None:
        from .build import build
        built(source, build(source, settings))

    if len(stale) == 1:
        return each_source(stale, settings, build_here)
    summary = build_library(stale, settings, print_outcome)
    print(summary.line(), file=sys.stderr)
    return max(codes, default=EXIT_OK)


def check_command(args: argparse.Namespace, settings: Settings) -> int:
    """Print and write each leaflet's report; 1 if one fails the gate."""
    from .library import leaflets_of
    try:
        sources, _ = leaflets_of(args.sources)
    except PipelineError as error:
        return report(error, settings.debug)
    return each_source(sources_of_shard(args, sources), settings, check_and_print)


def sources_of_shard(args: argparse.Namespace, sources: list[Path]) -> list[Path]:
    """The sources of ``--shard K/N`` (all of them without it); says so when it holds none."""
    from .shards import in_shard
    shard = getattr(args, "shard", None)
    chosen = in_shard(sources, shard)
    if shard is not None and not chosen:
        print(f"shard {shard} holds none of these {len(sources)} articles: nothing to do",
              file=sys.stderr)
    return chosen


def check_and_print(source: Path, settings: Settings) -> int:
    from .checks import check_leaflet  # the checks' own tools load only when checking
    from .checks import report as checks_report
    result = check_leaflet(source, settings)
    print(checks_report.as_text(result))
    for path in checks_report.write_reports(result, settings, source.stem):
        print(f"wrote {path}")
    return 1 if result.failed(settings.strict) else EXIT_OK


def watch_command(args: argparse.Namespace, settings: Settings) -> int:
    """Watch the article, or the first article of a folder (``make watch``)."""
    from .library import library_sources
    from .live_preview.watch import watch
    source = args.source
    if source.is_dir():
        try:
            articles = library_sources(source)
        except PipelineError as error:
            return report(error, settings.debug)
        if not articles:
            return report(UsageError(f"{source} holds no articles (*.md) to watch",
                                     option=f"SOURCE {str(source)!r}"), settings.debug)
        source = articles[0]
    return watch(source, settings)


def cite_command(args: argparse.Namespace, settings: Settings) -> int:
    """Print each style's citations and reference list; 1 if any style failed."""
    from .citations.sample import sample_lines
    failed = False
    try:
        for line in sample_lines(args.bibliography, args.csl, to=args.to):
            if isinstance(line, PipelineError):
                failed = True
                print(f"error: {line}")
            else:
                print(line)
    except PipelineError as error:  # the bibliography itself
        return report(error, settings.debug)
    return 1 if failed else EXIT_OK


def release_command(args: argparse.Namespace, settings: Settings) -> int:
    """Build the library in SOURCE_DIR and publish what is approved and in date."""
    from .release.publish import release
    codes = [EXIT_OK]

    def print_outcome(outcome) -> None:
        if outcome.error is not None:
            codes.append(report(outcome.error, debug=False))

    try:
        result = release(args.source_dir, settings.out_dir, settings, today=args.today,
                         shard=args.shard, publish=not args.no_publish, report=print_outcome,
                         formats=args.formats, archive_dir=args.archive)
    except PipelineError as error:
        return report(error, settings.debug)
    print(f"built {len(result.built)} leaflet(s), {len(result.reused)} unchanged since the last build",
          file=sys.stderr)
    codes += [report(error, debug=False) for error in result.refused]
    if result.errors or result.refused:
        print("error: nothing was released: fix the leaflets above and run the release again"
              if not args.no_publish else "error: some leaflets failed to build", file=sys.stderr)
        return max(codes)
    if result.published:
        for item in result.archived:
            print(f"archived {item}")
        for leaflet in result.leaflets:
            lapsed = f" (lapsed {leaflet.lapsed.isoformat()})" if leaflet.lapsed else ""
            waiting = (f" (version {leaflet.awaiting_sign_off} awaits sign-off)"
                       if leaflet.awaiting_sign_off else "")
            print(f"{leaflet.state:<9} {leaflet.stem} {leaflet.version or ''}{lapsed}{waiting}".rstrip())
        print(f"wrote {settings.out_dir / 'release'} and {settings.out_dir / 'site'}")
    return max(codes)


def status_command(args: argparse.Namespace, settings: Settings) -> int:
    """One row a leaflet: version, approval, review date, translations, formats, state; then
    every archived version checked against its manifest (1 if one fails)."""
    from .release import archive
    from .release.catalogue import library_sources, read_entry
    from .release.publish import BUILD_FOLDER, RELEASE_FOLDER
    from .release.status import as_json, status_rows, table
    try:
        entries = [read_entry(path) for path in library_sources(args.source_dir)]
    except PipelineError as error:
        return report(error, settings.debug)
    archive_dir = args.archive or archive.default_folder(args.source_dir)
    rows = status_rows(entries, args.today, settings.out_dir / RELEASE_FOLDER,
                       settings.out_dir / BUILD_FOLDER)
    print(as_json(rows) if args.json else table(rows))
    problems = archive.verify(archive_dir) + changed_since_release(entries, archive_dir, settings)
    codes = [report(error, debug=False) for error in problems]
    return max(codes, default=EXIT_OK)


def changed_since_release(entries, archive_dir: Path, settings: Settings) -> list[PipelineError]:
    """Approved leaflets whose version was released from other inputs: what the next
    release would refuse, said now."""
    from .release import archive, inputs
    problems = []
    for entry in entries:
        if entry.draft:
            continue
        try:
            archive.check_unchanged(archive_dir, entry,
                                    inputs.identity(entry, settings.theme_dir))
        except archive.ArchiveError as error:
            problems.append(error)
    return problems


def each_source(sources: Iterable[Path], settings: Settings,
                run: Callable[[Path, Settings], int | None]) -> int:
    """``run`` on every source in turn; one that fails does not stop the others."""
    codes = [EXIT_OK]
    for source in sources:
        try:
            codes.append(run(source, settings) or EXIT_OK)
        except PipelineError as error:
            codes.append(report(error, settings.debug))
    return max(codes)


def report(error: PipelineError, debug: bool) -> int:
    """Print ``error`` for the user (with its traceback under --debug); its exit code."""
    if debug:
        log.exception("traceback")
    print(f"error: {error}", file=sys.stderr)
    return error.exit_code


@dataclass(frozen=True)
class Command:
    name: str
    help: str
    run: Callable[[argparse.Namespace, Settings], int]


COMMANDS = {command.name: command for command in (
    Command("build", "build leaflets: PDF and EPUB, or any format --to names", build_command),
    Command("watch", "rebuild a leaflet every time it, its references or styles/ are saved",
            watch_command),
    Command("check", "check accessibility, readability and patient-information standards",
            check_command),
    Command("cite", "compare citation styles: a sample of each style's citations and reference list",
            cite_command),
    Command("release", "build a library and publish its approved, in-date leaflets", release_command),
    Command("status", "each leaflet's version, approval, review date, translations and state",
            status_command),
)}
