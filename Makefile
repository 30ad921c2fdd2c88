# The patient-leaflet pipeline. `make pdf` on a fresh clone sets everything up
# (a .venv from the pinned dependencies in pyproject.toml) and builds.

PYTHON  ?= python3
VENV    := .venv
PY      := $(VENV)/bin/python
READY   := $(VENV)/.installed
OUT     := output
# The fonts of every script (tools/install-fonts.sh): needed before any leaflet is built.
FONTS   := .tools/fonts.installed

# The leaflets: every article (*.md) directly in this folder.
SOURCE_DIR := source

# No name of a file in source/ is ever written into a command: make hands the pipeline
# the folder, and the pipeline decides which leaflets are out of date by what they are
# made from (pipeline/freshness.py: a stamp per output with the sha256 of the article and
# of what it shares). So a name with spaces, quotes, ';', '$' or backticks is only ever a
# name, and an edited leaflet is built once, not on every run. Every out-of-date leaflet
# is built by one pipeline run, which shares them out over one worker per core.
BUILD   = $(PY) -m pipeline build $(SOURCE_DIR) --out $(OUT)
EVERY_EDITION := standard,large-print,booklet

.PHONY: all pdf epub print pictures formats check test fuzz bench-citations clean setup

all: $(READY) $(FONTS)
	$(BUILD) --to pdf,epub
pdf: $(READY) $(FONTS)
	$(BUILD) --to pdf
epub: $(READY) $(FONTS)
	$(BUILD) --to epub
setup: $(READY)

# Every printed edition of every leaflet (standard, large print, A5 booklet),
# with pictures of its pages.
print pictures: $(READY) $(FONTS)
	$(BUILD) --to pdf --edition $(EVERY_EDITION) --pictures

# Every format of every leaflet (PDF, EPUB and the other formats, --to all) in every
# printed edition. `make` alone builds the PDF and EPUB.
formats: $(READY) $(FONTS)
	$(BUILD) --to all --edition $(EVERY_EDITION)

$(READY): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[test]'
	touch $@

# The EPUB accessibility checker, DAISY Ace (pinned), in .tools/ace, and
# Debian's chromium for it: `make tools`. See tools/install-ace.sh.
ACE     := .tools/ace/node_modules/.bin/ace-cli
FORMAT_TOOLS := .tools/formats.installed
AXE     := .tools/axe/node_modules/axe-core/axe.min.js
.PHONY: tools
tools: $(ACE) $(AXE) $(FORMAT_TOOLS) $(FONTS)

$(ACE): tools/install-ace.sh
	bash tools/install-ace.sh
	touch $@

# liblouis (braille), eSpeak NG and LAME (audio), from Debian: tools/install-formats.sh.
$(FORMAT_TOOLS): tools/install-formats.sh
	bash tools/install-formats.sh
	mkdir -p $(@D) && touch $@

# The typefaces of every script (styles/fonts.css names them), Debian's Noto fonts, and
# HarfBuzz's font subsetter: tools/install-fonts.sh. Every target that builds needs them.
$(FONTS): tools/install-fonts.sh
	bash tools/install-fonts.sh
	mkdir -p $(@D) && touch $@

# axe-core and puppeteer-core, pinned by tools/axe/package-lock.json, in .tools/axe:
# the published site's tests run its pages in chromium with them. See tools/install-axe.sh.
$(AXE): tools/install-axe.sh tools/axe/package.json tools/axe/package-lock.json
	bash tools/install-axe.sh
	touch $@

# The gate before a leaflet goes to patients: builds every edition and the
# EPUB, checks them, prints a report and writes output/<name>.report.{json,html}.
check: $(READY) $(ACE) $(FONTS)
	$(PY) -m pipeline check $(SOURCE_DIR) --out $(OUT)

# The tests run Ace too: a check that cannot run must not pass.
test: $(READY) $(ACE) $(AXE) $(FORMAT_TOOLS) $(FONTS)
	$(PY) -m pytest

