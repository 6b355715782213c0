"""Watch a PyTorch training run: per-layer gradients and per-activation saturation, as JSON Lines.

When hooks are attached: the forward pass to be measured runs *before* the w.step() call that measures it, so the
hooks for step k are attached at the end of w.step(k − 1) (or by watch() itself for step 0) and removed by w.step(k)
once it has read them. Between measured steps the model carries no hook at all.
"""
import atexit
import collections
import datetime
import json
import math
import os
import re
import statistics
import sys
import time
import warnings
import weakref

import torch
from torch import nn

from . import __version__
from .activations import SATURATION_SHARE, activation_spec
from .stats import TENSORBOARD_PERCENTILES, accumulation_dtype, combine_moments, histogram_rows, \
    inner_percentiles_rows, middle_bin, moment_parts, sample_copy, sorted_positions, strided_sample

FORMAT_VERSION = 1
#: Power iterations for ‖W‖₂ per snapshot, warm-started: on until the two estimates one iteration gives (‖Wv‖ and
#: ‖Wᵀu‖ for unit v and u = Wv / ‖Wv‖, both from below, the second the larger) agree within POWER_TOLERANCE
#: (relative), up to POWER_ITERATIONS_MAX. A layer's first snapshot starts cold and runs POWER_ITERATIONS_COLD.
#: Measured on the bench MLP's two 512×512 layers over 2000 steps (a snapshot each 10), SGD with momentum and Adam:
#: 1.8 and 2.0 iterations on average, median 1.1e-4 and 3.6e-6 below the exact value (worst 2.1 % and 0.6 %, early
#: in training), against 2.1 / 2.3 iterations, 7e-5 / 9e-7 (worst 5.3 % / 1.2 %) for the earlier rule (at least two
#: iterations, on while the estimate rose by more than 1e-3) in 79 instead of 138 µs per layer.
POWER_ITERATIONS_MAX = 20
POWER_TOLERANCE = 1e-4
POWER_ITERATIONS_COLD = 30
#: Below this m·n·min(m, n), ‖W‖₂ is computed exactly (singular values) instead.
EXACT_SPECTRAL_WORK = 2 ** 18
#: Parameter owners whose output has its units (channels) on dim 1; after anything else the units are the last dim.
_CHANNELS_FIRST = (nn.modules.conv._ConvNd, nn.modules.batchnorm._BatchNorm, nn.GroupNorm,
                   nn.modules.instancenorm._InstanceNorm)
_RELU_FORWARD = nn.ReLU.forward  # a subclass with a forward of its own computes something else
_DEBUG = bool(os.environ.get('GRADSCOPE_DEBUG'))
#: ‖x‖ without Tensor.norm's Python wrapper (the same kernel and bits for a 2-norm over every element)
_norm = torch.linalg.vector_norm
#: The open watcher of each model (weak both ways): a second watch() on a model closes the first, whose hooks would
#: otherwise keep recording every forward pass (a notebook cell run again).
_WATCHING = weakref.WeakKeyDictionary()
#: Forward calls of one module recorded for one measured step; beyond it (w.step() not called once per step) the
#: hooks stop recording until the snapshot, which covers these calls.
MAX_CALLS_PER_STEP = 64
#: One encoder for every record (json.dumps with these options builds a new one per call).
_ENCODER = json.JSONEncoder(separators=(',', ':'), allow_nan=False)


def watch(model, every=10, log_dir=None, name=None, ranks=0, max_overhead=None):
    """Start watching `model`; call `.step(loss)` once per training step after `loss.backward()`.

    every:   measure every this many steps (steps 0, every, 2·every, …).
    max_overhead: None (default), or a fraction such as 0.05: measured steps are then spaced at least `every`
             apart, and further where needed so that what they cost stays within this share of the training time
             (the cost and the plain step time are timed as the run goes; see _Pacer).
    log_dir: where the run's `<name>.jsonl` goes; default $GRADSCOPE_LOG_DIR, else `.gradscope/runs` under the
             working directory.
    name:    the run's file name without `.jsonl`; default `<script>-<YYYYmmdd-HHMMSS>`.
    ranks:   under torch.distributed, which ranks write: 0 (default), another rank number, a list of them, or
             'all' (one file per rank, `.rank<r>` added to the name).
    """
    return Watcher(model, every=every, log_dir=log_dir, name=name, ranks=ranks, max_overhead=max_overhead)


def _unwrap(model):
    wrappers = (nn.DataParallel, nn.parallel.DistributedDataParallel)
    while isinstance(model, wrappers):
        model = model.module
    return model


def _rank_and_world():
    dist = torch.distributed
    if dist.is_available() and dist.is_initialized():
        return dist.get_rank(), dist.get_world_size()
    return int(os.environ.get('RANK', 0)), int(os.environ.get('WORLD_SIZE', 1))


def _notebook_name():
    """The notebook's file stem inside a Jupyter kernel (VS Code sets __vsc_ipynb_file__, JupyterLab __session__ in
    the user namespace), 'notebook' when it is not known; None outside a kernel."""
    script = os.path.basename(sys.argv[0]) if sys.argv else ''
    if not script.startswith('ipykernel_launcher') and 'ipykernel' not in sys.modules:
        return None
    try:
        shell = sys.modules['IPython'].get_ipython() if 'IPython' in sys.modules else None
        names = shell.user_ns if shell is not None else {}
        for key in ('__vsc_ipynb_file__', '__session__'):
            path = names.get(key)
            if isinstance(path, str) and path.endswith('.ipynb'):
                return os.path.splitext(os.path.basename(path))[0]
    except Exception:
        pass
    return 'notebook'


def _default_name():
    script = sys.argv[0] if sys.argv else ''
    stem = _notebook_name() or (os.path.splitext(os.path.basename(script))[0] if script not in ('', '-c', '-m') else '')
    return f"{stem or 'python'}-{datetime.datetime.now().strftime('%Y%m%d-%H%M%S')}"


def _safe_name(name):
    return re.sub(r'[^A-Za-z0-9._-]+', '_', str(name)).strip('.') or 'run'


def _shape(p):
    try:
        return list(p.shape)
    except Exception:  # an uninitialised lazy parameter
        return None


def _direct_params(module):
    return [(n, p) for n, p in module._parameters.items() if p is not None]


try:
    from torch.nn.utils import parametrize as _parametrize
except ImportError:  # pragma: no cover - every torch >= 1.9 has it
    _parametrize = None


def _is_parametrization_list(module):
    return _parametrize is not None and isinstance(module, _parametrize.ParametrizationList)


def _measured_params(module):
    """The parameters a module is measured by: for a tensor under torch.nn.utils.parametrize (parametrizations.
    spectral_norm, orthogonal, weight_norm), its original under the tensor's name (the largest, when there are
    several: weight_norm's v, not its g), since the forward pass uses a tensor computed from it and the original has
    the gradient; then the module's own parameters. The ParametrizationList holding the originals is not measured
    apart (see Watcher: it would show the same tensors twice)."""
    children = module.__dict__.get('_modules')
    plists = children.get('parametrizations') if isinstance(children, dict) else None
    if plists is None or _parametrize is None or not _parametrize.is_parametrized(module):
        return _direct_params(module)
    originals = []
    for name, plist in plists.items():
        tensors = [p for n, p in plist._parameters.items() if p is not None and n.startswith('original')]
        if tensors:
            originals.append((name, max(tensors, key=lambda t: t.numel())))
    return originals + _direct_params(module)


#: The parameter that holds a weight's direction under the old-style reparametrizations (nn.utils.weight_norm:
#: weight_g · weight_v / ‖weight_v‖; nn.utils.spectral_norm: weight_orig / σ), which remove `weight` itself. The
#: reader (src/core/runs/runLog.ts, buildLayers) takes a layer's units from the same names.
_REPARAMETRIZED_WEIGHT = ('weight_v', 'weight_orig')


