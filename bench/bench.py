"""Benchmarks for lint (run with `make bench`): timings belong here, not in the tests.

Three measurements, each the median of interleaved repeats (the order rotates, so no variant always runs first),
because this machine is noisy. Ratios are to a baseline measured in the same run.

(a) Training step, through fastai's own loop, batch 64, 64 px, for the small CNN and resnet18 from scratch (both with
    the CAM-exact head, so the same model runs every variant): plain ERM (no CAM at all, the baseline) against the
    background loss on the exact CAM, on Grad-CAM and on HiResCAM.
(b) CAM extraction for display, resnet18 with fastai's default head (no exact CAM), 128 px, batch 64, eval mode, one map
    per image for its predicted class: lint's batched Grad-CAM (the baseline, upsampled to the input) against
    pytorch-grad-cam's GradCAM (resized, normalised numpy maps) and torchcam's GradCAM (normalised low-res maps).
(c) HiResCAM of every class, small CNN, batch 64, 64 px: lint's batched maps (the baseline) against the origin's way,
    one backward per image per class over the batch, for 2 and 10 classes.
(d) The data pipeline, on the synthetic data (1,000 training images, 64 px, batch 64), on this machine's device:
    images/s of one epoch of the training loader, decoding every file (`cache=False`, the baseline) against the
    decoded cache (`CachedDL`); and of one epoch of the project's Learner (small CNN, exact-CAM loss, its metrics)
    on each.
(e) Only where there is a GPU (`cuda` records): the default setting (small CNN, 64 px, batch 64, exact-CAM loss) as
    a bare PyTorch loop over GPU-resident tensors (the baseline), as fastai's loop with `CAMLossCallback` over
    GPU-resident tensors without metrics (fp32 and bf16), and as the project's Learner on the cached pipeline with its
    metrics; then resnet18 at 224 px in bf16, the exact-CAM loss step against ERM's.

Results go to bench/results.json, one record per measurement: name, median seconds, ratio to its baseline, repeats.
"""
import json, os, statistics, time
from pathlib import Path
from fastai.vision.all import *
from fastcore.test import test_close
from lint_nb.models import small_cnn, lint_model
from lint_nb.cam import cam, cam_from_features, CAMCallback
from lint_nb.loss import ClassLoss, CentrePrior
from lint_nb.camloss import CAMLossCallback
from lint_nb.files import atomic_file
from lint_nb.synthetic import synthetic_data
from lint_nb.tables import waterbirds_table
from lint_nb.cache import cache_table, cache_array
from lint_nb.data import lint_dls
from lint_nb.learner import lint_learner, set_precision
from lint_nb.test_utils import tiny_dls
import tempfile

REPEATS = int(os.environ.get('BENCH_REPEATS', 7))

def _dls(n_batches, bs=64, size=64):
    "In-memory random images with a label and a group, `n_batches` batches of them: one input, two targets"
    return tiny_dls(n_batches * bs, size, bs, n_valid=bs)

class _TrainOnly(Callback):
    "Skip validation: the benchmark times training steps only"
    def before_validate(self): raise CancelValidException()

def timed(fns:dict, repeats:int=REPEATS) -> dict:
    "Median seconds of each zero-argument function, over interleaved repeats in a rotating order, after one warm-up each"
    for f in fns.values(): f()
    times, order = {k: [] for k in fns}, list(fns)
    for i in range(repeats):
        for k in order[i % len(order):] + order[:i % len(order)]:
            t = time.perf_counter(); fns[k](); times[k].append(time.perf_counter() - t)
    return {k: statistics.median(v) for k, v in times.items()}

def _records(meds, baseline, per=1, **extra):
    "One record per measurement, with its ratio to `baseline`; `per` divides the times (steps per call)"
    return [dict(name=k, median_s=v / per, ratio=v / meds[baseline], baseline=baseline, repeats=REPEATS, **extra) for k, v in meds.items()]

def train_steps(arch, n_batches):
    "(a) seconds per training step: ERM against the background loss on each CAM method"
    dls = _dls(n_batches)
    cbs = {'erm': [], 'exact_cam_loss': [CAMLossCallback(1., method='cam')],
           'gradcam_loss': [CAMLossCallback(1., method='gradcam')], 'hirescam_loss': [CAMLossCallback(1., method='hirescam')]}
    learners = {k: Learner(dls, lint_model(arch), loss_func=ClassLoss(), cbs=v + [_TrainOnly()]) for k, v in cbs.items()}
    def fit(learn):
        with learn.no_bar(), learn.no_logging(): learn.fit(1, 1e-3)
    meds = timed({f'train_step_{arch}_{k}': (lambda l=l: fit(l)) for k, l in learners.items()})
    return _records(meds, f'train_step_{arch}_erm', per=n_batches)