# A real install, as a clinic would get it: `pip install .` (not -e) into a
# fresh venv in a temporary folder, then a PDF and an EPUB built from another
# folder with the styles shipped inside the package. Writes nothing here.
.PHONY: install-check
install-check:
	PYTHON=$(PYTHON) bash tools/check-install.sh

fuzz: $(READY)
	HYPOTHESIS_PROFILE=fuzz $(PY) -m pytest tests/test_fuzz.py \
		tests/live_preview/test_rebuilds.py::test_after_any_edits_a_preview_writes_what_a_fresh_build_writes -q

# Citation agreement with pandoc's citeproc over every independent CSL style,
# on both reference sets in bench/: writes bench/citations.json, prints the table.
bench-citations: $(READY)
	$(PY) bench/citations.py

# The CSL processor test suite (the CSL project's processor-tests/humans, not part of
# this repository) through the citation engine: prints pass / fail / crash by category,
# and fails if a fixture fails that bench/csl-suite-known-failures.txt does not list, or
# a listed one passes. make csl-suite SUITE=<folder> (default ../shared/csl-test-suite).
# .ci/run runs it after make test when the folder is there.
.PHONY: csl-suite
SUITE   ?= ../shared/csl-test-suite
csl-suite: override export SUITE := $(value SUITE)
csl-suite: $(READY)
	$(PY) bench/csl_suite.py --check --suite "$$SUITE"

# Empties output/ but for output/.gitkeep. It removes links it finds there, never what
# they point to; a release's archive is kept in archive/, outside output/, and an
# output/archive/ left by an older release is kept too.
clean:
	@if [ -L $(OUT) ]; then echo "make clean: $(OUT) is a link to another folder; not cleaning that" >&2; exit 1; fi
	@if [ -d $(OUT)/archive ]; then echo "make clean: keeping $(OUT)/archive/ (released leaflets: move it to archive/)" >&2; fi
	if [ -d $(OUT) ]; then find $(OUT) -mindepth 1 -maxdepth 1 ! -name .gitkeep ! -name archive -exec rm -rf -- {} +; fi

# Live preview of one leaflet: rebuilds its PDF and EPUB in output/ on every save
# of the article, its references or styles/ (Ctrl-C stops).
# make watch SOURCE=source/<name>.md (default: the first article of source/). The name
# reaches the pipeline as typed, through the environment: neither make nor the shell
# reads anything in it ($(value ...) is the text itself).
.PHONY: watch bench
SOURCE  ?= source
watch: override export SOURCE := $(value SOURCE)
watch: $(READY) $(FONTS)
	$(PY) -m pipeline watch "$$SOURCE" --out $(OUT)

# Speed against raw pandoc, measured in the same run (bench/speed.py): one
# leaflet, a library of 50, make -j, the live preview, a 20x longer article and
# make with nothing to do; against pandoc -> Typst (Typst from PyPI, the `bench`
# extra of pyproject.toml, installed here only). Writes bench/results.json and
# prints the table; where a cold build's time goes, stage by stage, goes to
# bench/profile.txt (`$(PY) bench/speed.py --profile` writes only that).
BENCH_READY := $(VENV)/.bench-installed
bench: $(READY) $(BENCH_READY) $(FONTS)
	$(PY) bench/speed.py
$(BENCH_READY): pyproject.toml $(READY)
	$(VENV)/bin/pip install --quiet -e '.[test,bench]'
	touch $@

# HarfBuzz's font subsetter (about 1 ms a PDF instead of fontTools' 0.1 s, and the EPUB's
# fonts) comes with the fonts now, pinned: tools/install-fonts.sh.
.PHONY: harfbuzz fonts
harfbuzz fonts: $(FONTS)

# The clinic's library through its governance cycle (pipeline/release/): build every
# leaflet of source/, publish the approved ones within their review date into
# output/release/ (and the site, output/site/), keep each released version in
# archive/ (beside source/, never touched by make clean). `make status`: where each leaflet stands (review dates, approvals).
.PHONY: release status
release: $(READY) $(FONTS)
	$(PY) -m pipeline release $(SOURCE_DIR) --out $(OUT)

status: $(READY)
	$(PY) -m pipeline status $(SOURCE_DIR) --out $(OUT)