def _type_name(module):
    """A module's class name; for a TorchScript submodule the class it was scripted from (Linear, not
    RecursiveScriptModule)."""
    if isinstance(module, torch.jit.ScriptModule):
        original = getattr(module, 'original_name', None)
        if isinstance(original, str) and original:
            return original
    return type(module).__name__


def _main_param(measured):
    """(name, parameter) reported as the module's weight: `weight`; else an old-style reparametrization's direction
    (weight_v, weight_orig: not the scale, not the bias); else the first (an LSTM's weight_ih_l0)."""
    names = dict(measured)
    for n in ('weight',) + _REPARAMETRIZED_WEIGHT:
        if n in names:
            return n, names[n]
    return measured[0]


def _forward_weight(module, name, param):
    """The matrix the forward pass multiplies by, when it can be read without computing anything: the parameter
    itself, or the tensor an old-style reparametrization's pre-hook left in `module.weight` (nn.utils.weight_norm,
    spectral_norm). A torch.nn.utils.parametrize tensor is computed on access (and spectral_norm's power iteration
    would advance the training's own state), so it is not read: None."""
    if name == 'weight' and dict(_direct_params(module)).get('weight') is param:
        return param
    effective = module.__dict__.get('weight')
    return effective if isinstance(effective, torch.Tensor) else None


def _unwritable(error, log_dir):
    """The OSError of a run file that cannot be made, of the same type (a PermissionError stays one), saying where
    and what to do."""
    return type(error)(error.errno, f'gradscope cannot write its run file in {log_dir} ({error.strerror or error}): '
                       'pass watch() a log_dir it can write, or set GRADSCOPE_LOG_DIR', error.filename)


def _non_finite_name(x):
    return 'NaN' if x != x else ('Infinity' if x > 0 else '-Infinity')


def _json_safe(obj, flags):
    """Replace non-finite floats by null and note them in the holding object's `nonFinite` map (arrays: an array
    of the same length with the strings where elements were non-finite, null elsewhere)."""
    if isinstance(obj, dict):
        out, marks = {}, {}
        for k, v in obj.items():
            if isinstance(v, float) and not math.isfinite(v):
                out[k] = None
                marks[k] = _non_finite_name(v)
            elif isinstance(v, list) and any(isinstance(x, float) and not math.isfinite(x) for x in v):
                out[k] = [None if isinstance(x, float) and not math.isfinite(x) else x for x in v]
                marks[k] = [_non_finite_name(x) if isinstance(x, float) and not math.isfinite(x) else None for x in v]
            else:
                out[k] = _json_safe(v, flags)
        if marks:
            out['nonFinite'] = marks
            flags.append(True)
        return out
    if isinstance(obj, list):
        return [_json_safe(v, flags) for v in obj]
    return obj


def _batched_tails(items, batch):
    """Percentiles and histogram of each (sample, min, max, source), added to `batch`; returns each item's slot
    (7 inner percentiles then HISTOGRAM_BINS counts). `source`: None, or the index of an earlier item whose sample's
    order statistics sit at the same positions (a = f(z), f non-decreasing, aligned samples): that item is not
    sorted. Samples of one size, dtype and device go through one sort (of those that need it), one gather and one
    bincount together, row by row the same arithmetic as one at a time."""
    slots = [None] * len(items)
    groups = {}
    for i, (sample, _, _, _) in enumerate(items):
        groups.setdefault((sample.numel(), sample.dtype, sample.device), []).append(i)
    for idx in groups.values():
        # an item reuses its source's positions only when the source is in this group (same size and dtype); the
        # rows to sort come first, so they are sorted as a slice of the stacked samples, not a copy of some rows
        in_group = set(idx)
        to_sort = [i for i in idx if items[i][3] not in in_group]
        idx = to_sort + [i for i in idx if items[i][3] in in_group]
        row_of = {i: r for r, i in enumerate(idx)}
        sorted_count = len(to_sort)
        samples = torch.stack([items[i][0] for i in idx])
        ranked = sorted_positions(samples[:sorted_count] if sorted_count < len(idx) else samples)
        if sorted_count < len(idx):
            ranked = ranked[[r if r < sorted_count else row_of[items[i][3]] for r, i in enumerate(idx)]]
        pct = inner_percentiles_rows(samples, ranked)
        hist = histogram_rows(samples, torch.stack([items[i][1] for i in idx] + [items[i][2] for i in idx]))
        rows = torch.cat([pct, hist], dim=1)
        block = batch.add(rows)
        width = rows.shape[1]
        for r, i in enumerate(idx):
            slots[i] = _Slot((block.key, block.dtype, block.offset + r * width, width))
    return slots


def _weight_norm(t):
    """‖t‖ of a weight or of its change: on the CPU as √(t · t), BLAS's dot product (in torch 1.13 a 512×512 float32
    weight takes 11 µs where vector_norm takes 32, and its float32 sum is the closer to the float64 norm: 3·10⁻⁷
    relative against 1·10⁻⁶ there); elsewhere, or for another dtype or layout, vector_norm. Gradient norms keep
    vector_norm: they equal p.grad.norm() exactly."""
    if t.device.type == 'cpu' and t.dtype in (torch.float32, torch.float64) and t.is_contiguous() and t.numel():
        flat = t.view(-1)
        return torch.dot(flat, flat).sqrt_()
    return _norm(t)


def _root_sum_sq(norms):
    """One norm from per-call norms (a module called twice: the gradient of both outputs together)."""
    return math.sqrt(sum(n * n for n in norms)) if len(norms) > 1 else norms[0]


def _count(mask):
    """How many elements of a bool tensor are True (int32 / int64 tensor), without torch's int64 copy of the mask."""
    return mask.view(torch.uint8).sum(dtype=torch.int32 if mask.numel() < 2 ** 31 else torch.int64)


def _per_unit_all(mask, z, axis, units):
    """Per unit (z's dim `axis`: the last one, or 1 with the batch on 0): 1 where the bool mask holds everywhere,
    else 0 (uint8; a min over uint8 needs no widened copy of the mask, unlike a sum)."""
    u = mask.view(torch.uint8)
    if axis == z.dim() - 1:
        return u.reshape(-1, units).amin(dim=0)
    return u.reshape(z.shape[0], units, -1).amin(dim=(0, 2))


#: A float32 sum of 0 / 1 values is exact while every partial sum is an integer below 2²⁴.
_EXACT_FLOAT32_COUNT = 2 ** 24
#: From this many elements a ReLU's input is counted from its signs (see _record_input): measured on the Xeon host,
#: 131072 elements 0.20 instead of 0.24 ms, 65536 0.053 instead of 0.042
_SIGN_COUNT_MIN = 2 ** 17


def _count_float(mask):
    """How many elements of a 0 / 1 float tensor are 1, exactly (a float tensor: float32 sums of up to 2²⁴ ones
    are exact, float64 ones up to 2⁵³)."""
    if mask.dtype == torch.float32 and mask.numel() > _EXACT_FLOAT32_COUNT:
        return mask.sum(dtype=torch.float64)
    return mask.sum()


def _count_both(mask, other):
    """How many elements are 1 in both 0 / 1 float tensors (a dot product: exact on the same terms as a sum)."""
    if mask.dtype == torch.float32 and mask.numel() > _EXACT_FLOAT32_COUNT:
        return torch.mul(mask, other).sum(dtype=torch.float64)
    return torch.dot(mask, other)


def _per_unit_reduced(mask, z, axis, units, largest):
    """Per unit of z (a 0 / 1 float mask laid out like z): its largest value (1 where the mask holds anywhere) or
    its smallest (1 where it holds everywhere); one reduction over the positions, then one over the batch."""
    if axis == z.dim() - 1:
        rows = mask.view(-1, units)
        return rows.amax(dim=0) if largest else rows.amin(dim=0)
    cube = mask.view(z.shape[0], units, -1)
    return cube.amax(dim=2).amax(dim=0) if largest else cube.amin(dim=2).amin(dim=0)


