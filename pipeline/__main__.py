"""Command line: ``python -m pipeline build|watch|check|cite ...``.

Only arguments, logging and exit codes live here: 0 success, 1 a problem in
a document (the message says where and how to fix it), 2 wrong usage. What
each command does is in ``commands.py``.
"""
from __future__ import annotations

import argparse
import atexit
import contextlib
import datetime as dt
import logging
import os
import signal
import sys
import threading
from pathlib import Path

from .commands import COMMANDS
from .config import (CITE_FORMATS, DEFAULT_EDITIONS, DEFAULT_PAPER, FORMATS, LIBRARY_JOBS,
                     OUTPUT_DIR, PAPER_SIZES, Settings)
from .printed.editions import EDITIONS
from .errors import PipelineError, UsageError
from .outputs import build_names, format_names

EXIT_OK = 0
EXIT_DOCUMENT = PipelineError.exit_code
EXIT_USAGE = UsageError.exit_code
EXIT_INTERRUPTED = 130  # the shell's code for a command stopped by a signal


@contextlib.contextmanager
def stopped_cleanly():
    """SIGTERM (a closed terminal, `kill`, make -j stopping) stops a build like
    Ctrl-C does, so temporary files are removed and no output is half written."""
    def interrupt(signum, frame):
        raise KeyboardInterrupt
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def main(argv: list[str] | None = None) -> int:
    parser = argument_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:  # argparse has printed the usage and what was wrong
        return stop.code
    handler = configure_logging(args.debug)
    try:
        settings = settings_from(args)
    except UsageError as error:
        parser.print_usage(sys.stderr)
        print(f"error: {error}", file=sys.stderr)
        logging.getLogger().removeHandler(handler)
        return EXIT_USAGE
    try:
        with stopped_cleanly():
            return COMMANDS[args.command].run(args, settings)
    except KeyboardInterrupt:
        print("stopped: the outputs of earlier builds are unchanged", file=sys.stderr)
        return EXIT_INTERRUPTED
    finally:
        logging.getLogger().removeHandler(handler)


def argument_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m pipeline",
        description="Build print-ready PDF leaflets and EPUBs from Markdown articles.")
    debug, out, formats = shared_options()
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    build_command = commands.add_parser("build", parents=[formats, out, debug],
                                        help=COMMANDS["build"].help)
    build_command.add_argument("sources", nargs="+", type=Path, metavar="SOURCE.md|FOLDER",
                               help="articles, or folders of articles: of a folder's, only "
                                    "those changed since their last build are built")
    build_command.add_argument("--force", action="store_true",
                               help="build a folder's articles even if they are up to date")
    build_command.add_argument("--csl", metavar="NAME_OR_PATH",
                               help="citation style; overrides the article's 'csl:'")
    build_command.add_argument("--edition", default=",".join(DEFAULT_EDITIONS),
                               metavar="standard,large-print,booklet",
                               help="printed editions of the PDF (default: %(default)s)")
    build_command.add_argument("--pictures", action="store_true",
                               help="also write PNG pictures of every page and a contact sheet")
    build_command.add_argument("--allow-remote", action="store_true",
                               help="let the build fetch remote images and stylesheets")
    build_command.add_argument("--jobs", type=positive_int, default=LIBRARY_JOBS, metavar="N",
                               help="leaflets built at once (default: one per core, %(default)s)")
    watch_command = commands.add_parser("watch", parents=[formats, out, debug],
                                        help=COMMANDS["watch"].help)
    watch_command.add_argument("source", type=Path, metavar="SOURCE.md|FOLDER",
                               help="the article, or a folder: its first article")
    check_command = commands.add_parser("check", parents=[out, debug], help=COMMANDS["check"].help)
    check_command.add_argument("sources", nargs="+", type=Path, metavar="SOURCE.md|FOLDER",
                               help="articles, or folders of articles")
    check_command.add_argument("--strict", action="store_true",
                               help="fail on warnings and on checks that could not run too")
    cite_command = commands.add_parser("cite", parents=[debug], help=COMMANDS["cite"].help)
    cite_command.add_argument("bibliography", type=Path, metavar="BIBLIOGRAPHY",
                              help="a .json (CSL-JSON), .yaml (CSL YAML) or .bib file")
    cite_command.add_argument("--csl", nargs="+", required=True, metavar="STYLE",
                              help="style names (apa, vancouver-nlm, ...) or .csl paths")
    cite_command.add_argument("--to", choices=CITE_FORMATS, default="text",
                              help="plain text or HTML (default: %(default)s)")
    add_release_commands(commands, debug, out)
    for name in ("build", "check"):
        commands.choices[name].add_argument("--shard", type=shard, metavar="K/N",
                                            help="build only part K of N of the articles")
    return parser


