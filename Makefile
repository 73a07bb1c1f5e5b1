# Ittisal — the two commands a newcomer needs: `make run` and `make test`.
# Both create .venv when it is missing and (re)install when pyproject.toml changes.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python

.PHONY: run test lint bench screenshots clean

run: $(VENV)/.installed-app
	$(PY) main.py

test: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/pytest

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
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $@ $(VENV)/.installed-app

# The benchmarks measure against docxtpl + docxcompose, which the app does not need.
$(VENV)/.installed-bench: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[test,bench]'
	@touch $@ $(VENV)/.installed-test $(VENV)/.installed-app

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis build *.egg-info
