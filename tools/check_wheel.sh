#!/usr/bin/env bash
# The package as a user gets it: build the wheel, install it into a fresh venv with only its own requirements (at the lock's
# versions, from uv's cache: no dev extra), and run every console script once from a folder outside the checkout.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
uv=${UV:-$repo/.venv/uv/bin/uv}
sources=$(python3 "$repo/tools/pip_sources.py")
work=$(mktemp -d); [ -n "${KEEP:-}" ] || trap 'rm -rf "$work"' EXIT
step() { echo "check-wheel: $*"; }
cd "$repo"
$uv build --wheel --out-dir "$work/dist" -q . 2> "$work/build.log" || { cat "$work/build.log"; exit 1; }
whl=$(ls "$work"/dist/lint_nb-*.whl)
$uv venv -q --python python3 "$work/venv"
grep -v '^ *--hash\|^ *#' requirements.lock | sed 's/ *\\$//' > "$work/constraints.txt"  # the lock's versions, as constraints
$uv pip install -q --python "$work/venv/bin/python" $sources -c "$work/constraints.txt" "$whl"
bin=$work/venv/bin; out=$work/user; mkdir -p "$out"; cd "$out"
if $bin/python -c 'import nbdev' 2>/dev/null; then echo "check-wheel: nbdev is installed: the dev extra leaked into the plain install"; exit 1; fi
step "lint_train";   $bin/lint_train --out o --name w --n_train 200 --epochs 1 > log.txt
step "lint_cams";    $bin/lint_cams w --out o --n 4 >> log.txt
img=$(find data/synthetic_p0.95_n200_64px_seed0/images/test -name "*.png" -print -quit)
step "lint_predict"; $bin/lint_predict w "$img" --out o > predict.txt 2> predict.err; grep -q -E "	(spots|patch)" predict.txt
step "lint_report";  $bin/lint_report --folder o/models --baseline erm > report.txt; grep -q "worst_group_accuracy 95% CI" report.txt
step "lint_sweep";   $bin/lint_sweep --name s --root r --methods erm --seeds 0 --n_train 200 --epochs 1 >> log.txt
test -f r/s/report.md && test -n "$(find r/runs -name metrics.json -not -path '*/.*')"
echo "check-wheel: the wheel's five console scripts ran from $out, outside the checkout, without the dev extra"
