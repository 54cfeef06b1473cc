#!/usr/bin/env bash
# The GPU check (issue 13), for a CUDA machine that has torch but not the project's .venv (see ../shared/gpu/README.md).
# Here, once, after `make test`:  .venv/bin/python ../shared/gpu/wheels.py      (writes .whl/)
# There, with carry [".whl"]:     source .whl/setup.sh && bash tools/gpu_check.sh
# It runs the cuda cells of the tests, `make experiment` as `python -m lint_nb sweep --jobs 3`, and `bench.py` (its cuda
# section runs where there is a GPU), and leaves every log and result in $OUT (default gpu_check/).
set -uo pipefail
OUT=${OUT:-gpu_check}; mkdir -p "$OUT"
python3 -c 'import torch; print(torch.__version__, torch.cuda.get_device_name(), "bf16" if torch.cuda.is_bf16_supported() else "no bf16")' | tee "$OUT/device.txt"
{ time python3 -c "from nbdev.test import test_nb; from pathlib import Path; import sys; ok, t = test_nb(Path('nbs/05_learner.ipynb').resolve(), skip_flags=['slow'], force_flags=['cuda']); print('cuda cells', 'passed' if ok else 'FAILED', f'in {t:.0f} s'); sys.exit(0 if ok else 1)"; } > "$OUT/cuda_cells.log" 2>&1
echo "cuda cells rc=$?" | tee -a "$OUT/cuda_cells.log"
{ time python3 -m lint_nb sweep --name effect --root "$OUT/experiments" --path data --jobs 3; } > "$OUT/sweep.log" 2>&1
echo "sweep rc=$?" | tee -a "$OUT/sweep.log"; tail -4 "$OUT/sweep.log"
{ time python3 bench/bench.py; } > "$OUT/bench.log" 2>&1
echo "bench rc=$?" | tee -a "$OUT/bench.log"; cp bench/results.json "$OUT/results.json"; grep -i "cuda\|pipeline\|loader\|learner" "$OUT/bench.log"
find "$OUT/experiments/runs" -name metrics.json | head -20 | while read f; do python3 -c "import json,sys; m=json.load(open('$f')); print(m['method'], m['seed'], m['device'], m['precision'], m['train_time_s'], m['test']['worst_group_accuracy'])"; done | tee "$OUT/runs.txt"
rm -rf "$OUT"/experiments/runs/*/model.pkl  # keep what comes back small
