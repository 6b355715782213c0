"""What gradscope.watch costs a real training loop on the CPU: a 4-layer MLP and a small CNN.

    PYTHONPATH=python /usr/bin/python3 python/bench_overhead.py [--rounds 30] [--every 10] [--snapshots 2]
        [--windows 200] [--baseline DIR] [--max-overhead 0.05] [--resnet18 30]

Each round trains the same model for every × snapshots steps without gradscope and with it (order alternating
between rounds, watch() and close() inside the timed part), on synthetic data drawn up front; the overhead is the
median over the rounds of the with/without ratio (with its quartiles: the spread a loaded machine leaves),
in wall-clock and in CPU time (the process's). torch uses as many threads as the machine has cores unless
--threads says otherwise. With --baseline, the windows are also timed side by side against another gradscope (a
folder holding a `gradscope` package, e.g. from `git archive <ref> python/gradscope | tar -x -C DIR` under DIR/python),
window by window in turn in one process, each watching its own copy of the model: a before/after comparison that a
load changing between two runs does not skew. With --max-overhead, one run of every × (windows + 1) steps is watched
with that max_overhead (measured steps spaced by gradscope's own timing) and its overhead computed as the windows'.
"""
import argparse
import importlib.util
import json
import os
import shutil
import statistics
import sys
import tempfile
import time

if '--threads' in sys.argv:  # OpenBLAS starts its own threads unless told before torch loads it
    os.environ.setdefault('OPENBLAS_NUM_THREADS', sys.argv[sys.argv.index('--threads') + 1])

import torch  # noqa: E402
from torch import nn  # noqa: E402

import gradscope  # noqa: E402


def mlp():
    return nn.Sequential(nn.Linear(256, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(),
                         nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 10))


def cnn():
    return nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Flatten(), nn.Linear(32 * 8 * 8, 128), nn.ReLU(), nn.Linear(128, 10))


def batches(shape, steps, batch):
    g = torch.Generator().manual_seed(0)
    return [(torch.randn((batch,) + shape, generator=g), torch.randint(0, 10, (batch,), generator=g))
            for _ in range(steps)]


def train(model, data, every, log_dir):
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    loss_fn = nn.CrossEntropyLoss()
    t0, c0 = time.perf_counter(), time.process_time()
    w = gradscope.watch(model, every=every, log_dir=log_dir, name='bench') if every else None
    for x, y in data:
        loss = loss_fn(model(x), y)
        opt.zero_grad()
        loss.backward()
        if w is not None:
            w.step(loss)
        opt.step()
    if w is not None:
        w.close()
    return time.perf_counter() - t0, time.process_time() - c0


def bench(label, make, shape, batch, args, log_dir):
    torch.manual_seed(0)
    model = make()
    steps = args.every * args.snapshots
    data = batches(shape, steps, batch)
    train(model, data, 0, log_dir)  # warm-up
    base, watched, ratios = [], [], []
    for r in range(args.rounds):
        # short interleaved pairs, order alternating: a busy machine disturbs both sides of a pair alike
        pair = {}
        for every in ((0, args.every) if r % 2 == 0 else (args.every, 0)):
            pair[every] = train(model, data, every, log_dir)
        base.append(pair[0])
        watched.append(pair[args.every])
        ratios.append([pair[args.every][i] / pair[0][i] for i in range(2)])
    print(f'{label}, batch {batch}: {args.rounds} pairs of {steps} steps without / with watch(every={args.every}), '
          'medians (overhead: median of the pairs\' ratios, and their quartiles):')
    for i, clock in enumerate(('wall', 'cpu')):
        b = statistics.median(t[i] for t in base) / steps
        w = statistics.median(t[i] for t in watched) / steps
        q1, ratio, q3 = statistics.quantiles([r[i] for r in ratios], n=4)
        print(f'  {clock:4}: without {b * 1000:8.3f} ms/step, with {w * 1000:8.3f} ms/step, '
              f'overhead {100 * (ratio - 1):+6.2f} % (quartiles {100 * (q1 - 1):+.2f} … {100 * (q3 - 1):+.2f} %)')


def timed_step(model, opt, loss_fn, w, x, y):
    """One watched training step; its process CPU time in seconds."""
    c0 = time.process_time()
    loss = loss_fn(model(x), y)
    opt.zero_grad()
    loss.backward()
    w.step(loss)
    opt.step()
    return time.process_time() - c0


