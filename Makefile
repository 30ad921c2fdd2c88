# The patient-leaflet pipeline. `make pdf` on a fresh clone sets everything up
# (a .venv from the pinned dependencies in pyproject.toml) and builds.

PYTHON  ?= python3
VENV    := .venv
PY      := $(VENV)/bin/python
READY   := $(VENV)/.installed
OUT     := output

SOURCES := $(wildcard source/*.md)
PDFS    := $(SOURCES:source/%.md=$(OUT)/%.pdf)
EPUBS   := $(SOURCES:source/%.md=$(OUT)/%.epub)
# What every leaflet depends on besides its own Markdown: references, styles,
# the pipeline's code and its pinned dependencies.
SHARED  := $(wildcard source/*.json source/*.bib source/*.yaml source/*.yml source/*.csl) \
           $(shell find styles pipeline -type f ! -name '*.pyc' ! -path '*/__pycache__/*') \
           pyproject.toml

.PHONY: all pdf epub test clean setup

all: pdf epub
pdf: $(PDFS)
epub: $(EPUBS)
setup: $(READY)

$(OUT)/%.pdf: source/%.md $(SHARED) | $(READY)
	$(PY) -m pipeline build $< --to pdf --out $(OUT)

$(OUT)/%.epub: source/%.md $(SHARED) | $(READY)
	$(PY) -m pipeline build $< --to epub --out $(OUT)

$(READY): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[test]'
	touch $@

test: $(READY)
	$(PY) -m pytest

clean:
	find $(OUT) -mindepth 1 ! -name .gitkeep -delete