def _is_unchanged(tensor, last):
    """Whether `tensor` is the output `last` (see _Chain.last_output) recorded, not changed in place since."""
    return last is not None and tensor is last[1]() and tensor._version == last[2]


class _Chain:
    """What the measured step's forward and backward passes showed of Linear → activation → Linear chains."""

    __slots__ = ('producer_calls', 'fed_by', 'fed_from', 'last_output', 'last_activation', 'delta_sq', 'act_sq',
                 'recent_norms', 'backward_hooks', 'backward_seen')

    def __init__(self):
        self.producer_calls = {}    # id(module) -> forward calls
        self.fed_by = {}            # id(producer) -> id(activation) whose output was exactly its input
        self.fed_from = {}          # id(activation) -> per call: id(producer) whose output was exactly its input
        # (id(module), weak reference to its output, the output's version) of the latest producer / activation
        # forward. Weak: a strong one would close a cycle that Python's collector cannot see (the output's grad_fn,
        # a C++ node, holds the norm hooks, which hold this chain), and every measured step would leak its last
        # outputs and their graph. The version tells an output changed in place since (a ResNet block's
        # `out += identity` after bn2: the same tensor object, no longer bn2's output)
        self.last_output = None
        self.last_activation = None
        self.delta_sq = {}          # id(producer) -> [‖∂L/∂output‖ per call] (tensors, filled by the backward pass)
        self.act_sq = {}            # id(activation) -> ([‖∂L/∂z‖ per call], [‖∂L/∂a‖ per call])
        self.recent_norms = []      # [(weakref to a gradient, its norm)]: the last two the hooks normed
        self.backward_hooks = 0     # norm hooks put on the graph by the forward passes
        self.backward_seen = False  # whether a backward pass ran any of them


def _norm_hook(chain, store, index, out):
    """A grad_fn hook appending ‖grad‖ of the node's output (out=True) or input gradient `index` (a tensor: read
    with the snapshot's other numbers). The gradient an activation's node passes back to its input is the very
    tensor the producer's node then receives: its norm is taken once (`chain.recent_norms`: weak references to the
    last two gradients normed, so no gradient is kept alive, and a live referent is surely the same tensor)."""
    chain.backward_hooks += 1

    def hook(grad_inputs, grad_outputs):
        chain.backward_seen = True
        grads = grad_outputs if out else grad_inputs
        g = grads[index] if index < len(grads) else None
        if g is None:
            return
        for seen, norm in chain.recent_norms:
            if seen() is g:
                store.append(norm)
                return
        with torch.no_grad():
            d = g.detach()
            norm = _norm(d.float() if d.dtype in (torch.float16, torch.bfloat16) else d)
        store.append(norm)
        recent = (weakref.ref(g), norm)
        chain.recent_norms = [chain.recent_norms[-1], recent] if chain.recent_norms else [recent]
    return hook


class _Batch:
    """Collects tensors per device and reads each device's numbers with a single .tolist(). 0-d tensors, added as
    lists (`add_scalars`), are stacked at the read, all of one dtype together: one op where a stack per list cost
    one each. Tensors of one dtype are then joined and widened to the accumulation dtype together (one conversion
    per dtype, not per tensor)."""

    def __init__(self):
        self._parts = {}    # device -> dtype -> [1-D tensors]
        self._sizes = {}    # (device, dtype) -> elements of those so far
        self._scalars = {}  # device -> dtype -> [0-d tensors]

    def add(self, t):
        key = t.device
        t = t.reshape(-1)
        self._parts.setdefault(key, {}).setdefault(t.dtype, []).append(t)
        offset = self._sizes.get((key, t.dtype), 0)
        self._sizes[(key, t.dtype)] = offset + t.numel()
        return _Slot((key, t.dtype, offset, t.numel()))

    def add_scalars(self, scalars):
        """A slot for 0-d tensors of one device (of any dtypes), read back in their order."""
        key = scalars[0].device
        groups = self._scalars.setdefault(key, {})
        where = []
        for t in scalars:
            group = groups.setdefault(t.dtype, [])
            where.append((t.dtype, len(group)))
            group.append(t)
        return _Scalars(key, where)

    def read(self):
        values = {}
        for key in dict.fromkeys([*self._scalars, *self._parts]):
            acc = accumulation_dtype(key)
            groups = self._parts.get(key, {})
            scalars = self._scalars.get(key, {})
            joined, starts, start = [], {}, 0
            for dtype in dict.fromkeys([*scalars, *groups]):
                # this dtype's stacked scalars first, then its tensors
                parts = ([torch.stack(scalars[dtype])] if dtype in scalars else []) + groups.get(dtype, [])
                part = torch.cat(parts) if len(parts) > 1 else parts[0]
                joined.append(part.to(acc))
                starts[(dtype, True)] = start
                starts[(dtype, False)] = start + (len(scalars[dtype]) if dtype in scalars else 0)
                start += part.numel()
            values[key] = ((torch.cat(joined) if len(joined) > 1 else joined[0]).tolist(), starts)
        return values


class _Slot:
    """Where a tensor's numbers land in the batch read."""

    __slots__ = ('key', 'dtype', 'offset', 'length')

    def __init__(self, where):
        self.key, self.dtype, self.offset, self.length = where

    def get(self, values):
        v, starts = values[self.key]
        start = starts[(self.dtype, False)] + self.offset
        return v[start:start + self.length]


class _Scalars:
    """Where a list of 0-d tensors lands in the batch read."""

    __slots__ = ('key', 'where')

    def __init__(self, key, where):
        self.key, self.where = key, where

    def get(self, values):
        v, starts = values[self.key]
        return [v[starts[(dtype, True)] + i] for dtype, i in self.where]


class _ActivationCalls:
    """What the hooks of one activation module gathered during the measured step."""

    __slots__ = ('z', 'a')

    def __init__(self):
        # per call: (n, units, 0-d tensors [low, saturated, dead, mean, variance, min, max], sample, complement);
        # complement: they hold [low, live, alive] instead (saturated = n − live, dead = units − alive)
        self.z = []
        self.a = []       # per call: (n, 0-d tensors [mean, variance, min, max], sample)


class _Pacer:
    """Spaces the measured steps so that what they cost stays within a share of the training time.

    Timed with a monotonic clock at each w.step() call: a step's interval is the time from the previous call's
    return to this call (the user's forward, backward, optimizer, data loading); its work is the time inside
    w.step(). A measured step costs its interval's excess over the plain steps' median interval, plus its own
    work (the snapshot), that of the step before it (attaching the hooks) and the excess of the step after it (whose
    interval holds the rest of the measured step: the optimizer step after w.step(), on caches the snapshot
    changed). The share is kept as a budget: each step earns max_overhead × the plain steps' median interval
    (settled at the next measured step: a plain step only appends its interval), each measured step spends its
    cost, and the next measured step comes once the budget will cover the expected cost (the mean of the last
    three): a measurement that cost more than expected is paid back by a longer gap. Unspent budget is kept up to
    one expected cost (a run that was cheap to measure does not save up for a burst). The first measured step,
    whose interval has no plain step before it, is neither timed nor charged."""

    #: plain intervals kept for their median, and measured costs for their mean
    PLAIN_WINDOW = 32
    COST_WINDOW = 3

    def __init__(self, every, max_overhead, clock=time.perf_counter):
        self.every = every
        self.max_overhead = max_overhead
        self.clock = clock
        self._last_exit = None
        self._entry = None
        self._interval = None
        self._attach_work = 0.0
        self._plain = collections.deque(maxlen=self.PLAIN_WINDOW)
        self._costs = collections.deque(maxlen=self.COST_WINDOW)
        self._plain_median = None  # the median the last measured step was charged against
        self._budget = 0.0
        self._unsettled = 0  # steps since the last measured one that have not earned their budget yet
        self._after_measured = False

    def begin(self):
        now = self.clock()
        self._entry = now
        self._interval = now - self._last_exit if self._last_exit is not None else None

    def gap_after_measured(self):
        """Called right after a measured step's snapshot: the steps until the next measured one."""
        attach_work, self._attach_work = self._attach_work, 0.0
        if not self._plain or self._interval is None:
            # nothing to compare with yet (the first measured step): at least one plain step before the next
            return max(self.every, 2)
        plain = self._plain_median = statistics.median(self._plain)
        cost = max(0.0, self._interval - plain) + (self.clock() - self._entry) + attach_work
        self._costs.append(cost)
        expected = sum(self._costs) / len(self._costs)
        earned = self.max_overhead * plain * (self._unsettled + 1)  # the plain steps before and this one
        self._unsettled = 0
        self._budget = min(self._budget + earned - cost, expected)
        # the budget grows by about max_overhead × plain per step until the next measured step
        return max(self.every, math.ceil((expected - self._budget) / (self.max_overhead * max(plain, 1e-9))))

    def end(self, measured, attached):
        now = self.clock()
        if self._after_measured and not measured and self._interval is not None and self._costs:
            # the measured step's tail: charged to it, not a plain interval
            excess = self._interval - self._plain_median
            self._costs[-1] += excess
            self._budget -= excess
            self._unsettled += 1
        elif not measured and self._interval is not None:
            self._plain.append(self._interval)
            self._unsettled += 1
        self._after_measured = measured
        if attached:
            self._attach_work = now - self._entry
        self._last_exit = now


