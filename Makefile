# lint: every target sets up .venv (pip, the pinned toolchain in settings.ini) on first use.
SHELL := /bin/bash
VENV ?= .venv
BIN := $(VENV)/bin
PYTHON ?= python3
SWEEP ?= experiments/effect

.PHONY: test test-all experiment lab docs readme check-readme bench clean

$(BIN)/nbdev_test: settings.ini setup.py
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@echo "Installing lint_nb and its pinned toolchain into $(VENV) (log: $(VENV)/install.log)"
	@$(BIN)/python -m pip install -e ".[dev]" > $(VENV)/install.log 2>&1 \
	  || { tail -30 $(VENV)/install.log; echo "pip install failed: see $(VENV)/install.log"; exit 1; }
	@$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "lint (.venv)" >> $(VENV)/install.log 2>&1
	@touch $@

## make test: nbdev_test, then check that nbdev_export and the README are in sync with the notebooks
test: $(BIN)/nbdev_test
	$(BIN)/nbdev_test --n_workers 2 --timing
	$(MAKE) --no-print-directory check-export check-readme

## make test-all: also the cells flagged slow
test-all: $(BIN)/nbdev_test
	$(BIN)/nbdev_test --n_workers 2 --timing --flags slow
	$(MAKE) --no-print-directory check-export check-readme

check-export: $(BIN)/nbdev_test
	$(BIN)/nbdev_export
	@git diff --quiet --exit-code -- lint_nb && test -z "$$(git status --porcelain -- lint_nb)" \
	  || { git status --short -- lint_nb; echo "lint_nb/ is out of sync with nbs/: run nbdev_export and commit"; exit 1; }
	@echo "nbdev_export leaves no diff"

## README.md is written from nbs/index.ipynb
readme: $(BIN)/nbdev_test
	@if command -v quarto >/dev/null; then $(BIN)/nbdev_readme; else $(BIN)/python tools/readme.py write; fi

check-readme: $(BIN)/nbdev_test
	$(BIN)/python tools/readme.py check

## make experiment: the main job: ERM vs the CAM background loss, 3 seeds, on the built-in synthetic data
experiment: $(BIN)/nbdev_test
	$(BIN)/papermill nbs/06_effect.ipynb $(SWEEP)/06_effect.ipynb --cwd nbs -k python3 -p out ../$(SWEEP) --log-output --no-progress-bar > /dev/null
	@cat $(SWEEP)/report.md

lab: $(BIN)/nbdev_test
	@$(BIN)/python -m pip install -q jupyterlab >> $(VENV)/install.log 2>&1
	$(BIN)/jupyter lab nbs

docs: $(BIN)/nbdev_test
	@command -v quarto >/dev/null || { echo "make docs needs Quarto, which is not installed here."; \
	  echo "Install it from https://quarto.org/docs/get-started/ (or: $(BIN)/nbdev_install_quarto on Linux with sudo), then run make docs again."; exit 1; }
	$(BIN)/nbdev_docs

clean:
	rm -rf _docs _proc
