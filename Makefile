# lint: every target sets up .venv on first use: the locked toolchain (requirements.lock, every package at an exact version with its hashes) with uv, then lint_nb itself without dependencies
SHELL := /bin/bash
VENV ?= .venv
BIN := $(VENV)/bin
PYTHON ?= python3
# runs at once in make experiment and make ablation (each gets cores / JOBS torch threads; the thread count changes the last digits, see the README)
JOBS ?= 2
LOCK := requirements.lock
# uv installs the lock (measured 4x faster than pip here: README, Toolchain pins); it lives beside the venv, not in it, so that `uv pip sync` leaves the venv exactly the lock
UV_VERSION := 0.13.9
UV := $(VENV)/uv/bin/uv
# the package sources pip is configured with here (uv reads no pip.conf)
SOURCES = $(shell $(PYTHON) tools/pip_sources.py)

.PHONY: test test-slurm test-all export check-export check-lines check-docs check-outputs check-wheel experiment ablation counterfactual label-free translation waterbirds caltech lab docs readme check-readme bench clean lock golden

$(UV):
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@PIP_ROOT_USER_ACTION=ignore $(PYTHON) -m pip install -q --target $(VENV)/uv uv==$(UV_VERSION) 2>/dev/null || $(PYTHON) -m pip install --target $(VENV)/uv uv==$(UV_VERSION)

$(BIN)/nbdev_test: $(LOCK) settings.ini setup.py | $(UV)
	@echo "Installing the locked toolchain ($(LOCK)) and lint_nb into $(VENV) with uv (log: $(VENV)/install.log)"
	@{ $(UV) pip sync --python $(BIN)/python $(SOURCES) $(LOCK) && $(UV) pip install --python $(BIN)/python --no-deps -e . ; } > $(VENV)/install.log 2>&1 \
	  || { tail -30 $(VENV)/install.log; echo "uv pip sync failed: see $(VENV)/install.log"; exit 1; }
	@$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "lint (.venv)" >> $(VENV)/install.log 2>&1
	@touch $@

## make lock: resolve settings.ini's requirements and the dev extra anew into requirements.lock (exact versions, hashes); a new lock moves numbers: rerun the README's tables and make golden in the same commit
lock: | $(UV)
	$(UV) pip compile setup.py --extra dev --generate-hashes --python-version 3.11 $(shell $(PYTHON) tools/pip_sources.py --lock) --custom-compile-command "make lock" --refresh-package lint_nb -q -o $(LOCK)
	@echo "$(LOCK) rewritten: make test (its golden run) says whether numbers moved"

# nbdev_test runs two notebooks at once: each gets its share of the cores as torch threads, not all of them (oversubscribed, they ran slower)
TEST_THREADS ?= $(shell $(PYTHON) -c "import os; print(max(1, (os.cpu_count() or 2) // 2))")

## make test: nbdev_test, then check that nbdev_export and the README are in sync with the notebooks, that nbdev_proc_nbs (the docs' first step) runs cleanly and that no committed output holds a warning or a machine path
test: $(BIN)/nbdev_test
	OMP_NUM_THREADS=$(TEST_THREADS) MKL_NUM_THREADS=$(TEST_THREADS) $(BIN)/nbdev_test --n_workers 2 --timing
	@echo "The cells flagged slurm (nbs/11b_slurm.ipynb) are not in make test: make test-slurm runs them against a running Slurm (bash ../shared/slurm/start.sh starts one, as root)"
	$(MAKE) --no-print-directory check-export check-lines check-readme check-docs check-outputs check-wheel

## make test-slurm: the cells flagged slurm (nbs/11b_slurm.ipynb), against a real Slurm that answers scontrol ping (.ci/run starts one with ../shared/slurm/start.sh, as root)
test-slurm: $(BIN)/nbdev_test
	@scontrol ping >/dev/null 2>&1 || { echo "make test-slurm needs a running Slurm (scontrol ping): bash ../shared/slurm/start.sh starts a one-node one on this machine, as root"; exit 1; }
	$(BIN)/nbdev_test --path nbs/11b_slurm.ipynb --flags slurm --timing

## make test-all: also the cells flagged slow
test-all: $(BIN)/nbdev_test
	OMP_NUM_THREADS=$(TEST_THREADS) MKL_NUM_THREADS=$(TEST_THREADS) $(BIN)/nbdev_test --n_workers 2 --timing --flags slow
	$(MAKE) --no-print-directory check-export check-lines check-readme check-docs check-outputs check-wheel