def add_release_commands(commands, debug: argparse.ArgumentParser, out: argparse.ArgumentParser) -> None:
    """``release`` and ``status`` (pipeline/release/)."""
    release = commands.add_parser("release", parents=[out, debug], help=COMMANDS["release"].help)
    release.add_argument("source_dir", type=Path, metavar="SOURCE_DIR")
    release.add_argument("--no-publish", action="store_true",
                         help="only build, into DIR/build/ (with --shard, on several machines)")
    release.add_argument("--shard", type=shard, metavar="K/N", help="only part K of N of the library")
    release.add_argument("--jobs", type=positive_int, default=LIBRARY_JOBS, metavar="N",
                         help="leaflets built at once (default: one per core, %(default)s)")
    release.add_argument("--formats", type=leaflet_formats, default=format_names(),
                         metavar="pdf,epub,...",
                         help="release only these of the formats each clinic profile lists: "
                              f"{', '.join(format_names())} (default: all; the standard PDF "
                              "is always released)")
    status = commands.add_parser("status", parents=[out, debug], help=COMMANDS["status"].help)
    status.add_argument("source_dir", type=Path, metavar="SOURCE_DIR")
    status.add_argument("--json", action="store_true", help="a JSON list instead of a table")
    for command in (release, status):
        command.add_argument("--archive", type=Path, default=None, metavar="DIR",
                             help="where every released version is kept (default: archive/ "
                                  "beside SOURCE_DIR; never inside --out, which 'make clean' empties)")
        command.add_argument("--today", type=iso_day, default=dt.date.today(), metavar="YYYY-MM-DD",
                             help="the day to decide review dates on (default: today)")


def shard(value: str):
    from .shards import parse_shard
    try:
        return parse_shard(value)
    except UsageError as error:
        raise argparse.ArgumentTypeError(error.message) from None


def leaflet_formats(value: str) -> tuple[str, ...]:
    if value.strip().lower() == "all":
        return format_names()
    try:
        return choices_from("--formats", value, format_names())
    except UsageError as error:
        raise argparse.ArgumentTypeError(error.message) from None


def iso_day(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date: write YYYY-MM-DD") from None


def shared_options() -> tuple[argparse.ArgumentParser, ...]:
    """Options several commands take, each group written once: --debug; --out; --to and --paper."""
    debug = argparse.ArgumentParser(add_help=False)
    debug.add_argument("--debug", action="store_true", help="show tracebacks and every step")
    out = argparse.ArgumentParser(add_help=False)
    out.add_argument("--out", type=Path, default=OUTPUT_DIR, metavar="DIR",
                     help="folder for the outputs (default: output/)")
    formats = argparse.ArgumentParser(add_help=False)
    formats.add_argument("--to", default=",".join(FORMATS), metavar="pdf,epub",
                         help=f"formats to write: {', '.join(build_names())}, or all "
                              "(default: %(default)s)")
    formats.add_argument("--paper", choices=PAPER_SIZES, default=DEFAULT_PAPER,
                         help="paper size of the PDF (default: %(default)s)")
    return debug, out, formats


def settings_from(args: argparse.Namespace) -> Settings:
    """The settings the command's options ask for; every other setting keeps its default."""
    if args.command == "cite":
        return Settings(debug=args.debug)
    if args.out.exists() and not args.out.is_dir():
        raise UsageError("this is a file, not a folder: give the folder the outputs should go to",
                         option=f"--out {str(args.out)!r}")
    if args.command in ("release", "status"):
        if args.command == "release" and args.shard is not None and not args.no_publish:
            raise UsageError("a shard only builds: add --no-publish, and publish with a "
                             "release of the whole library", option=f"--shard {args.shard}")
        return Settings(out_dir=args.out, jobs=getattr(args, "jobs", LIBRARY_JOBS), debug=args.debug)
    if args.command == "check":
        return Settings(out_dir=args.out, strict=args.strict, debug=args.debug)
    formats = (build_names() if args.to.strip().lower() == "all"
               else choices_from("--to", args.to, build_names()))
    if args.command == "watch":
        return Settings(formats=formats, out_dir=args.out, paper=args.paper, debug=args.debug)
    editions = choices_from("--edition", args.edition, tuple(EDITIONS))
    return Settings(formats=formats, out_dir=args.out, csl=args.csl, paper=args.paper,
                    editions=editions, page_pictures=args.pictures, allow_remote=args.allow_remote,
                    jobs=args.jobs, debug=args.debug)


def choices_from(option: str, value: str, allowed: tuple[str, ...]) -> tuple[str, ...]:
    """A comma-separated option's values, each checked against ``allowed``."""
    chosen = tuple(dict.fromkeys(v.strip().lower() for v in value.split(",") if v.strip()))
    if not chosen or any(v not in allowed for v in chosen):
        raise UsageError(f"choose from {', '.join(allowed)} (comma-separated)",
                         option=f"{option} {value!r}")
    return chosen


def positive_int(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number of 1 or more")
    return int(value)


def configure_logging(debug: bool) -> logging.Handler:
    """Warnings (and with --debug, progress) on stderr; returns the handler so
    that ``main`` can take it off again when it returns."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(LowerCaseLevelFormatter("%(levelname)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.WARNING)
    logging.getLogger("pipeline.progress").setLevel(logging.INFO if debug else logging.WARNING)
    return handler


class LowerCaseLevelFormatter(logging.Formatter):
    """"warning: ..." like "error: ...", without renaming levels for everyone else."""

    def formatMessage(self, record: logging.LogRecord) -> str:
        return super().formatMessage(logging.makeLogRecord(
            {**record.__dict__, "levelname": record.levelname.lower()}))


def leave(code: int | None) -> None:
    """End the process once the command is done: what is registered to run at exit runs
    (pandoc stopped, temporary files removed, logs flushed), and then the process ends
    without taking every module and object apart one by one, which is a twentieth of a
    second of a one-leaflet build. Every output is closed and in place by now."""
    atexit._run_exitfuncs()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(int(code or 0))


if __name__ == "__main__":
    leave(main())
