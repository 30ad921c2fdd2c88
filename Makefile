# The patient-leaflet pipeline. `make pdf` on a fresh clone sets everything up
# (a .venv from the pinned dependencies in pyproject.toml) and builds.

PYTHON  ?= python3
VENV    := .venv
PY      := $(VENV)/bin/python
READY   := $(VENV)/.installed
OUT     := output
# The fonts of every script (tools/install-fonts.sh): needed before any leaflet is built.
FONTS   := .tools/fonts.installed

SOURCES := $(wildcard source/*.md)
PDFS    := $(SOURCES:source/%.md=$(OUT)/%.pdf)
EPUBS   := $(SOURCES:source/%.md=$(OUT)/%.epub)
PICTURES:= $(SOURCES:source/%.md=$(OUT)/%.pages.png)
# What every leaflet depends on besides its own Markdown: references, styles,
# the pipeline's code and its pinned dependencies.
SHARED  := $(wildcard source/*.json source/*.bib source/*.yaml source/*.yml source/*.csl) \
           $(shell find styles pipeline -type f ! -name '*.pyc' ! -path '*/__pycache__/*') \
           pyproject.toml

.PHONY: all pdf epub print pictures check test fuzz bench-citations clean setup

all: pdf epub
pdf: $(PDFS)
epub: $(EPUBS)
setup: $(READY)

# Every out-of-date leaflet is built by one pipeline run, which shares the
# leaflets out over one worker per core: WeasyPrint is set up once a worker,
# not once a file. Only the articles that changed are rebuilt, unless
# something they share (references, styles, the pipeline) changed, or an
# output is missing.
out_of_date = $(if $(filter-out $(SOURCES),$(1)),$(SOURCES),$(or $(filter $(SOURCES),$(1)),$(SOURCES)))

$(PDFS) &: $(SOURCES) $(SHARED) | $(READY) $(FONTS)
	$(PY) -m pipeline build $(call out_of_date,$?) --to pdf --out $(OUT)

$(EPUBS) &: $(SOURCES) $(SHARED) | $(READY) $(FONTS)
	$(PY) -m pipeline build $(call out_of_date,$?) --to epub --out $(OUT)

# Every printed edition of every leaflet (standard, large print, A5 booklet),
# with pictures of its pages: one run per leaflet writes them all.
print: $(PICTURES)
pictures: $(PICTURES)

$(OUT)/%.pages.png: source/%.md $(SHARED) | $(READY) $(FONTS)
	$(PY) -m pipeline build $< --to pdf --edition standard,large-print,booklet --pictures --out $(OUT)

# Every format of every leaflet (PDF, EPUB and the other formats, --to all) in every
# printed edition: one pipeline run. `make` alone builds the PDF and EPUB.
.PHONY: formats
formats: $(READY) $(FONTS)
	$(PY) -m pipeline build $(SOURCES) --to all --edition standard,large-print,booklet --out $(OUT)

# One edition on its own, e.g. make output/<name>.large-print.pdf
$(OUT)/%.large-print.pdf: source/%.md $(SHARED) | $(READY) $(FONTS)
	$(PY) -m pipeline build $< --to pdf --edition large-print --out $(OUT)

# The same run writes the booklet's A5 pages in reading order, %.a5.pdf.
$(OUT)/%.booklet.pdf: source/%.md $(SHARED) | $(READY) $(FONTS)
	$(PY) -m pipeline build $< --to pdf --edition booklet --out $(OUT)

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
	$(PY) -m pipeline check $(SOURCES) --out $(OUT)

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

# The CSL processor test suite (../shared/csl-test-suite) through the citation
# engine, and plain citeproc-py with --plain: prints pass / fail / crash by category.
# The test suite gates it (tests/citations/test_csl_suite.py, bench/csl-suite-known-failures.txt).
.PHONY: csl-suite
csl-suite: $(READY)
	$(PY) bench/csl_suite.py

clean:
	find $(OUT) -mindepth 1 ! -name .gitkeep -delete

# Live preview of one leaflet: rebuilds its PDF and EPUB in output/ on every save
# of the article, its references or styles/ (Ctrl-C stops).
# make watch SOURCE=source/<name>.md (default: the first article).
.PHONY: watch bench
SOURCE  ?= $(firstword $(SOURCES))
watch: $(READY) $(FONTS)
	$(PY) -m pipeline watch $(SOURCE) --out $(OUT)

# Speed against raw pandoc, measured in the same run (bench/speed.py): one
# leaflet, a library of 50, make -j, the live preview, a 20x longer article and
# make with nothing to do. Writes bench/results.json and prints the table.
bench: $(READY) $(FONTS)
	$(PY) bench/speed.py

# HarfBuzz's font subsetter (about 1 ms a PDF instead of fontTools' 0.1 s, and the EPUB's
# fonts) comes with the fonts now, pinned: tools/install-fonts.sh.
.PHONY: harfbuzz fonts
harfbuzz fonts: $(FONTS)

# The clinic's library through its governance cycle (pipeline/release/): build every
# leaflet of source/, publish the approved ones within their review date into
# output/release/ (and the site, output/site/), keep each released version in
# output/archive/. `make status`: where each leaflet stands (review dates, approvals).
.PHONY: release status
release: $(READY) $(FONTS)
	$(PY) -m pipeline release source --out $(OUT)

status: $(READY)
	$(PY) -m pipeline status source --out $(OUT)