## make golden: rerun the golden run (nbs/14_golden.ipynb) and rewrite nbs/golden.json, printing what moved: for a change that means to move numbers (say why in its commit)
golden: $(BIN)/nbdev_test
	@cd nbs && ../$(BIN)/python -c "from lint_nb.golden import check_golden; print('\n'.join(check_golden(write=True)) or 'nothing moved')"
	@echo "nbs/golden.json rewritten"

## make export: the package from the notebooks (nbdev_export), and the experiment template as its package data
export: $(BIN)/nbdev_test
	$(BIN)/nbdev_export
	cp nbs/experiments/01_experiment.ipynb lint_nb/experiment.ipynb

check-export: $(BIN)/nbdev_test
	@before=$$(find lint_nb -name '*.py' -o -name '*.ipynb' | sort | xargs sha1sum); $(MAKE) --no-print-directory -s export > /dev/null; \
	 after=$$(find lint_nb -name '*.py' -o -name '*.ipynb' | sort | xargs sha1sum); \
	 if [ "$$before" != "$$after" ]; then diff <(echo "$$before") <(echo "$$after"); \
	   echo "lint_nb/ was out of sync with nbs/: make export has now rewritten it; commit the result"; exit 1; fi
	@echo "nbdev_export leaves no diff"

## check-docs: the first step of nbdev_docs and nbdev_preview (it needs no Quarto), which runs every cell that imports something out of context
check-docs: $(BIN)/nbdev_test
	@$(BIN)/nbdev_proc_nbs > $(VENV)/proc_nbs.log 2>&1 || { grep -A3 "Error in notebook" $(VENV)/proc_nbs.log | head -20; echo "nbdev_proc_nbs failed: see $(VENV)/proc_nbs.log"; exit 1; }
	@if grep -q "Found cells containing imports and other code" $(VENV)/proc_nbs.log; then grep -A3 "Found cells containing imports" $(VENV)/proc_nbs.log; \
	   echo "keep imports in cells of their own: nbdev's docs processor runs such cells out of context"; exit 1; fi
	@echo "nbdev_proc_nbs (the docs' first step) runs cleanly"

check-outputs:
	@$(PYTHON) tools/check_outputs.py

## check-lines: no line of lint_nb/ over settings.ini's max_line_length
check-lines:
	@$(PYTHON) tools/check_lines.py

## check-wheel: the wheel as a user gets it, with only its own requirements (the lock's versions): each console script once, outside the checkout
check-wheel: $(BIN)/nbdev_test
	@UV=$(UV) tools/check_wheel.sh

## README.md is written from nbs/index.ipynb (by nbdev_readme where Quarto is installed, else by nbconvert)
readme: $(BIN)/nbdev_test
	@if command -v quarto >/dev/null; then $(BIN)/nbdev_readme; else $(BIN)/python tools/readme.py write; fi

check-readme: $(BIN)/nbdev_test
	@if command -v quarto >/dev/null; then $(BIN)/nbdev_readme && git diff --exit-code README.md; \
	 else $(BIN)/python tools/readme.py check; fi

## make bench: timings (training steps per CAM method, CAM extraction against pytorch-grad-cam and torchcam, batched against per-image loops), written to bench/results.json
bench: $(BIN)/nbdev_test
	$(BIN)/python bench/bench.py

## make experiment: the main job: ERM, the CAM loss and GroupDRO, 3 seeds (SEEDS=0,1,2,3,... for more), p = 0.95, on the built-in synthetic data
SEEDS ?= 0,1,2
experiment: $(BIN)/nbdev_test
	@echo "lint_sweep: 3 methods x seeds $(SEEDS), papermill runs of the experiment template (nbs/experiments/01_experiment.ipynb), $(JOBS) at a time (about 90 s each on 2 CPU cores); finished runs are skipped"
	$(BIN)/lint_sweep --name effect --root experiments --jobs $(JOBS) --seeds $(SEEDS)
	@echo "Runs: experiments/runs/; report and figures: experiments/effect/"

# the experiment notebooks: papermill runs the target's notebook (its first prerequisite) into experiments/<target>/<target>.ipynb, $(JOBS) runs at a time
PAPERMILL = mkdir -p experiments/$@ && $(BIN)/python -m papermill $< experiments/$@/$@.ipynb --cwd nbs/experiments -k python3 -p jobs $(JOBS) --no-progress-bar

## make ablation: every prior, ERM, GroupDRO and background swapping at p = 0.9, 0.95, 0.99, 3 seeds, the CAM weights picked on validation (nbs/experiments/02_ablation.ipynb)
ablation: nbs/experiments/02_ablation.ipynb $(BIN)/nbdev_test
	@echo "The ablation: about 70 papermill runs of the experiment template, $(JOBS) at a time (about 75 minutes on 2 CPU cores); finished runs are skipped"
	$(PAPERMILL)
	@echo "Report: experiments/ablation/ablation.md (and report.md, the per-group tables and figures)"