def bench_windows(label, make, shape, batch, args, log_dir):
    """One long watched run, per-step CPU times: in each window of `every` steps only the measured step and the
    step before it (which attaches the hooks) do gradscope work, so the window's other steps, timed a few
    milliseconds away, are its baseline. Robust to a machine whose load changes from one second to the next."""
    torch.manual_seed(0)
    model = make()
    every = args.every
    data = batches(shape, every, batch)
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    loss_fn = nn.CrossEntropyLoss()
    times = []
    w = gradscope.watch(model, every=every, log_dir=log_dir, name='bench-windows')
    for k in range(every * (args.windows + 1)):
        x, y = data[k % every]
        times.append(timed_step(model, opt, loss_fn, w, x, y))
    w.close()
    ratios, plains = window_ratios(times, every, args.windows)
    q1, med, q3 = statistics.quantiles(ratios, n=4)
    print(f'{label}, batch {batch}: {args.windows} windows of {every} steps in one watched run, cpu: plain step '
          f'{statistics.median(plains) * 1000:.3f} ms, gradscope adds {100 * med:+.2f} % '
          f'(quartiles {100 * q1:+.2f} … {100 * q3:+.2f} %)')


def load_baseline(folder):
    """The gradscope package under `folder` (or folder/python), imported as gradscope_baseline."""
    for root in (folder, os.path.join(folder, 'python')):
        init = os.path.join(root, 'gradscope', '__init__.py')
        if os.path.exists(init):
            spec = importlib.util.spec_from_file_location(
                'gradscope_baseline', init, submodule_search_locations=[os.path.dirname(init)])
            module = importlib.util.module_from_spec(spec)
            sys.modules['gradscope_baseline'] = module
            spec.loader.exec_module(module)
            return module
    raise SystemExit(f'no gradscope package under {folder}')


def bench_paced(label, make, shape, batch, args, log_dir):
    """One long run watched with max_overhead: the excess of the steps gradscope measured (and of those before
    them, which attach the hooks, and after them) over the median of the others, over the steps from the second measured one on,
    in wall-clock time (what gradscope's pacing times) and in process CPU time."""
    torch.manual_seed(0)
    model = make()
    data = batches(shape, args.every, batch)
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    loss_fn = nn.CrossEntropyLoss()
    steps = args.every * (args.windows + 1)
    w = gradscope.watch(model, every=args.every, log_dir=log_dir, name=f'bench-paced-{make.__name__}',
                        max_overhead=args.max_overhead)
    times = []
    for k in range(steps):
        t0 = time.perf_counter()
        cpu = timed_step(model, opt, loss_fn, w, *data[k % args.every])
        times.append((time.perf_counter() - t0, cpu))
    w.close()
    with open(w.path, encoding='utf-8') as f:
        measured = [json.loads(line)['step'] for line in f if '"type":"snapshot"' in line]
    # the step after a measured one too: its time holds the rest of the measured step (the optimizer step)
    busy = set(measured) | {k - 1 for k in measured} | {k + 1 for k in measured}
    start = measured[1] if len(measured) > 1 else 0
    gaps = [b - a for a, b in zip(measured[1:], measured[2:])]
    print(f'{label}, batch {batch}: {steps} steps watched with every={args.every}, max_overhead={args.max_overhead}: '
          f'{len(measured)} measured, steps apart (from the second) {statistics.median(gaps) if gaps else "-"} '
          f'(median; {min(gaps) if gaps else "-"}–{max(gaps) if gaps else "-"})')
    for i, clock in enumerate(('wall', 'cpu')):
        plain = statistics.median(t[i] for k, t in enumerate(times[start:], start) if k not in busy)
        # as in window_ratios: the measured, attaching and following steps' excess over a plain step, per plain step
        excess = sum(t[i] - plain for k, t in enumerate(times[start:], start) if k in busy)
        print(f'  {clock:4}: plain step {plain * 1000:.3f} ms, gradscope adds {100 * excess / ((steps - start) * plain):+.2f} %')


def window_ratios(times, every, windows):
    """Per window: (measured step + the step that attached the hooks − 2 plain steps) / (every plain steps)."""
    ratios, plains = [], []
    for j in range(1, windows + 1):  # window j: steps j·every … j·every + every − 1; the first is warm-up
        window = times[j * every:(j + 1) * every]
        plain = statistics.median(window[1:-1])
        plains.append(plain)
        ratios.append((window[0] + window[-1] - 2 * plain) / (every * plain))
    return ratios, plains