def extraction(bs=64, size=128):
    "(b) one Grad-CAM per image for display: lint against pytorch-grad-cam and torchcam, on the same model and batch"
    from pytorch_grad_cam import GradCAM as PGCGradCAM
    from torchcam.methods import GradCAM as TCGradCAM
    model, x = lint_model('resnet18', head='fastai').eval(), torch.randn(bs, 3, size, size)
    def pgc_maps():  # hooks on only while it runs, as for the others
        with PGCGradCAM(model, target_layers=[model[0]]) as c: return c(x, targets=None)
    def torchcam_maps():
        with TCGradCAM(model, target_layer=model[0], input_shape=(3, size, size)) as ext:
            out = model(x); return ext(out.argmax(1).tolist(), out)
    fns = {'extract_gradcam_lint': lambda: cam(model, x, 'gradcam', target='pred', size=True, create_graph=False),
           'extract_gradcam_pytorch_grad_cam': pgc_maps,
           'extract_gradcam_torchcam': torchcam_maps}
    recs = _records(timed(fns), 'extract_gradcam_lint')
    for r in recs: r['images_per_s'] = bs / r['median_s']
    return recs

def loop_hirescam(model, x):
    "The origin's way: one forward, then one backward per image per class"
    with torch.enable_grad(), hook_output(model[0], detach=False) as h:
        logits, acts = model(x), h.stored
        maps = torch.zeros(len(x), logits.shape[1], *acts.shape[2:])
        for i in range(len(x)):
            for c in range(logits.shape[1]):
                g, = torch.autograd.grad(logits[i, c], acts, retain_graph=True)
                maps[i, c] = (g[i] * acts[i]).sum(0).detach()
    return maps

def per_image_loop(n_classes, bs=64):
    "(c) HiResCAM of every class: batched against the per-image, per-class loop"
    model, x = small_cnn(n_classes).eval(), torch.randn(bs, 3, 64, 64)
    test_close(cam(model, x, 'hirescam', create_graph=False)[1], loop_hirescam(model, x), eps=1e-5)  # the same maps
    meds = timed({f'hirescam_{n_classes}cls_lint_batched': lambda: cam(model, x, 'hirescam', create_graph=False),
                  f'hirescam_{n_classes}cls_per_image_loop': lambda: loop_hirescam(model, x)})
    return _records(meds, f'hirescam_{n_classes}cls_lint_batched')

def _sync():
    if torch.cuda.is_available(): torch.cuda.synchronize()

def _epoch(learn):
    "One training epoch, without validation"
    with learn.no_bar(), learn.no_logging(): learn.fit(1, 1e-3, cbs=_TrainOnly())
    _sync()

def pipeline(device, n_train=1000):
    "(d) images/s of the training loader and of the project's Learner, decoding every file against the decoded cache"
    path = synthetic_data(tempfile.mkdtemp(), n_train=n_train, n_valid=64, n_test=64)
    dls = {k: lint_dls(path, cache=c, device=device) for k, c in (('decode', False), ('cached', True))}
    n = len(dls['cached'].train) * 64
    def loader(d):
        for b in d.train: pass
        _sync()
    fns = {f'loader_{k}': (lambda d=d: loader(d)) for k, d in dls.items()}
    learners = {k: lint_learner(d, 'camloss') for k, d in dls.items()}
    fns.update({f'learner_epoch_{k}': (lambda l=l: _epoch(l)) for k, l in learners.items()})
    meds = timed(fns, repeats=3)
    recs = _records({k: v for k, v in meds.items() if k.startswith('loader')}, 'loader_decode', device=str(device))
    recs += _records({k: v for k, v in meds.items() if k.startswith('learner')}, 'learner_epoch_decode', device=str(device))
    for r in recs: r['images_per_s'] = n / r['median_s']
    return recs

def cache_loads(n_train=4000):
    "(f) seconds to load the decoded cache of the default synthetic data: the first load (building it) against the warm load of a new process"
    path = synthetic_data(os.environ.get('BENCH_DATA') or tempfile.mkdtemp(), n_train=n_train)  # BENCH_DATA: reuse one data set, to compare two checkouts
    df = waterbirds_table(path, check=False)
    def load():
        cache_array.cache_clear()  # a new process: nothing mapped yet
        t = cache_table(df)
        return [np.array(cache_array(f)) for f in set(t['cache']) | set(t['mask_cache'])]
    t = cache_table(df); caches = {Path(f) for f in set(t['cache']) | set(t['mask_cache'])}
    def first():
        for f in caches: f.unlink(missing_ok=True); f.with_suffix('.json').unlink(missing_ok=True)
        load()
    recs = _records(timed({'cache_warm_load': load, 'cache_first_load': first}, repeats=5), 'cache_warm_load')
    for r in recs: r['images_per_s'] = len(df) / r['median_s']
    return recs