class Watcher:
    """See `watch`."""

    def __init__(self, model, every=10, log_dir=None, name=None, ranks=0, max_overhead=None):
        if not isinstance(model, nn.Module):
            raise TypeError(f'gradscope.watch needs a torch.nn.Module, got {type(model).__name__}')
        if isinstance(_unwrap(model), torch.jit.ScriptModule):
            # before any file is written: TorchScript modules take no Python hooks
            raise TypeError('gradscope.watch cannot hook a TorchScript module (torch.jit.script / torch.jit.trace): '
                            'watch the nn.Module it was made from, and script it after training or for export')
        every = int(every)
        if every < 1:
            raise ValueError('every must be at least 1')
        if max_overhead is not None:
            max_overhead = float(max_overhead)
            if not 0 < max_overhead < 1:
                raise ValueError('max_overhead must be a fraction between 0 and 1 (0.05 for 5 %)')
        self.max_overhead = max_overhead
        self._pacer = _Pacer(every, max_overhead) if max_overhead is not None else None
        self._next = 0  # the next step to measure
        self.model = _unwrap(model)
        earlier = _WATCHING.get(self.model)
        earlier = earlier() if earlier is not None else None
        if earlier is not None and not earlier._closed:
            warnings.warn(f'gradscope: watch() on a model that is already watched: the earlier watcher '
                          f'({earlier.path or "no file"}, {earlier._step} steps) is closed first', RuntimeWarning,
                          stacklevel=3)
            earlier.close(reason='replaced')
        self.every = every
        self.rank, self.world_size = _rank_and_world()
        if ranks == 'all':
            self.writes = True
        elif isinstance(ranks, int):
            self.writes = self.rank == ranks
        else:
            self.writes = self.rank in set(int(r) for r in ranks)
        self._step = 0
        self._closed = False
        self._handles = []
        self._calls = {}
        self._producer_channels_first = None
        self._previous_weights = {}
        self._work = [None, None]
        self._power = {}
        self._chain = _Chain()
        self._warned = set()
        self._start = time.time()

        modules = list(self.model.named_modules())
        self._modules = modules
        #: modules whose weight had no shape yet when the meta record was written (nn.LazyLinear before its first
        #: forward pass): their first snapshot with one gives it (`shape` in the layer entry)
        self._unshaped = set()
        self._layers = [(n, m) for n, m in modules if not _is_parametrization_list(m) and _measured_params(m)]
        self._activations = []
        for n, m in modules:
            spec = activation_spec(m) if not isinstance(m, torch.jit.ScriptModule) else None
            if spec is not None:
                self._activations.append((n, m, spec))
        activation_ids = {id(m) for _, m, _ in self._activations}
        # a TorchScript submodule takes no Python hooks: its parameters are measured, its activations are not seen
        self._producers = [m for _, m in self._layers
                           if id(m) not in activation_ids and not isinstance(m, torch.jit.ScriptModule)]
        self._name_of = {id(m): n for n, m in modules[::-1]}  # a module listed twice keeps its first name

        self.path = None
        self.name = None
        self._fd = None
        auto = name is None
        if auto:
            # every rank calls this (the name is broadcast when several ranks write)
            name = self._shared_default_name(ranks)
        if not self.writes:
            return
        name = _safe_name(name)
        if ranks == 'all' or (not isinstance(ranks, int) and self.world_size > 1):
            name = f'{name}.rank{self.rank}'
        log_dir = log_dir or os.environ.get('GRADSCOPE_LOG_DIR') or os.path.join(os.getcwd(), '.gradscope', 'runs')
        try:
            os.makedirs(log_dir, exist_ok=True)
        except OSError as e:
            raise _unwritable(e, log_dir) from e
        path = os.path.join(log_dir, f'{name}.jsonl')
        if auto:
            k = 2
            while os.path.exists(path):
                path = os.path.join(log_dir, f'{name}-{k}.jsonl')
                k += 1
        self.path = path
        self.name = os.path.splitext(os.path.basename(path))[0]
        self._needs_newline = False
        try:
            if os.path.exists(path) and os.path.getsize(path) > 0:
                with open(path, 'rb') as f:
                    f.seek(-1, os.SEEK_END)
                    self._needs_newline = f.read(1) != b'\n'
            self._fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        except OSError as e:
            raise _unwritable(e, log_dir) from e
        self._write(self._meta())
        self_ref = weakref.ref(self)

        def close_at_exit():
            w = self_ref()
            if w is not None:
                w.close(reason='exit')
        self._atexit = close_at_exit
        atexit.register(close_at_exit)
        _WATCHING[self.model] = weakref.ref(self)
        self._attach()

    # -- the public API ----------------------------------------------------------------------------------------

    def step(self, loss=None):
        """Call once per training step, after loss.backward() (before or after optimizer.step()).

        On a measured step this reads the gradients, weights and what the activation hooks saw, writes one
        snapshot line and removes the hooks; before a step to be measured it attaches them.
        """
        if self._closed:
            raise RuntimeError('gradscope: step() after close()')
        k = self._step
        self._step += 1
        if not self.writes:
            return
        pacer = self._pacer
        if pacer is not None:
            pacer.begin()
        measured = k == self._next
        if measured:
            try:
                self._write(self._snapshot(k, loss))
            except Exception as e:  # measuring must never stop training
                self._warn_once('snapshot', e)
            finally:
                self._detach()
            self._next = k + (self.every if pacer is None else pacer.gap_after_measured())
        attach = k + 1 == self._next
        if attach:
            self._attach()
        if pacer is not None:
            pacer.end(measured, attach)

    def __repr__(self):
        state = 'closed' if self._closed else 'watching'
        where = self.path if self.path is not None else 'no file (this rank does not write)'
        pace = f' max_overhead={self.max_overhead:g} next={self._next}' if self._pacer is not None else ''
        return f'<gradscope.Watcher {state} every={self.every}{pace} steps={self._step} → {where}>'

    def close(self, reason='close'):
        """Remove any hooks, write the closing record and close the file. Safe to call twice."""
        if self._closed:
            return
        self._closed = True
        self._detach()
        self._work = [None, None]
        self._previous_weights = {}
        if self._fd is not None:
            try:
                self._write({'type': 'end', 'step': self._step - 1, 'steps': self._step, 'reason': reason,
                             'time': round(time.time() - self._start, 3)})
            finally:
                os.close(self._fd)
                self._fd = None
                atexit.unregister(self._atexit)

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            self.close('close')
        elif issubclass(exc_type, KeyboardInterrupt):
            self.close('interrupted')
        else:
            self.close('exception')
        return False

    # -- hooks --------------------------------------------------------------------------------------------------

    def _attach(self):
        if self._handles:
            return
        self._calls = {}
        self._producer_channels_first = None
        self._chain = _Chain()
        for _, m, spec in self._activations:
            self._handles.append(m.register_forward_pre_hook(self._make_pre_hook(m, spec)))
            self._handles.append(m.register_forward_hook(self._make_post_hook(m)))
        for m in self._producers:
            self._handles.append(m.register_forward_hook(self._make_producer_hook(m)))

    def _detach(self):
        for h in self._handles:
            h.remove()
        self._handles = []

    def _make_producer_hook(self, module):
        channels_first = isinstance(module, _CHANNELS_FIRST)
        key = id(module)

        def hook(mod, inputs, output):
            self._producer_channels_first = channels_first
            if not torch.is_grad_enabled():
                return
            try:
                chain = self._chain
                calls = chain.producer_calls.get(key, 0)
                if calls >= MAX_CALLS_PER_STEP:
                    self._too_many_calls()
                    return
                chain.producer_calls[key] = calls + 1
                # the activation whose output is exactly this module's input (the same tensor object)
                last = chain.last_activation
                if inputs and _is_unchanged(inputs[0], last):
                    chain.fed_by[key] = last[0]
                chain.last_output = (key, weakref.ref(output), output._version) \
                    if isinstance(output, torch.Tensor) else None
                if isinstance(output, torch.Tensor) and output.grad_fn is not None:
                    # ‖∂L/∂(output)‖ as the backward pass computes it: a hook on the node that made the output,
                    # which sees the gradient before any in-place op on the output changes what it means
                    store = chain.delta_sq.setdefault(key, [])
                    output.grad_fn.register_hook(_norm_hook(chain, store, 0, out=True))
            except Exception as e:
                self._warn_once('hook', e)
        return hook

    def _unit_axis(self, z):
        if self._producer_channels_first is None:
            return 1 if z.dim() >= 4 else -1
        return 1 if self._producer_channels_first else -1

    def _workspace(self, v, slot=0):
        """A reused flat buffer like v (two slots, for two masks at once). CPU only: elsewhere the caching
        allocator reuses memory already and this returns a fresh tensor. Kept between measured steps; its size is
        that of the largest activation."""
        if v.device.type != 'cpu':
            return torch.empty(v.numel(), dtype=v.dtype, device=v.device)
        buf = self._work[slot]
        if buf is None or buf.dtype != v.dtype or buf.numel() < v.numel():
            buf = self._work[slot] = torch.empty(v.numel(), dtype=v.dtype)
        return buf[:v.numel()]

    def _make_pre_hook(self, module, spec):
        def hook(mod, inputs):
            # forward passes without autograd (validation under no_grad) are not the training step
            if not torch.is_grad_enabled() or not inputs:
                return
            z = inputs[0]
            if not isinstance(z, torch.Tensor) or not z.is_floating_point() or z.numel() == 0:
                return
            try:
                chain = self._chain
                sources = chain.fed_from.setdefault(id(module), [])
                if len(sources) >= MAX_CALLS_PER_STEP:
                    self._too_many_calls()
                    return
                last = chain.last_output
                sources.append(last[0] if _is_unchanged(z, last) else None)
                with torch.no_grad():
                    self._record_input(module, spec, z.detach())
            except Exception as e:
                self._warn_once('hook', e)
        return hook

    def _make_post_hook(self, module):
        def hook(mod, inputs, output):
            if not torch.is_grad_enabled() or not isinstance(output, torch.Tensor) or output.numel() == 0:
                return
            calls = self._calls.get(id(module))
            if calls is None or len(calls.a) >= len(calls.z):
                return
            try:
                chain = self._chain
                chain.last_activation = (id(module), weakref.ref(output), output._version)
                if output.grad_fn is not None:
                    grads = chain.act_sq.setdefault(id(module), ([], []))
                    node = output.grad_fn
                    node.register_hook(_norm_hook(chain, grads[0], 0, out=False))  # ∂L/∂z: node's input gradient
                    node.register_hook(_norm_hook(chain, grads[1], 0, out=True))   # ∂L/∂a: its output gradient
                with torch.no_grad():
                    v = output.detach().reshape(-1)
                    if v.dtype in (torch.float16, torch.bfloat16):
                        v = v.float()
                    extremes = None
                    z_call = calls.z[len(calls.a)]  # this call's input summaries
                    if type(mod).forward is _RELU_FORWARD and v.numel() == z_call[0]:
                        # a = relu(z) elementwise and relu non-decreasing: min a = relu(min z), max a = relu(max z),
                        # the same bits (relu is exact, NaN stays NaN): two passes over the output fewer
                        extremes = (torch.relu(z_call[2][5]), torch.relu(z_call[2][6]))
                    calls.a.append((v.numel(), moment_parts(v, self._workspace(v), extremes), sample_copy(v)))
            except Exception as e:
                self._warn_once('hook', e)
        return hook

    def _record_input(self, module, spec, z):
        if z.dtype in (torch.float16, torch.bfloat16):
            z = z.float()
        # Counting without bool tensors: on the CPU (torch 1.13) a comparison with a bool result and every
        # reduction of a bool mask run element by element, while a comparison written into a float tensor and a
        # float sum are vectorized (about 6x faster on a 1M-element input). Masks are 0 / 1 floats in two reused
        # buffers (each fresh tensor the size of z costs page faults on first touch, more than the arithmetic);
        # their sums are exact counts (see _count_float). A unit's "every slope 0" is a max over the unit's mask.
        n = z.numel()
        if z.dim() <= 1:
            axis, units = None, n
        else:
            axis = self._unit_axis(z) % z.dim()
            units = z.shape[axis]
        v = z.reshape(-1)
        mask = self._workspace(v, 0)
        complement = spec.inside is not None
        if complement and spec.sign_split and v.device.type == 'cpu' and _SIGN_COUNT_MIN <= n and (
                n <= _EXACT_FLOAT32_COUNT or v.dtype == torch.float64):
            # inside is z > 0 and low z < 0: both from one pass writing sign(z) (1 above, −1 below, 0 at 0 and at
            # NaN, which is neither, as in the comparisons): Σ sign = above − below and Σ sign² = above + below,
            # integer sums that are exact in z's dtype (as _count_float's); a unit is alive where its largest
            # sign is 1. On a large input one write pass fewer than two comparisons (a 1M-element conv output:
            # 1.04 instead of 1.41 ms); below _SIGN_COUNT_MIN the two extra scalar ops cost more than they save
            signs = torch.sign(v, out=mask)
            difference, total = signs.sum(), torch.dot(signs, signs)
            saturated = total.add(difference).mul_(0.5)  # live
            low = total.sub(difference).mul_(0.5)
            if axis is None:
                dead = saturated
            else:
                dead = _per_unit_reduced(signs, z, axis, units, largest=True).clamp_min_(0).sum()  # alive
        elif complement:
            # what is counted is the complement (live elements, alive units): n − live and units − alive are
            # taken on the host from the exact counts, not as two more tensor ops
            # slope far above the cut-off: neither saturated nor zero
            inside = spec.inside(v, mask, lambda: self._workspace(v, 1))
            saturated = _count_float(inside)         # live
            if axis is None:
                dead = saturated                      # each element its own unit: alive = live
            else:
                dead = _per_unit_reduced(inside, z, axis, units, largest=True).sum()  # alive
            low = _count_float(spec.low(v, mask))
        elif spec.masks is not None:
            sat_mask, zero = spec.masks(z)
            saturated = _count(sat_mask)
            low = _count(torch.logical_and(sat_mask, z < spec.split))
            if axis is None:
                dead = _count(zero)
            else:
                dead = _count(_per_unit_all(zero, z, axis, units))
        else:
            slope = spec.derivative(z).reshape(-1).abs_()   # a fresh tensor: |f'| in place
            if spec.learned:
                # PReLU: the cut-off follows the learned slopes (max(1, 0.25, max|a|)), as a tensor: no sync
                top = torch.clamp(module.weight.detach().abs().max().to(z.dtype), min=1.0)
                threshold = SATURATION_SHARE * top
            else:
                threshold = SATURATION_SHARE * spec.max_slope
            zero = torch.eq(slope, 0, out=mask)
            if axis is None:
                dead = _count_float(zero)
            else:
                dead = _per_unit_reduced(zero, z, axis, units, largest=False).sum()
            sat_mask = torch.lt(slope, threshold, out=mask)
            saturated = _count_float(sat_mask)
            low = _count_both(sat_mask, torch.lt(v, spec.split, out=self._workspace(v, 1)))
        calls = self._calls.get(id(module))
        if calls is None:
            calls = self._calls[id(module)] = _ActivationCalls()
        # [low, saturated, dead, mean, variance, min, max] (see _ActivationCalls): the counts are exact (in z's
        # dtype, or integers, or float64 for a huge float32 z); moments in z's own dtype too (no float64 copy of a
        # large tensor; the batch read widens them); the sample stays in z's dtype (same order statistics, faster to
        # sort) and is a copy, since an in-place activation overwrites z next
        parts = [low, saturated, dead] + moment_parts(v, mask)
        calls.z.append((n, units, parts, sample_copy(v), complement))

    # -- records ------------------------------------------------------------------------------------------------

    def _meta(self):
        entries = []
        specs = {id(m): s for _, m, s in self._activations}
        for n, m in self._modules:
            params = [] if _is_parametrization_list(m) else [{'name': pn, 'shape': _shape(p)}
                                                             for pn, p in _measured_params(m)]
            if any(p['shape'] is None for p in params):
                self._unshaped.add(n)
            entry = {'name': n, 'type': _type_name(m), 'params': params}
            spec = specs.get(id(m))
            if spec is not None:
                entry['activation'] = spec.meta(m)
            entries.append(entry)
        first = next(self.model.parameters(), None)
        return {
            'type': 'meta', 'format': FORMAT_VERSION, 'gradscope': __version__, 'torch': torch.__version__,
            'python': sys.version.split()[0], 'name': self.name, 'script': sys.argv[0] if sys.argv else None,
            'startTime': datetime.datetime.fromtimestamp(self._start, datetime.timezone.utc)
                .isoformat(timespec='milliseconds').replace('+00:00', 'Z'),
            'pid': os.getpid(), 'rank': self.rank, 'worldSize': self.world_size, 'every': self.every,
            **({'maxOverhead': self.max_overhead} if self.max_overhead is not None else {}),
            'model': type(self.model).__name__, 'device': str(first.device) if first is not None else None,
            'training': self.model.training, 'modules': entries,
        }

    def _snapshot(self, step, loss):
        chain = self._chain
        backward_seen = chain.backward_seen
        if chain.backward_hooks and not backward_seen:
            # the forward pass was seen, its backward pass was not: the gradients read now are an older step's
            self._advise_once('order', f'step {step} was measured before its backward pass ran: call w.step() after '
                              'loss.backward() (the gradients of this snapshot are from an earlier step, or none)',
                              stacklevel=4)
        batch = _Batch()
        loss_slot = None
        loss_value = None
        if isinstance(loss, torch.Tensor):
            value = loss.detach().float().mean() if loss.numel() != 1 else loss.detach().reshape(())
            loss_slot = batch.add_scalars([value])
        elif loss is not None:
            loss_value = float(loss)

        layer_plans = []
        new_previous = {}
        update_norms = {}
        spectral = []  # (plan, matrix, key): after the loop, so BLAS calls do not interleave with the passes above
        for n, m in self._layers:
            measured = _measured_params(m)
            pname, w = _main_param(measured)
            b = dict(measured).get('bias')
            plan = {'name': n, 'type': _type_name(m), 'param': pname}
            if n in self._unshaped:
                shape = _shape(w)
                if shape is not None:
                    plan['shape'] = shape
                    self._unshaped.discard(n)
            with torch.no_grad():
                # per layer: [‖g‖, mean|g|, max|g|]? [‖g_bias‖]? ‖W‖ [‖W − W_prev‖]?
                parts = []
                g = w.grad
                if g is not None:
                    if g.is_sparse:
                        gv = g.coalesce().values().reshape(-1)
                        ga = gv.abs()
                        absmax = torch.cat([ga, ga.new_zeros(1)]).max()
                        parts += [_norm(gv), ga.sum() / g.numel(), absmax]
                    elif g.numel():
                        work = self._workspace(g) if g.is_contiguous() else None
                        # ‖g‖ from |g|: the same squares in the same order (the same bits), and |g| is the one pass
                        # over g's cold memory; amax: max()'s value, a faster kernel
                        ga = torch.abs(g, out=work.view_as(g)) if work is not None else g.abs()
                        parts += [_norm(ga), ga.mean(), ga.amax()]
                    else:
                        parts += [g.new_zeros(())] * 3
                plan['grad'] = g is not None
                # frozen (fine-tuning a part of a model): no gradient by design, not one that vanished
                plan['frozen'] = g is None and not w.requires_grad
                plan['biasGrad'] = b is not None and b.grad is not None
                if plan['biasGrad']:
                    parts.append(_norm(b.grad.coalesce().values() if b.grad.is_sparse else b.grad))
                wd = w.detach()
                parts.append(_weight_norm(wd))
                key = id(w)
                if plan['frozen']:
                    # no copy of a frozen weight (a pretrained backbone, the base of a LoRA fine-tune: a copy could
                    # be most of the memory): no updateRatio while it stays frozen
                    plan['update'] = False
                    update_norms[key] = None
                elif key in update_norms:  # a parameter shared by two modules: its copy is already updated
                    plan['update'] = update_norms[key] is not None
                    if plan['update']:
                        parts.append(update_norms[key])
                else:
                    prev = self._previous_weights.get(key)
                    plan['update'] = prev is not None and prev.shape == w.shape and prev.device == w.device \
                        and prev.dtype == w.dtype
                    if plan['update']:
                        # ‖W − W_prev‖ in the copy's own memory, which then becomes this snapshot's copy: no
                        # allocation of a weight-sized tensor per snapshot
                        update = _weight_norm(prev.sub_(wd))
                        prev.copy_(wd)
                    else:
                        update, prev = None, wd.clone()
                    update_norms[key] = update
                    new_previous[key] = prev
                    if update is not None:
                        parts.append(update)
                plan['slot'] = batch.add_scalars(parts)
                deltas = chain.delta_sq.get(id(m))
                if deltas:
                    plan['delta'] = batch.add_scalars(deltas)
                if id(m) in chain.fed_by and isinstance(m, nn.Linear):
                    matrix = _forward_weight(m, pname, w)
                    if matrix is not None and matrix.dim() == 2 and matrix.numel():
                        spectral.append((plan, matrix, key))
            layer_plans.append(plan)
        self._previous_weights = new_previous
        for plan, matrix, key in spectral:
            plan['spectral'] = batch.add_scalars([self._spectral_norm(matrix, key)])

        act_plans = []
        z_tails, a_tails = [], []
        for n, m, spec in self._activations:
            calls = self._calls.get(id(m))
            if calls is None or not calls.z:
                continue
            with torch.no_grad():
                plan = {'name': n, 'spec': spec, 'module': m, 'units': calls.z[0][1], 'calls': len(calls.z),
                        'elements': sum(c[0] for c in calls.z),
                        'z': [batch.add_scalars(c[2]) for c in calls.z], 'zn': [c[0] for c in calls.z],
                        'zc': [(c[0], c[1], c[4]) for c in calls.z]}
                zt = self._tail_input(calls.z, 3, lambda c: c[2][5], lambda c: c[2][6])
                z_tails.append((plan, None, zt))
                z_index = len(z_tails) - 1
                # one module called after several others (`self.act = nn.ReLU()` after each layer, a ResNet block's
                # relu after bn1 and after the residual sum): its calls are also summarized by the module whose
                # output was their input (None: not a module's output), each group on its own
                sources = chain.fed_from.get(id(m), [])
                groups = {}
                if len(calls.z) > 1 and len(sources) == len(calls.z):
                    for i, source in enumerate(sources):
                        groups.setdefault(source, []).append(i)
                group_z_index = []
                if len(groups) > 1:
                    plan['bySource'] = [(self._name_of.get(source) if source is not None else None, group)
                                        for source, group in groups.items()]
                    plan['group_zdist'], plan['group_adist'] = [None] * len(groups), [None] * len(groups)
                    for g, (_, group) in enumerate(plan['bySource']):
                        z_tails.append((plan, g, self._tail_input([calls.z[i] for i in group], 3,
                                                                  lambda c: c[2][5], lambda c: c[2][6])))
                        group_z_index.append(len(z_tails) - 1)
                if calls.a:
                    plan['a'] = [batch.add_scalars(c[1]) for c in calls.a]
                    plan['an'] = [c[0] for c in calls.a]
                    # f non-decreasing and the samples aligned: a's order statistics sit where z's do (one sort)
                    aligned = spec.monotone and plan['an'] == plan['zn']
                    a_tails.append((plan, None, self._tail_input(calls.a, 2, lambda c: c[1][2], lambda c: c[1][3]),
                                    z_index if aligned else None))
                    if group_z_index and len(calls.a) == len(calls.z):
                        for g, (_, group) in enumerate(plan['bySource']):
                            tail = self._tail_input([calls.a[i] for i in group], 2, lambda c: c[1][2], lambda c: c[1][3])
                            a_tails.append((plan, g, tail, group_z_index[g] if aligned else None))
                if spec.learned:
                    wt = m.weight.detach()
                    plan['prelu'] = batch.add_scalars([wt.mean(), wt.min(), wt.max()])
                grads = chain.act_sq.get(id(m))
                if grads is not None and grads[0] and len(grads[0]) == len(grads[1]):
                    plan['grads'] = (batch.add_scalars(grads[0]), batch.add_scalars(grads[1]))
                plan['from'], plan['to'] = self._chain_ends(chain, m)
            act_plans.append(plan)
        # percentiles and histograms of every sample at once (one sort per group of equal-sized samples; a sample
        # of a = f(z) with f non-decreasing reuses the positions of z's order statistics)
        with torch.no_grad():
            tails = [t + (None,) for _, _, t in z_tails] + [t + (k,) for _, _, t, k in a_tails]  # k: into z_tails
            dist = _batched_tails(tails, batch)
            for (plan, group, _), slot in zip(z_tails, dist):
                if group is None:
                    plan['zdist'] = slot
                else:
                    plan['group_zdist'][group] = slot
            for (plan, group, _, _), slot in zip(a_tails, dist[len(z_tails):]):
                if group is None:
                    plan['adist'] = slot
                else:
                    plan['group_adist'][group] = slot
        self._calls = {}
        self._chain = _Chain()

        values = batch.read()  # the one host read per device
        record = {'type': 'snapshot', 'step': step, 'time': round(time.time() - self._start, 3)}
        if loss_slot is not None:
            record['loss'] = loss_slot.get(values)[0]
        elif loss_value is not None:
            record['loss'] = loss_value
        record['layers'] = [self._layer_entry(p, values) for p in layer_plans]
        record['activations'] = [self._activation_entry(p, values) for p in act_plans]
        if backward_seen and record['layers']:
            norms = [entry['gradNorm'] for entry in record['layers'] if not entry.get('noGrad')]
            if all(norm == 0 for norm in norms):  # none at all, or every one exactly 0
                self._advise_once('zeroed', f'at step {step} a backward pass ran but every gradient is '
                                  f'{"None" if not norms else "0"}: was w.step() called after optimizer.zero_grad()? '
                                  'Call it between loss.backward() and zero_grad()', stacklevel=4)
        return record

    def _chain_ends(self, chain, module):
        """The parameterized modules an activation sits between in this step's forward pass: the one whose output
        was exactly its input and the one whose input was exactly its output, each called once (else None)."""
        sources = chain.fed_from.get(id(module), [])
        source = sources[0] if len(sources) == 1 and sources[0] is not None else None
        if source is not None and chain.producer_calls.get(source) != 1:
            source = None
        targets = [p for p, a in chain.fed_by.items() if a == id(module)]
        target = targets[0] if len(targets) == 1 and chain.producer_calls.get(targets[0]) == 1 else None
        if len(sources) != 1:
            target = None
        return (self._name_of.get(source) if source is not None else None,
                self._name_of.get(target) if target is not None else None)

    def _spectral_norm(self, w, key):
        """‖W‖₂: exact for a small W, else from below by power iteration, warm-started from the previous snapshot's
        vector (kept under `key`: the parameter's id, which outlives a weight recomputed each forward pass; a cold
        start runs longer). The start vector comes from a generator of its own: the training's random state is not
        touched."""
        with torch.no_grad():
            W = w.detach()
            m, n = W.shape
            if m * n * min(m, n) <= EXACT_SPECTRAL_WORK and W.dtype in (torch.float32, torch.float64):
                # small: the exact value costs less than the iterations. Those of Wᵀ: the same values, and Wᵀ is
                # column-major, the layout LAPACK takes without a copy (half the time for a 10×512 weight).
                try:
                    return torch.linalg.svdvals(W.t())[0]
                except torch.linalg.LinAlgError:
                    # NaN weights (a run that diverged; infinite ones give NaN values): recorded as NaN, like
                    # every other number of that snapshot
                    return torch.full((), float('nan'), dtype=W.dtype, device=W.device)
            v = self._power.get(key)
            cold = v is None or v.shape[0] != W.shape[1] or v.device != W.device or v.dtype != W.dtype
            if cold:
                gen = torch.Generator().manual_seed(len(self._power) + 1)
                v = torch.randn(W.shape[1], generator=gen, dtype=torch.float64).to(device=W.device, dtype=W.dtype)
                v = v / _norm(v)
            for k in range(1, (POWER_ITERATIONS_COLD if cold else POWER_ITERATIONS_MAX) + 1):
                u = torch.mv(W, v)        # ‖u‖ = ‖Wv‖ ≤ ‖W‖₂
                v = torch.mv(W.t(), u)    # ‖v‖ / ‖u‖ = ‖Wᵀu‖ / ‖u‖, between ‖u‖ and ‖W‖₂
                if cold and k < POWER_ITERATIONS_COLD:  # no stopping test yet: only v's norm is needed
                    v = v / _norm(v).clamp_min(torch.finfo(W.dtype).tiny)
                    continue
                # The warm start is last snapshot's vector: where the weights have turned since (a direction that
                # grew overtakes the one it tracked, as Adam does early on), the two estimates are still apart and
                # the iterations go on. NaN stops at once.
                norm_u, norm_v = torch.stack([_norm(u), _norm(v)]).tolist()
                value = math.nan if math.isnan(norm_u) or math.isnan(norm_v) else \
                    norm_v / norm_u if norm_u > 0 else 0.0
                if value > 0:
                    v = v / norm_v
                if not value - norm_u > POWER_TOLERANCE * value:
                    break
            sigma = torch.tensor(value, dtype=W.dtype, device=W.device)
            if math.isfinite(value) and value > 0:
                # a non-finite vector would keep every later estimate NaN, a zero one (W = 0, e.g. a zero-initialized
                # layer) every later estimate 0: the next snapshot starts cold instead
                self._power[key] = v
            else:
                self._power.pop(key, None)
            return sigma

    @staticmethod
    def _tail_input(calls, sample_index, get_min, get_max):
        """The sample over every call (strided again when several calls together exceed the limit) and the exact
        extremes over the calls, as tensors."""
        if len(calls) == 1:
            return calls[0][sample_index], get_min(calls[0]), get_max(calls[0])
        sample = strided_sample(torch.cat([c[sample_index] for c in calls]))
        acc = accumulation_dtype(sample.device)  # the calls' numbers may differ in dtype
        return (sample, torch.stack([get_min(c).to(acc) for c in calls]).min(),
                torch.stack([get_max(c).to(acc) for c in calls]).max())

    @staticmethod
    def _layer_entry(plan, values):
        entry = {'name': plan['name'], 'type': plan['type'], 'param': plan['param']}
        if 'shape' in plan:
            entry['shape'] = plan['shape']
        numbers = iter(plan['slot'].get(values))
        if plan['grad']:
            norm, mean_abs, max_abs = next(numbers), next(numbers), next(numbers)
        else:
            norm = mean_abs = max_abs = None
            entry['noGrad'] = True
            if plan['frozen']:
                entry['frozen'] = True
        entry['gradNorm'] = norm
        entry['biasGradNorm'] = next(numbers) if plan['biasGrad'] else None
        weight_norm = next(numbers)
        entry['weightNorm'] = weight_norm
        if plan['update']:
            update = next(numbers)
            entry['updateRatio'] = update / weight_norm if weight_norm != 0 else (0.0 if update == 0 else math.inf)
        else:
            entry['updateRatio'] = None
        entry['gradMeanAbs'] = mean_abs
        entry['gradMaxAbs'] = max_abs
        if 'delta' in plan:
            entry['deltaNorm'] = _root_sum_sq(plan['delta'].get(values))
        if 'spectral' in plan:
            entry['spectralNorm'] = plan['spectral'].get(values)[0]
        return entry

    @staticmethod
    def _distribution(slots, counts, dist_slot, values, offset):
        calls = []
        for slot, n in zip(slots, counts):
            v = slot.get(values)
            calls.append((n, v[offset], v[offset + 1], v[offset + 2], v[offset + 3]))
        mean, std, vmin, vmax = combine_moments(calls)
        tail = dist_slot.get(values)
        inner = tail[:len(TENSORBOARD_PERCENTILES) - 2]
        hist = [int(c) for c in tail[len(TENSORBOARD_PERCENTILES) - 2:]]
        finite = math.isfinite(vmin) and math.isfinite(vmax)
        if finite and vmin == vmax:
            hist = middle_bin(sum(hist))
        return {'mean': mean, 'std': std, 'min': vmin, 'max': vmax, 'percentiles': [vmin] + inner + [vmax],
                'histogram': {'min': vmin, 'max': vmax, 'counts': hist} if finite else None}

    @staticmethod
    def _counts(plan, calls, values):
        """Saturated-low, saturated-high and dead-unit counts summed over the given calls of an activation module
        (indices into its plan's per-call numbers; for a complement call those are live and alive counts)."""
        low = high = dead = 0.0
        for i in calls:
            n, units, complement = plan['zc'][i]
            v = plan['z'][i].get(values)
            saturated = n - v[1] if complement else v[1]
            low += v[0]
            high += saturated - v[0]
            dead += units - v[2] if complement else v[2]
        return low, high, dead

    def _activation_entry(self, plan, values):
        spec = plan['spec']
        low, high, dead = self._counts(plan, range(plan['calls']), values)
        total = plan['elements']
        dead_units = plan['units'] * plan['calls']
        entry = {'name': plan['name'], 'type': type(plan['module']).__name__, 'activation': spec.name,
                 'units': plan['units'], 'calls': plan['calls'], 'elements': total,
                 'saturation': (low + high) / total, 'saturatedLow': low / total, 'saturatedHigh': high / total,
                 'dead': dead / dead_units if dead_units else 0.0}
        if spec.learned:
            mean, vmin, vmax = plan['prelu'].get(values)
            entry['preluSlope'] = {'mean': mean, 'min': vmin, 'max': vmax}
            entry['threshold'] = SATURATION_SHARE * max(1.0, 0.25, abs(vmin), abs(vmax))
        else:
            entry['threshold'] = SATURATION_SHARE * spec.max_slope
        if 'grads' in plan:
            entry['gradInNorm'] = _root_sum_sq(plan['grads'][0].get(values))
            entry['gradOutNorm'] = _root_sum_sq(plan['grads'][1].get(values))
        if plan['from'] is not None:
            entry['from'] = plan['from']
        if plan['to'] is not None:
            entry['to'] = plan['to']
        entry['z'] = self._distribution(plan['z'], plan['zn'], plan['zdist'], values, 3)
        if 'a' in plan:
            entry['a'] = self._distribution(plan['a'], plan['an'], plan['adist'], values, 0)
        if 'bySource' in plan:
            entry['bySource'] = [self._group_entry(plan, g, source, group, values)
                                 for g, (source, group) in enumerate(plan['bySource'])]
        return entry

    def _group_entry(self, plan, g, source, group, values):
        """The calls of an activation module fed by one module (`from`; null: not a module's output), when other
        calls of it were fed by others: their shares and distributions, counted as for the module's own entry."""
        low, high, dead = self._counts(plan, group, values)
        n_total = sum(plan['zc'][i][0] for i in group)
        units_total = sum(plan['zc'][i][1] for i in group)
        entry = {'from': source, 'calls': len(group), 'elements': n_total, 'saturation': (low + high) / n_total,
                 'saturatedLow': low / n_total, 'saturatedHigh': high / n_total,
                 'dead': dead / units_total if units_total else 0.0,
                 'z': self._distribution([plan['z'][i] for i in group], [plan['zn'][i] for i in group],
                                         plan['group_zdist'][g], values, 3)}
        if plan['group_adist'][g] is not None:
            entry['a'] = self._distribution([plan['a'][i] for i in group], [plan['an'][i] for i in group],
                                            plan['group_adist'][g], values, 0)
        return entry

    # -- output -------------------------------------------------------------------------------------------------

    def _write(self, record):
        try:
            line = _ENCODER.encode(record) + '\n'
        except ValueError:  # NaN or ±Infinity somewhere: JSON.parse would reject them
            flags = []
            record = _json_safe(record, flags)
            record['finite'] = False
            line = _ENCODER.encode(record) + '\n'
        if self._needs_newline:
            # an earlier writer died mid-line: end that line so this record starts clean
            line = '\n' + line
            self._needs_newline = False
        data = line.encode('utf-8')
        # one write() of the whole line (O_APPEND), so a reader tailing the file never sees half a record
        # unless the process dies inside it; loop only for the rare short write
        written = os.write(self._fd, data)
        while written < len(data):
            written += os.write(self._fd, data[written:])

    def _shared_default_name(self, ranks):
        name = _default_name()
        dist = torch.distributed
        if not isinstance(ranks, int) and self.world_size > 1 and dist.is_available() and dist.is_initialized():
            try:  # one name for every rank's file (rank 0's clock)
                box = [name]
                dist.broadcast_object_list(box, src=0)
                name = box[0]
            except Exception as e:
                self._warn_once('name', e)
        return name

    def _too_many_calls(self):
        self._advise_once('calls', f'more than {MAX_CALLS_PER_STEP} forward passes of one module since the hooks were '
                          f'attached for step {self._step}: the rest are not recorded until w.step() (call it once per '
                          'training step)', stacklevel=5)

    def _advise_once(self, key, message, stacklevel):
        """A RuntimeWarning about how the watcher is used, once per watcher and kind (`key`); unlike _warn_once,
        nothing failed, so it is not raised under GRADSCOPE_DEBUG."""
        if key not in self._warned:
            self._warned.add(key)
            warnings.warn(f'gradscope: {message}', RuntimeWarning, stacklevel=stacklevel)

    def _warn_once(self, where, error):
        if _DEBUG:
            raise error
        if where not in self._warned:
            self._warned.add(where)
            warnings.warn(f'gradscope: {where} failed and is skipped: {error!r}', RuntimeWarning, stacklevel=3)
