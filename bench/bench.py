"""Benchmarks for lint (run with `make bench`): timings belong here, not in the tests.

Measures the cost of a training step with the exact-CAM background loss against a plain ERM step (no CAM at all):
the same small CNN, batch 64, 64 px, CPU, through fastai's own training loop. Methods are interleaved,
in a rotating order, over repeats and the median is reported, because this machine is noisy. Results go to bench/results.json,
one record per measurement: name, median seconds per step, ratio to its baseline, repeats.
"""
import json, os, statistics, sys, tempfile, time
from pathlib import Path
from fastai.vision.all import *
from lint_nb.learner import lint_learner
from lint_nb.metrics import *
from lint_nb.loss import ClassLoss, CAMLossCallback
from lint_nb.cam import small_cnn, CAMCallback

def _dls(n_batches=16, bs=64, size=64):
    "In-memory random images with a label and a group: one input, two targets"
    items = [(TensorImage(torch.rand(3, size, size)), TensorCategory(i % 2), TensorCategory(i % 4)) for i in range(n_batches * bs)]
    ds = Datasets(items, [[ItemGetter(0)], [ItemGetter(1)], [ItemGetter(2)]], n_inp=1)
    return DataLoaders.from_dsets(ds, Datasets(items[:bs], [[ItemGetter(0)], [ItemGetter(1)], [ItemGetter(2)]], n_inp=1), bs=bs, num_workers=0)

CBS = {'erm': lambda: [],                         # plain ERM: no CAM at all (the baseline)
       'erm_with_cam': lambda: [CAMCallback()],    # ERM that also computes the CAM (what lint's `default` method runs, for the CAM metrics)
       'exact_cam_loss': lambda: [CAMLossCallback(1.)]}

def _learner(dls, method): return Learner(dls, small_cnn(), loss_func=ClassLoss(), cbs=CBS[method]())

def step_time(learn, n_batches):
    "Seconds per training step over one epoch of `learn.fit` (validation on one batch)"
    with learn.no_bar(), learn.no_logging():
        t = time.perf_counter(); learn.fit(1, 1e-3); return (time.perf_counter() - t) / n_batches

def main(repeats=int(os.environ.get('BENCH_REPEATS', 9)), n_batches=24):
    torch.set_num_threads(int(os.environ.get('BENCH_THREADS', torch.get_num_threads())))
    set_seed(0)
    dls = _dls(n_batches)
    learners = {m: _learner(dls, m) for m in CBS}
    for l in learners.values(): step_time(l, n_batches)  # warm-up
    times = {m: [] for m in learners}
    order = list(learners)
    for i in range(repeats):  # rotate the order, so no method always runs first
        for m in order[i % len(order):] + order[:i % len(order)]: times[m].append(step_time(learners[m], n_batches))
    med = {m: statistics.median(t) for m, t in times.items()}
    recs = [dict(name=f'train_step_{m}', median_s=med[m], ratio=med[m] / med['erm'], baseline='train_step_erm', repeats=repeats)
            for m in CBS]
    out = Path(__file__).parent / 'results.json'
    fd, tmp = tempfile.mkstemp(dir=out.parent); os.close(fd)
    Path(tmp).write_text(json.dumps(dict(machine=f'{os.cpu_count()} CPU cores, torch {torch.__version__}, {torch.get_num_threads()} threads',
                                         batch=64, image=64, model='small_cnn', records=recs), indent=1))
    os.replace(tmp, out)
    print(f"{'measurement':28} {'median s/step':>14} {'ratio':>7}")
    for r in recs: print(f"{r['name']:28} {r['median_s']:14.4f} {r['ratio']:7.3f}")
    print(f'({repeats} interleaved repeats of {n_batches} steps each; written to {out})')

if __name__ == '__main__': main()