## make counterfactual: swapping what the centre prior or the model's CAM marks as the object, JTT and DFR, with ERM, GroupDRO, RWG and mask swapping, at p = 0.9 to 0.999 and on the digits benchmark, 3 seeds (nbs/experiments/04_counterfactual.ipynb)
counterfactual: nbs/experiments/04_counterfactual.ipynb $(BIN)/nbdev_test
	@echo "The label-free comparison: 6 JTT search runs, then 123 papermill runs of the experiment template, $(JOBS) at a time (about 110 minutes on 2 CPU cores); finished runs are skipped"
	$(PAPERMILL)
	@echo "Report: experiments/counterfactual/counterfactual.md and its figures"

## make label-free: choosing settings and methods without group labels (the label-free criteria beside the oracle), the p = 0.9 diagnosis of CAM swapping, and the colour-cast benchmark (data tint), 3 seeds, then the final rows on 10 (nbs/experiments/05_label_free.ipynb)
label-free: nbs/experiments/05_label_free.ipynb $(BIN)/nbdev_test
	@echo "The label-free study: 395 papermill runs of the experiment template (the searches on 3 seeds, the final rows on 10, the digits' at 24 epochs), $(JOBS) at a time (about 11 hours on 2 CPU cores, 4 of them the digits' final rows), then two diagnosis reruns; finished runs, such as those committed in experiments/seeds10, are skipped"
	mkdir -p experiments/label_free && $(BIN)/python -m papermill $< experiments/label_free/label_free.ipynb --cwd nbs/experiments -k python3 -p jobs $(JOBS) --no-progress-bar
	@echo "Report: experiments/seeds10/label_free/label_free.md and diagnosis.png"

## make translation: the translation test (nbs/experiments/03_translation.ipynb): ERM, the centre and the mask prior, 3 seeds, scored on test objects moved off the centre
translation: nbs/experiments/03_translation.ipynb $(BIN)/nbdev_test
	@echo "The translation test: make experiment's ERM and centre-prior runs (skipped if finished), the mask prior's 3 runs, then each model on 6 shifted test splits"
	$(PAPERMILL)
	@echo "Report: experiments/translation/translation.md and translation.png"

# Real data (README, "Real data"): DATA is the data set's folder, WEIGHTS a file of pretrained weights; ARGS adds or overrides lint_sweep options
ROOT ?= experiments
ARGS ?=

## make waterbirds DATA=<folder with metadata.csv> WEIGHTS=<resnet50 ImageNet state dict>: the paper's table (--recipe paper): ERM, GroupDRO and the CAM loss, 3 seeds; meant for a GPU
waterbirds: $(BIN)/nbdev_test
	@test -n "$(DATA)" || { echo "make waterbirds needs DATA=<the Waterbirds folder, holding metadata.csv>"; exit 2; }
	@test -n "$(WEIGHTS)" || { echo "make waterbirds needs WEIGHTS=<a file of resnet50's ImageNet weights, e.g. resnet50-11ad3fa6.pth from torchvision>"; exit 2; }
	$(BIN)/lint_sweep --name waterbirds --root $(ROOT) --recipe paper --data waterbirds --path $(DATA) --weights $(WEIGHTS) --methods erm,groupdro,camloss --seeds 0,1,2 --jobs $(JOBS) $(ARGS)
	@echo "The paper's table: $(ROOT)/waterbirds/paper.md"

## make caltech DATA=<256_ObjectCategories>: the origin's orca/leopard experiment (--recipe origin-caltech): ERM and the CAM loss, 3 seeds
caltech: $(BIN)/nbdev_test
	@test -n "$(DATA)" || { echo "make caltech needs DATA=<the 256_ObjectCategories folder, holding 124.killer-whale and 129.leopards-101>"; exit 2; }
	$(BIN)/lint_sweep --name caltech --root $(ROOT) --recipe origin-caltech --data caltech256 --path $(DATA) --methods erm,camloss --seeds 0,1,2 --jobs $(JOBS) $(ARGS)
	@echo "The table: $(ROOT)/caltech/paper.md (and report.md)"

## make lab: JupyterLab (a dev requirement, installed with the rest: no network needed here)
lab: $(BIN)/nbdev_test
	$(BIN)/jupyter lab nbs

docs: $(BIN)/nbdev_test
	@command -v quarto >/dev/null || { echo "make docs needs Quarto, which is not installed here."; \
	  echo "Install it from https://quarto.org/docs/get-started/ (or: $(BIN)/nbdev_install_quarto on Linux with sudo), then run make docs again."; exit 1; }
	$(BIN)/nbdev_docs

clean:
	rm -rf _docs _proc
