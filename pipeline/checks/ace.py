"""Checks an EPUB with the DAISY Ace accessibility checker.

Why Ace is run this way:

- Ace (``@daisy/ace-cli``, its version pinned in ``tools/install-ace.sh``) is a
  Node program. ``make tools`` installs it inside the project, in
  ``.tools/ace``, never globally, so every clone checks with the same Ace.
- Ace checks each content document in a headless browser through Puppeteer.
  Puppeteer's own browser download cannot work on our machines (only the
  package registries are reachable), so Ace is installed with npm's
  ``--ignore-scripts`` and uses Debian's ``chromium`` instead. Ace 1.4.6 gives
  Puppeteer no executable path and no way to add browser flags, so the only
  handle is ``PUPPETEER_EXECUTABLE_PATH``. It points at
  ``tools/chromium-for-ace``, which starts Chromium without the GPU, without
  background networking or component updates, and with every host name
  unresolvable.
- Nothing goes on the network. Ace refuses http(s) requests from the documents
  it checks, and the flags above stop Chromium's own calls home. Ace gets a
  private temporary HOME, XDG folders and TMPDIR, so its log, its settings, the
  unzipped EPUB and Chromium's profile all go there and are removed afterwards.
- The result is read from Ace's ``report.json`` (EARL): one assertion per
  document, holding one assertion per failed rule and node. Every failed
  assertion counts as a violation, whatever its impact.
- When Ace cannot run (it or Chromium is not installed, the browser does not
  start, Ace crashes or times out), ``run_ace`` does not raise. It returns
  ``ran=False`` with the reason, the command that installs what is missing
  and the end of Ace's output. A check that could not run can then be
  reported as such, never taken for a pass.
"""
from __future__ import annotations

import json
import os
import posixpath
import re
import shutil
import signal
import subprocess
import tempfile
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

from ..config import PROJECT_ROOT

# Ace documents usually take a second or two each; three minutes means it hangs.
ACE_TIMEOUT_SECONDS = 180
# How long Ace gets to stop its browser once it has run out of time.
ACE_STOP_SECONDS = 10
# How much of Ace's output a failure shows, and of an element's markup a violation.
OUTPUT_TAIL_CHARS = 2000
SNIPPET_CHARS = 160

# npm names the executable after the package: @daisy/ace-cli installs `ace-cli`.
ACE = PROJECT_ROOT / ".tools" / "ace" / "node_modules" / ".bin" / "ace-cli"
ACE_PACKAGE_JSON = PROJECT_ROOT / ".tools" / "ace" / "node_modules" / "@daisy" / "ace-cli" / "package.json"
CHROMIUM_WRAPPER = PROJECT_ROOT / "tools" / "chromium-for-ace"
CHROMIUM = Path("/usr/lib/chromium/chromium")  # Debian's chromium package

INSTALL_COMMAND = "make tools (or: bash tools/install-ace.sh)"

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_CONTAINER_NS = {"c": "urn:oasis:names:tc:opendocument:xmlns:container"}


@dataclass(frozen=True)
class AceViolation:
    """One failed Ace or axe rule on one element (or on the package)."""

    rule: str  # e.g. "image-alt", "link-in-text-block", "metadata-accessmode"
    impact: str  # "critical", "serious", "moderate" or "minor"
    description: str  # what is wrong here, as Ace says it
    location: str  # the file inside the EPUB, then a CSS selector and snippet if Ace gives them

    def __str__(self) -> str:
        return f"{self.location}: {self.rule} ({self.impact}): {self.description}"


@dataclass(frozen=True)
class AceResult:
    """What Ace said about one EPUB, or why it could not say anything."""

    ran: bool
    reason: str | None = None  # why Ace could not run, and how to fix it
    violations: tuple[AceViolation, ...] = ()
    ace_version: str | None = None


def run_ace(epub: Path, *, timeout: float = ACE_TIMEOUT_SECONDS) -> AceResult:
    """Check ``epub`` with Ace; never raises for Ace's own failures.

    A missing ``epub`` is a bug in the caller and raises ``FileNotFoundError``.
    """
    epub = Path(epub).resolve()
    if not epub.is_file():
        raise FileNotFoundError(f"no EPUB to check at {epub}")
    version = installed_ace_version()
    missing = _missing_tools()
    if missing:
        return AceResult(False, missing, ace_version=version)

    scratch = Path(tempfile.mkdtemp(prefix="ace-"))
    try:
        return _check(epub, scratch, timeout, version)
    finally:
        _remove(scratch)


def _check(epub: Path, scratch: Path, timeout: float, version: str | None) -> AceResult:
    home, out = scratch / "home", scratch / "report"
    home.mkdir()
    command = [str(ACE), "--outdir", str(out), "--force", str(epub)]
    try:
        returncode, output = _run(command, _environment(home), cwd=scratch, timeout=timeout)
    except subprocess.TimeoutExpired as expired:
        return AceResult(False, f"Ace did not finish checking {epub} within {timeout:g} s"
                         + _tail(expired.output), ace_version=version)
    except OSError as error:
        return AceResult(False, f"Ace could not be started ({ACE}): {error.strerror or error}; "
                         f"reinstall it with: {INSTALL_COMMAND}", ace_version=version)
    if returncode != 0:
        return AceResult(False, f"Ace failed on {epub} (exit code {returncode})" + _tail(output),
                         ace_version=version)
    report_path = out / "report.json"
    if not report_path.is_file():
        return AceResult(False, f"Ace wrote no report.json for {epub}" + _tail(output),
                         ace_version=version)
    try:
        report = json.loads(report_path.read_text(encoding="utf-8"))
        violations = _violations(report, _epub_locator(epub))
        version = report["earl:assertedBy"]["doap:release"]["doap:revision"]
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        return AceResult(False, f"Ace's report.json for {epub} could not be read: {error!r}"
                         + _tail(output), ace_version=version)
    return AceResult(True, None, violations, version)