def bare_loop(model, x, y, steps):
    "The ceiling: a plain PyTorch training loop over GPU-resident tensors, with the exact-CAM background loss"
    opt, prior = torch.optim.AdamW(model.parameters(), 1e-3), CentrePrior()
    for i in range(steps):
        xb, yb = x[i % len(x)], y[i % len(y)]
        with hook_output(model[0], detach=False) as h: logits = model(xb)
        loss = F.cross_entropy(logits, yb) + prior(cam_from_features(h.stored, model[1][2]), logits, yb, tuple(xb.shape[-2:]))
        opt.zero_grad(); loss.backward(); opt.step()
    _sync()

def cuda_section(steps=40, device='cuda'):
    "(e) images/s of the default setting on a GPU: the bare loop, fastai's loop on GPU tensors, the project's Learner; resnet18 224 px bf16"
    dev, bs = torch.device(device), 64
    x, y = torch.rand(steps, bs, 3, 64, 64, device=dev), torch.randint(0, 2, (steps, bs), device=dev)
    gpu_dls = _dls(steps).to(dev)
    path = synthetic_data(tempfile.mkdtemp(), n_train=steps * bs, n_valid=64, n_test=64)
    real = lint_learner(lint_dls(path, device=dev), 'camloss')  # fastai moves the model to the data's device at fit
    fa = {p: set_precision(Learner(gpu_dls, lint_model().to(dev), loss_func=ClassLoss(), cbs=CAMLossCallback(1.)), p) for p in ('fp32', 'bf16')}
    bare = lint_model().to(dev)
    fns = {'cuda_bare_loop_fp32': lambda: bare_loop(bare, x, y, steps),
           'cuda_fastai_gpu_tensors_fp32': lambda: _epoch(fa['fp32']), 'cuda_fastai_gpu_tensors_bf16': lambda: _epoch(fa['bf16']),
           'cuda_lint_learner_cached_fp32': lambda: _epoch(real)}
    recs = _records(timed(fns, repeats=5), 'cuda_bare_loop_fp32', device=str(dev))
    for r in recs: r['images_per_s'] = steps * bs / r['median_s']
    big = {k: set_precision(Learner(_dls(4, bs=64, size=224).to(dev), lint_model('resnet18').to(dev), loss_func=ClassLoss(), cbs=cb), 'bf16')
           for k, cb in (('erm', CAMCallback('cam')), ('exact_cam_loss', CAMLossCallback(1., method='cam')))}
    recs += _records(timed({f'cuda_resnet18_224_bf16_{k}': (lambda l=l: _epoch(l)) for k, l in big.items()}, repeats=5),
                     'cuda_resnet18_224_bf16_erm', per=4, device=str(dev))
    return recs

def main():
    torch.set_num_threads(int(os.environ.get('BENCH_THREADS', torch.get_num_threads())))
    set_seed(0)
    t0, recs = time.time(), []
    if os.environ.get('BENCH_ONLY') == 'cache': return print(*(f"{r['name']:20} {r['median_s']:8.3f} s" for r in cache_loads()), sep='\n')
    recs += train_steps('small_cnn', 12); recs += train_steps('resnet18', 4)
    recs += extraction()
    for n in (2, 10): recs += per_image_loop(n)
    recs += pipeline(default_device())
    recs += cache_loads()
    if torch.cuda.is_available(): recs += cuda_section()
    out = Path(__file__).parent / 'results.json'
    meta = dict(machine=f'{os.cpu_count()} CPU cores, torch {torch.__version__}, {torch.get_num_threads()} threads',
                device=torch.cuda.get_device_name() if torch.cuda.is_available() else 'cpu', repeats=REPEATS, seconds=round(time.time() - t0), records=recs)
    with atomic_file(out) as tmp: tmp.write_text(json.dumps(meta, indent=1))
    print(f"{'measurement':45} {'median s':>10} {'ratio':>7}  baseline")
    for r in recs: print(f"{r['name']:45} {r['median_s']:10.4f} {r['ratio']:7.2f}  {r['baseline']}" + (f"  {r['images_per_s']:,.0f} images/s" if 'images_per_s' in r else ''))
    print(f"({REPEATS} interleaved repeats, {meta['seconds']} s in all; written to {out})")

if __name__ == '__main__': main()
