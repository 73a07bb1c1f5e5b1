# Ittisal — the two commands a newcomer needs: `make run` and `make test`.
# Both create .venv when it is missing and (re)install when pyproject.toml changes.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python

.PHONY: run test lint bench screenshots dist dist-check clean

run: $(VENV)/.installed-app
	$(PY) main.py

test: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/pytest

# What gets installed works away from the checkout: the wheel is built, installed in a
# fresh venv in a temporary folder and its command line exports a certificate PDF in the
# bundled fonts; so does the PyInstaller bundle (`make dist`'s, or one built there), run
# with the checkout hidden. Offline: it uses what `make test` installed. One step per
# check in tools/dist_check.py. Needs pdffonts (poppler-utils).
dist-check: $(VENV)/.installed-test
	$(PY) tools/dist_check.py

# The one-folder bundle for this platform: dist/ittisal/ittisal, the same command line as
# main.py (no command starts the app). PyInstaller comes with `make test` ([build] extra).
dist: $(VENV)/.installed-test
	$(BIN)/pyinstaller --noconfirm --clean --log-level WARN --distpath dist \
	  --workpath build/pyinstaller packaging/ittisal.spec
	@du -sh dist/ittisal

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .

bench: $(VENV)/.installed-bench
	$(PY) benchmarks/run.py

# PNGs of every page and the activity form, on demo data, into docs/screenshots/.
screenshots: $(VENV)/.installed-test
	QT_QPA_PLATFORM=offscreen $(PY) -m ui.screenshots

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "Ittisal needs Python 3.11 or newer (found: $$($(PYTHON) --version 2>&1))."; exit 1; }
	@$(PYTHON) -m venv $(VENV) || \
	  { echo "Cannot create .venv: install the venv module (Debian/Ubuntu: sudo apt-get install python3-venv)."; exit 1; }
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed-app: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[test,build]'
	@touch $@ $(VENV)/.installed-app

# The benchmarks measure against docxtpl + docxcompose, which the app does not need.
$(VENV)/.installed-bench: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[test,build,bench]'
	@touch $@ $(VENV)/.installed-test $(VENV)/.installed-app

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis build dist *.egg-info