def bench_windows_side_by_side(label, make, shape, batch, args, log_dir, packages):
    """bench_windows for several gradscope packages at once: windows of `every` steps in turn (the order
    alternating), each package watching its own copy of the model, so both see the same load."""
    every = args.every
    data = batches(shape, every, batch)
    loss_fn = nn.CrossEntropyLoss()
    runs = []
    for name, package in packages:
        torch.manual_seed(0)
        model = make()
        opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
        runs.append((name, model, opt, package.watch(model, every=every, log_dir=log_dir, name=f'bench-{name}'), []))
    for j in range(args.windows + 1):
        for name, model, opt, w, times in (runs if j % 2 == 0 else runs[::-1]):
            for k in range(every):
                x, y = data[k]
                times.append(timed_step(model, opt, loss_fn, w, x, y))
    print(f'{label}, batch {batch}: {args.windows} windows of {every} steps per package, in turn, cpu:')
    for name, model, opt, w, times in runs:
        w.close()
        ratios, plains = window_ratios(times, every, args.windows)
        q1, med, q3 = statistics.quantiles(ratios, n=4)
        print(f'  {name:9}: plain step {statistics.median(plains) * 1000:.3f} ms, gradscope adds {100 * med:+.2f} % '
              f'(quartiles {100 * q1:+.2f} … {100 * q3:+.2f} %)')


def loaded_blas():
    """The BLAS libraries the process has mapped (Linux; None elsewhere): torch's BLAS_INFO names the one torch was
    built against ("generic" for Debian's), not the one LD_LIBRARY_PATH made it load."""
    try:
        with open('/proc/self/maps') as f:
            paths = {line.split()[-1] for line in f if 'blas' in line.rsplit('/', 1)[-1]}
    except OSError:
        return None
    return ', '.join(sorted(os.path.basename(p) for p in paths)) or 'none'


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--rounds', type=int, default=30, help='pairs of runs (default 30)')
    parser.add_argument('--snapshots', type=int, default=2, help='snapshots per run: every × this many steps')
    parser.add_argument('--every', type=int, default=10)
    parser.add_argument('--windows', type=int, default=0,
                        help='also time this many every-step windows inside one watched run (see bench_windows)')
    parser.add_argument('--baseline', metavar='DIR',
                        help='also time the windows side by side against the gradscope package under DIR')
    parser.add_argument('--max-overhead', type=float, metavar='F',
                        help='also time one run of every × (windows + 1) steps watched with max_overhead=F')
    parser.add_argument('--resnet18', type=int, default=0, metavar='WINDOWS',
                        help="also time this many every-step windows of torchvision's resnet18 (3x64x64, batch 32; "
                             'needs torchvision, e.g. Debian\'s python3-torchvision)')
    parser.add_argument('--threads', type=int, default=os.cpu_count() or 1, help='torch threads (default: the cores)')
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    blas = 'BLAS_INFO=' + torch.__config__.show().split('BLAS_INFO=')[1].split(',')[0]
    mapped = loaded_blas()
    if mapped is not None:
        blas += f'; loaded: {mapped}'
    print(f'torch {torch.__version__} ({blas}), {torch.get_num_threads()} threads, gradscope {gradscope.__version__}, '
          f'load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores')
    log_dir = tempfile.mkdtemp(prefix='gradscope-bench-')
    try:
        if args.rounds > 0:
            bench('4-layer MLP 256-512-512-512-10', mlp, (256,), 128, args, log_dir)
            bench('CNN 2 conv + 2 linear, 3x32x32', cnn, (3, 32, 32), 64, args, log_dir)
        if args.windows > 0:
            bench_windows('4-layer MLP 256-512-512-512-10', mlp, (256,), 128, args, log_dir)
            bench_windows('CNN 2 conv + 2 linear, 3x32x32', cnn, (3, 32, 32), 64, args, log_dir)
        if args.resnet18 > 0:
            import torchvision
            bench_windows('torchvision resnet18, 3x64x64', lambda: torchvision.models.resnet18(num_classes=10),
                          (3, 64, 64), 32, argparse.Namespace(**{**vars(args), 'windows': args.resnet18}), log_dir)
        if args.max_overhead is not None and args.windows > 0:
            bench_paced('4-layer MLP 256-512-512-512-10', mlp, (256,), 128, args, log_dir)
            bench_paced('CNN 2 conv + 2 linear, 3x32x32', cnn, (3, 32, 32), 64, args, log_dir)
        if args.baseline and args.windows > 0:
            packages = [('baseline', load_baseline(args.baseline)), ('this', gradscope)]
            bench_windows_side_by_side('4-layer MLP 256-512-512-512-10', mlp, (256,), 128, args, log_dir, packages)
            bench_windows_side_by_side('CNN 2 conv + 2 linear, 3x32x32', cnn, (3, 32, 32), 64, args, log_dir,
                                       packages)
    finally:
        shutil.rmtree(log_dir, ignore_errors=True)


if __name__ == '__main__':
    main()