def installed_ace_version() -> str | None:
    """The version of Ace in .tools/ace, or None when it is not installed."""
    try:
        return json.loads(ACE_PACKAGE_JSON.read_text(encoding="utf-8"))["version"]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _missing_tools() -> str | None:
    """Why Ace cannot run here, with the command that fixes it; None when all is there."""
    if not ACE.exists():
        return f"Ace is not installed (no {ACE}); install it with: {INSTALL_COMMAND}"
    if shutil.which("node") is None:
        return "Node.js is not on PATH: Ace needs Node.js 20 or later, and npm to install it " \
               f"with: {INSTALL_COMMAND}"
    if not CHROMIUM.exists():
        return f"Chromium is not installed (no {CHROMIUM}); install it with: {INSTALL_COMMAND}"
    if not os.access(CHROMIUM_WRAPPER, os.X_OK):
        return f"{CHROMIUM_WRAPPER} is missing or not executable; restore it from the repository"
    return None


def _environment(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    for name in list(env):
        if name.startswith("PUPPETEER_"):
            del env[name]  # a developer's own Puppeteer settings must not change the check
    env.update({
        "PUPPETEER_EXECUTABLE_PATH": str(CHROMIUM_WRAPPER),
        "PUPPETEER_SKIP_DOWNLOAD": "true",
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_STATE_HOME": str(home / "state"),
        "TMPDIR": str(home),
    })
    return env


def _run(command: list[str], env: dict[str, str], *, cwd: Path, timeout: float) -> tuple[int, str]:
    """Run Ace in a process group of its own and stop all of it on a timeout.

    Puppeteer starts Chromium in yet another process group, which a signal to
    Ace's group does not reach; on SIGINT, Puppeteer kills Chromium's group
    itself before Node exits. SIGKILL follows if that takes too long.
    """
    process = subprocess.Popen(command, env=env, cwd=cwd, stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               start_new_session=True)
    try:
        output, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGINT)
        try:
            output, _ = process.communicate(timeout=ACE_STOP_SECONDS)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            output, _ = process.communicate()
        raise subprocess.TimeoutExpired(command, timeout, output=output) from None
    return process.returncode, output.decode("utf-8", "replace")


def _remove(scratch: Path) -> None:
    """Remove Ace's scratch folder; after a timeout, Chromium's crash handler may
    still be writing into it for a moment."""
    for _ in range(10):
        shutil.rmtree(scratch, ignore_errors=True)
        if not scratch.exists():
            return
        time.sleep(0.2)


def _tail(output: str | bytes | None) -> str:
    if isinstance(output, bytes):
        output = output.decode("utf-8", "replace")
    text = _ANSI.sub("", output or "").strip()
    if not text:
        return ""
    if len(text) > OUTPUT_TAIL_CHARS:
        text = "..." + text[-OUTPUT_TAIL_CHARS:]
    return "\nAce said:\n" + text


def _epub_locator(epub: Path) -> Callable[[str], str]:
    """Turn the paths in Ace's report into paths inside the EPUB.

    Ace names the package document from the EPUB's root (``EPUB/content.opf``)
    but content documents from the package's folder (``text/ch001.xhtml``).
    """
    try:
        with zipfile.ZipFile(epub) as archive:
            names = set(archive.namelist())
            container = ElementTree.fromstring(archive.read("META-INF/container.xml"))
        rootfile = container.find(".//c:rootfile", _CONTAINER_NS).get("full-path")
        package_dir = posixpath.dirname(rootfile)
    except (OSError, KeyError, AttributeError, zipfile.BadZipFile, ElementTree.ParseError):
        names, package_dir = set(), ""

    def locate(url: str) -> str:
        path = url.lstrip("/")
        if path in names:
            return path
        joined = posixpath.normpath(posixpath.join(package_dir, path))
        return joined if joined in names else url

    return locate


def _violations(report: dict, locate: Callable[[str], str]) -> tuple[AceViolation, ...]:
    found = []
    for document in report["assertions"]:
        file = locate(document["earl:testSubject"]["url"])
        for assertion in document.get("assertions", []):
            result = assertion["earl:result"]
            if result.get("earl:outcome") != "fail":
                continue
            test = assertion["earl:test"]
            found.append(AceViolation(
                rule=test["dct:title"],
                impact=test.get("earl:impact", "unknown"),
                description=_one_line(result.get("dct:description")
                                      or test.get("dct:description", "")),
                location=_location(file, result)))
    # Ace checks documents in parallel: sort so the same EPUB always reads the same.
    return tuple(sorted(set(found), key=lambda v: (v.location, v.rule, v.description)))


def _one_line(text: str) -> str:
    """Ace puts each of a rule's failed checks on a line of its own."""
    return "; ".join(" ".join(line.split()) for line in text.splitlines() if line.strip())


def _location(file: str, result: dict) -> str:
    """``file``, then the element's CSS selector and the start of its markup."""
    where = []
    selectors = result.get("earl:pointer", {}).get("css") or []
    if selectors:
        where.append(selectors[0])  # the element itself; the others are related elements
    html = result.get("html")
    if html:
        snippet = html.split(" <!--##--> ")[0]  # Ace joins the related elements' markup so
        snippet = " ".join(snippet.replace(' xmlns="http://www.w3.org/1999/xhtml"', "").split())
        if len(snippet) > SNIPPET_CHARS:
            snippet = snippet[:SNIPPET_CHARS] + "..."
        where.append(snippet)
    return f"{file} ({': '.join(where)})" if where else file
