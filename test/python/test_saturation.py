"""Saturation, dead units and the z / a summaries, checked against the core's rule applied independently here.

The rule (src/core/probes.ts saturationOf, src/core/activations.ts): an element is saturated when |f'(z)| is below
5 % of the activation's largest slope, low when z < split, else high; a unit is dead when f'(z) == 0 on every
sample. Here f'(z) comes from autograd on a copy of the module (not from gradscope's formulas), the largest slopes
are written out or found by a dense scan, and z is what a forward pre-hook of the test's own saw.
"""
import copy
import math
import sys
import unittest
from unittest import mock

import torch
from torch import nn

import gradscope
from gradscope.stats import DISTRIBUTION_SAMPLE_LIMIT
from helpers import RunTestCase

SELU_LAMBDA_ALPHA = 1.0507009873554805 * 1.6732632423543772


def scan_max_slope(module):
    """max |f'| over a dense grid of [0, 6] by autograd (for the maxima without a closed form)."""
    x = torch.linspace(0, 6, 600001, dtype=torch.float64, requires_grad=True)
    module(x).sum().backward()
    return x.grad.abs().max().item()


# (module, largest slope, split); the slopes are the table's maxSlopeOf for these constants
CASES = [
    (lambda: nn.Sigmoid(), 0.25, 0.0),
    (lambda: nn.Tanh(), 1.0, 0.0),
    (lambda: nn.ReLU(), 1.0, 0.0),
    (lambda: nn.ReLU6(), 1.0, 3.0),
    (lambda: nn.LeakyReLU(0.02), 1.0, 0.0),
    (lambda: nn.LeakyReLU(0.0), 1.0, 0.0),
    (lambda: nn.LeakyReLU(30.0), 30.0, 0.0),  # the slope-1 side is the flat one here
    (lambda: nn.LeakyReLU(-0.5), 1.0, 0.0),
    (lambda: nn.PReLU(12, init=0.03), None, 0.0),
    (lambda: nn.ELU(alpha=0.5), 1.0, 0.0),
    (lambda: nn.ELU(alpha=2.0), 2.0, 0.0),
    (lambda: nn.SELU(), SELU_LAMBDA_ALPHA, 0.0),
    (lambda: nn.GELU(), None, 0.0),
    (lambda: nn.GELU(approximate='tanh'), None, 0.0),
    (lambda: nn.SiLU(), None, 0.0),
    (lambda: nn.Mish(), None, 0.0),
    (lambda: nn.Softplus(beta=2.0, threshold=5.0), 1.0, 0.0),
    (lambda: nn.Softsign(), 1.0, 0.0),
    (lambda: nn.Hardtanh(-2.0, 1.0), 1.0, -0.5),
    (lambda: nn.Hardsigmoid(), 1 / 6, 0.0),
]


def independent_rule(module, z, max_slope, split, unit_axis=-1):
    zz = z.clone().requires_grad_(True)
    module(zz).sum().backward()  # elementwise: the gradient is f'(z) elementwise
    d = zz.grad
    if max_slope is None:
        max_slope = max(1.0, 0.25, module.weight.detach().abs().max().item())
    threshold = 0.05 * max_slope
    saturated = d.abs() < threshold
    low = int((saturated & (z < split)).sum())
    high = int(saturated.sum()) - low
    zero = (d == 0).movedim(unit_axis, 0).reshape(z.shape[unit_axis], -1)
    dead_units = int(zero.all(dim=1).sum())
    total = z.numel()
    return {'saturation': (low + high) / total, 'saturatedLow': low / total, 'saturatedHigh': high / total,
            'dead': dead_units / z.shape[unit_axis]}


def tensorboard_percentiles(v):
    """The core's distribution() percentiles, written out on plain Python floats."""
    v = v.reshape(-1).tolist()
    n = len(v)
    limit = DISTRIBUTION_SAMPLE_LIMIT
    stride = n / limit if n > limit else 1
    m = n if stride == 1 else limit
    sample = sorted(v[math.floor(i * stride)] for i in range(m))
    out = []
    for q in (0, 6.68, 15.87, 30.85, 50, 69.15, 84.13, 93.32, 100):
        if q == 0:
            out.append(min(v))
        elif q == 100:
            out.append(max(v))
        else:
            pos = (q / 100) * (m - 1)
            lo = math.floor(pos)
            hi = min(m - 1, lo + 1)
            out.append(sample[lo] + (pos - lo) * (sample[hi] - sample[lo]))
    return out


class Capture:
    """The test's own forward pre-hook: what the activation got, and the module's state at that moment."""

    def __init__(self, module):
        self.seen = []
        self.handle = module.register_forward_pre_hook(self)

    def __call__(self, module, inputs):
        if torch.is_grad_enabled():
            self.seen.append((inputs[0].detach().clone(), copy.deepcopy(module.state_dict())))


def wide_mlp(act, dtype=torch.float64, seed=0):
    torch.manual_seed(seed)
    first = nn.Linear(6, 12)
    with torch.no_grad():
        first.weight.mul_(8)  # z spans about ±10: every activation gets into its flat parts
        first.bias[:3] = -60  # three units below 0 on every sample: dead for relu and its cousins
        first.bias[3] = 40    # and one far above (dead for relu6, hardtanh, saturated for sigmoid)
    return nn.Sequential(first, act, nn.Linear(12, 1)).to(dtype)


class SaturationRule(RunTestCase):
    def check_case(self, make, max_slope, split, dtype):
        act = make()
        model = wide_mlp(act, dtype)
        if max_slope is None and not isinstance(act, nn.PReLU):
            max_slope = scan_max_slope(copy.deepcopy(act).to(dtype))
        capture = Capture(act)
        self.runs = getattr(self, 'runs', 0) + 1
        name = f'{type(act).__name__}-{dtype}-{self.runs}'.replace('torch.', '')
        opt = torch.optim.SGD(model.parameters(), lr=1e-6)
        w = gradscope.watch(model, every=2, log_dir=self.log_dir, name=name)
        seen_at = {}
        torch.manual_seed(1)
        for k in range(5):
            before = len(capture.seen)
            loss = model(torch.randn(64, 6, dtype=dtype)).pow(2).mean()
            opt.zero_grad()
            loss.backward()
            seen_at[k] = capture.seen[before]
            w.step(loss)
            opt.step()
        w.close()
        capture.handle.remove()
        snaps = self.snapshots(name)
        self.assertEqual([s['step'] for s in snaps], [0, 2, 4])
        for s in snaps:
            (entry,) = s['activations']
            z, state = seen_at[s['step']]
            reference = copy.deepcopy(act)
            reference.load_state_dict(state)
            want = independent_rule(reference, z, max_slope, split)
            for key, value in want.items():
                self.assertEqual(entry[key], value, f'{name} step {s["step"]} {key}')
            self.assertEqual(entry['units'], 12)
            self.assertEqual(entry['elements'], z.numel())
            self.assertEqual(entry['calls'], 1)
            zs = entry['z']
            v = z.double()
            # mean and std are summed in z's own dtype
            tol = (1e-12 if dtype == torch.float64 else 1e-6) * v.abs().max().item()
            self.assertAlmostEqual(zs['mean'], v.mean().item(), delta=tol)
            self.assertAlmostEqual(zs['std'], v.std(unbiased=False).item(), delta=tol)
            self.assertEqual(zs['min'], v.min().item())
            self.assertEqual(zs['max'], v.max().item())
            for got, exp in zip(zs['percentiles'], tensorboard_percentiles(v)):
                self.assertAlmostEqual(got, exp, delta=1e-12 * v.abs().max().item())
            self.assertEqual(sum(zs['histogram']['counts']), z.numel())
            a = reference(z).double()
            self.assertAlmostEqual(entry['a']['mean'], a.mean().item(), delta=tol / v.abs().max().item() * a.abs().max().item())
            self.assertAlmostEqual(entry['a']['std'], a.std(unbiased=False).item(),
                                   delta=tol / v.abs().max().item() * a.abs().max().item())
            self.assertEqual(entry['a']['min'], a.min().item())
            self.assertEqual(entry['a']['max'], a.max().item())
            for got, exp in zip(entry['a']['percentiles'], tensorboard_percentiles(a)):
                self.assertAlmostEqual(got, exp, delta=1e-12 * a.abs().max().item())
            self.assertEqual(sum(entry['a']['histogram']['counts']), z.numel())
        return snaps

    def test_every_activation_float64(self):
        for make, max_slope, split in CASES:
            with self.subTest(activation=type(make()).__name__):
                self.check_case(make, max_slope, split, torch.float64)

    def test_every_activation_float32(self):
        for make, max_slope, split in CASES:
            with self.subTest(activation=type(make()).__name__):
                self.check_case(make, max_slope, split, torch.float32)

    def test_the_wide_mlp_really_saturates_and_kills(self):
        snaps = self.check_case(CASES[0][0], 0.25, 0.0, torch.float64)
        self.assertGreater(snaps[0]['activations'][0]['saturatedLow'], 0)
        self.assertGreater(snaps[0]['activations'][0]['saturatedHigh'], 0)
        snaps = self.check_case(CASES[2][0], 1.0, 0.0, torch.float64)
        self.assertGreaterEqual(snaps[0]['activations'][0]['dead'], 3 / 12)

    def test_names_and_thresholds_in_the_records(self):
        model = nn.Sequential(nn.Linear(3, 4), nn.GELU(approximate='tanh'), nn.Linear(4, 4), nn.LeakyReLU(0.3),
                              nn.Linear(4, 4), nn.Softplus(beta=3), nn.Linear(4, 4), nn.ReLU6(), nn.Linear(4, 1))
        w = gradscope.watch(model, every=1, log_dir=self.log_dir, name='names')
        model(torch.randn(5, 3)).sum().backward()
        w.step()
        w.close()
        (s,) = self.snapshots('names')
        self.assertEqual([a['activation'] for a in s['activations']], ['gelu_tanh', 'leaky_relu', 'softplus', 'relu6'])
        self.assertEqual(s['activations'][1]['threshold'], 0.05)
        from helpers import read_run
        meta = read_run(self.run_path('names'))[0]
        acts = [m['activation'] for m in meta['modules'] if 'activation' in m]
        self.assertEqual(acts[1]['params'], {'slope': 0.3})
        self.assertEqual(acts[2]['params'], {'beta': 3.0, 'threshold': 20.0})
        self.assertEqual(acts[3]['split'], 3.0)


class Aggregation(RunTestCase):
    def test_one_module_called_twice_counts_both_calls(self):
        torch.manual_seed(0)

        class TwiceReLU(nn.Module):
            def __init__(self):
                super().__init__()
                self.a = nn.Linear(6, 12)
                self.b = nn.Linear(12, 12)
                self.act = nn.ReLU()
                self.out = nn.Linear(12, 1)

            def forward(self, x):
                return self.out(self.act(self.b(self.act(self.a(x)))))

        model = TwiceReLU().double()
        capture = Capture(model.act)
        w = gradscope.watch(model, every=1, log_dir=self.log_dir, name='twice')
        model(torch.randn(32, 6, dtype=torch.float64) * 3).sum().backward()
        with torch.no_grad():  # a validation pass in between is not counted
            model(torch.randn(8, 6, dtype=torch.float64))
        w.step()
        w.close()
        (s,) = self.snapshots('twice')
        (entry,) = s['activations']
        self.assertEqual(entry['calls'], 2)
        (z1, _), (z2, _) = capture.seen
        self.assertEqual(entry['elements'], z1.numel() + z2.numel())
        r1 = independent_rule(nn.ReLU(), z1, 1.0, 0.0)
        r2 = independent_rule(nn.ReLU(), z2, 1.0, 0.0)
        # saturation: a share of all elements of both calls; dead: each call's units counted apart
        self.assertAlmostEqual(entry['saturation'], (r1['saturation'] + r2['saturation']) / 2, places=12)
        self.assertAlmostEqual(entry['dead'], (r1['dead'] + r2['dead']) / 2, places=12)
        both = torch.cat([z1.reshape(-1), z2.reshape(-1)])
        self.assertAlmostEqual(entry['z']['mean'], both.mean().item(), places=12)
        self.assertAlmostEqual(entry['z']['std'], both.std(unbiased=False).item(), places=12)
        for got, exp in zip(entry['z']['percentiles'], tensorboard_percentiles(both)):
            self.assertAlmostEqual(got, exp, places=12)

    def test_inplace_relu_is_measured_before_it_overwrites_its_input(self):
        torch.manual_seed(0)
        model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(inplace=True), nn.Linear(8, 1))
        w = gradscope.watch(model, every=1, log_dir=self.log_dir, name='inplace')
        model(torch.randn(16, 4)).sum().backward()
        w.step()
        w.close()
        (entry,) = self.snapshots('inplace')[0]['activations']
        self.assertLess(entry['z']['min'], 0)
        self.assertEqual(entry['a']['min'], 0.0)
        self.assertGreater(entry['saturatedLow'], 0)

    def test_relu_output_extremes_come_from_its_input_only_for_relus_own_forward(self):
        class Shifted(nn.ReLU):  # a ReLU by type whose forward computes something else
            def forward(self, x):
                return super().forward(x) + 1

        for act, name in ((nn.ReLU(), 'relu-own'), (Shifted(), 'relu-shifted')):
            model = nn.Sequential(nn.Linear(3, 5), act, nn.Linear(5, 1))
            capture = Capture(act)
            w = gradscope.watch(model, every=1, log_dir=self.log_dir, name=name)
            x = torch.randn(7, 3)
            x[0, 0] = float('nan')  # a NaN row: min and max of z and a are NaN
            for batch in (x[1:], x):
                model(batch).sum().backward()
                w.step()
            w.close()
            capture.handle.remove()
            for s, (z, _) in zip(self.snapshots(name), capture.seen):
                (entry,) = s['activations']
                a = act(z)
                if torch.isnan(z).any():  # recorded as NaN, as the module's output has it
                    self.assertIsNone(entry['a']['min'])
                    self.assertEqual(entry['a']['nonFinite']['min'], 'NaN')
                    self.assertEqual(entry['a']['nonFinite']['max'], 'NaN')
                else:
                    self.assertEqual(entry['a']['min'], a.min().item(), name)
                    self.assertEqual(entry['a']['max'], a.max().item(), name)
            self.assertEqual(self.snapshots(name)[0]['activations'][0]['a']['min'] >= 1, name == 'relu-shifted')

    def test_large_tensors_use_the_cores_strided_sample(self):
        torch.manual_seed(0)
        model = nn.Sequential(nn.Linear(10, 300), nn.Tanh(), nn.Linear(300, 1)).double()
        capture = Capture(model[1])
        w = gradscope.watch(model, every=1, log_dir=self.log_dir, name='large')
        model(torch.randn(301, 10, dtype=torch.float64)).sum().backward()  # 90300 values > the sample limit
        w.step()
        w.close()
        (entry,) = self.snapshots('large')[0]['activations']
        z = capture.seen[0][0]
        for got, exp in zip(entry['z']['percentiles'], tensorboard_percentiles(z)):
            self.assertAlmostEqual(got, exp, places=12)
        self.assertEqual(sum(entry['z']['histogram']['counts']), DISTRIBUTION_SAMPLE_LIMIT)
        self.assertAlmostEqual(entry['z']['mean'], z.mean().item(), places=12)

    def test_a_constant_input_has_every_value_in_the_middle_bin(self):
        # the core's rule for max = min: (v − min) / 0 is NaN, and NaN goes to the middle bin
        model = nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 1))
        with torch.no_grad():
            model[0].weight.zero_()
            model[0].bias.fill_(-0.5)
        w = gradscope.watch(model, every=1, log_dir=self.log_dir, name='constant')
        model(torch.randn(7, 4)).sum().backward()
        w.step()
        w.close()
        (entry,) = self.snapshots('constant')[0]['activations']
        for side, value in (('z', -0.5), ('a', 0.0)):
            self.assertEqual((entry[side]['min'], entry[side]['max']), (value, value))
            counts = entry[side]['histogram']['counts']
            self.assertEqual(counts[len(counts) // 2], 21, side)
            self.assertEqual(sum(counts), 21, side)

    def test_one_module_called_after_several_layers_is_also_summarized_by_source(self):
        # `self.act = nn.Tanh()` used after each layer, in two micro-batches: the module's numbers cover every call,
        # and `bySource` gives those of the calls each module fed
        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.act = nn.Tanh()
                self.fc1, self.fc2, self.fc3 = nn.Linear(6, 12), nn.Linear(12, 12), nn.Linear(12, 1)
                with torch.no_grad():
                    self.fc2.weight.mul_(30)  # after fc2 it saturates, after fc1 hardly

            def forward(self, x):
                return self.fc3(self.act(self.fc2(self.act(self.fc1(x)))))

        torch.manual_seed(0)
        model = Net().double()
        capture = Capture(model.act)
        w = gradscope.watch(model, every=1, log_dir=self.log_dir, name='reused')
        for _ in range(2):
            model(torch.randn(40, 6, dtype=torch.float64)).sum().backward()
        w.step()
        w.close()
        (entry,) = self.snapshots('reused')[0]['activations']
        self.assertEqual(entry['calls'], 4)
        groups = entry['bySource']
        self.assertEqual([(g['from'], g['calls']) for g in groups], [('fc1', 2), ('fc2', 2)])
        seen = [z for z, _ in capture.seen]
        for g, z in zip(groups, (torch.cat(seen[0::2]), torch.cat(seen[1::2]))):
            want = independent_rule(nn.Tanh(), z, 1.0, 0.0)
            for key, value in want.items():
                self.assertAlmostEqual(g[key], value, places=12, msg=key)
            self.assertEqual(g['elements'], z.numel())
            self.assertEqual((g['z']['min'], g['z']['max']), (z.min().item(), z.max().item()))
            for got, exp in zip(g['z']['percentiles'], tensorboard_percentiles(z)):
                self.assertAlmostEqual(got, exp, places=12)
            a = torch.tanh(z)
            self.assertAlmostEqual(g['a']['mean'], a.mean().item(), places=12)
            self.assertEqual(sum(g['a']['histogram']['counts']), z.numel())
        self.assertLess(groups[0]['saturation'], 0.2)
        self.assertGreater(groups[1]['saturation'], 0.5)
        self.assertAlmostEqual(entry['saturation'], independent_rule(nn.Tanh(), torch.cat(seen), 1.0, 0.0)['saturation'],
                               places=12)

    def test_a_resnet_blocks_relu_after_bn1_and_after_the_sum(self):
        # torchvision's BasicBlock calls its one self.relu twice: after bn1, and after out + identity
        class Block(nn.Module):
            def __init__(self):
                super().__init__()
                self.conv1, self.bn1 = nn.Conv2d(3, 3, 3, padding=1), nn.BatchNorm2d(3)
                self.relu = nn.ReLU()
                self.conv2, self.bn2 = nn.Conv2d(3, 3, 3, padding=1), nn.BatchNorm2d(3)

            def forward(self, x):
                out = self.relu(self.bn1(self.conv1(x)))
                return self.relu(self.bn2(self.conv2(out)) + x)

        torch.manual_seed(0)
        model = Block()
        capture = Capture(model.relu)
        w = gradscope.watch(model, every=1, log_dir=self.log_dir, name='block')
        model(torch.randn(2, 3, 5, 5)).sum().backward()
        w.step()
        w.close()
        (entry,) = self.snapshots('block')[0]['activations']
        after_bn1, after_sum = entry['bySource']
        self.assertEqual((after_bn1['from'], after_sum['from']), ('bn1', None))
        for g, (z, _) in zip((after_bn1, after_sum), capture.seen):
            want = independent_rule(nn.ReLU(), z, 1.0, 0.0, unit_axis=1)
            for key, value in want.items():
                self.assertAlmostEqual(g[key], value, places=12, msg=key)

    def test_calls_fed_by_one_module_are_not_split(self):
        # two micro-batches through the same layers (gradient accumulation): one module feeds every call
        torch.manual_seed(0)
        model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 1))
        w = gradscope.watch(model, every=1, log_dir=self.log_dir, name='accumulated')
        for _ in range(2):
            model(torch.randn(5, 3)).sum().backward()
        w.step()
        w.close()
        (entry,) = self.snapshots('accumulated')[0]['activations']
        self.assertEqual(entry['calls'], 2)
        self.assertNotIn('bySource', entry)


class Units(RunTestCase):
    def test_conv_units_are_channels_and_sequence_units_are_features(self):
        torch.manual_seed(0)

        class Mixed(nn.Module):
            def __init__(self):
                super().__init__()
                self.conv = nn.Conv2d(2, 5, 3, padding=1)
                self.conv_act = nn.ReLU()
                self.conv1d = nn.Conv1d(5, 7, 3)
                self.conv1d_act = nn.ReLU()
                self.proj = nn.Linear(4, 9)
                self.seq_act = nn.ReLU()
                with torch.no_grad():
                    self.conv.bias[0] = -100   # channel 0 dead everywhere
                    self.conv1d.bias[:2] = -100

            def forward(self, x):
                y = self.conv_act(self.conv(x))                    # (N, 5, 6, 6): units are the 5 channels
                y = self.conv1d_act(self.conv1d(y.mean(dim=3)))    # (N, 7, 4): 7 channels
                y = self.seq_act(self.proj(y))                     # (N, 7, 9) from a Linear: 9 features
                return y.sum()

        model = Mixed()
        caps = [Capture(model.conv_act), Capture(model.conv1d_act), Capture(model.seq_act)]
        w = gradscope.watch(model, every=1, log_dir=self.log_dir, name='units')
        model(torch.randn(3, 2, 6, 6)).backward()
        w.step()
        w.close()
        acts = self.snapshots('units')[0]['activations']
        self.assertEqual([a['units'] for a in acts], [5, 7, 9])
        for entry, cap, axis in zip(acts, caps, (1, 1, -1)):
            want = independent_rule(nn.ReLU(), cap.seen[0][0], 1.0, 0.0, unit_axis=axis)
            self.assertEqual(entry['dead'], want['dead'], entry['name'])
            self.assertEqual(entry['saturation'], want['saturation'], entry['name'])
        self.assertGreaterEqual(acts[0]['dead'], 1 / 5)
        self.assertGreaterEqual(acts[1]['dead'], 2 / 7)

    def test_exact_zeros_and_kinks_follow_the_rule_in_dense_and_conv_shapes(self):
        # exact zeros and the kinks of the piecewise activations, whose counts take a comparison-only path
        specials = [0.0, -0.0, 3.0, -3.0, 6.0, 1.0, -2.0, -0.5, 1e-30, -1e-30]
        for make, max_slope, split in CASES:
            act = make()
            if not isinstance(act, (nn.ReLU, nn.ReLU6, nn.Hardtanh, nn.Hardsigmoid, nn.LeakyReLU, nn.Sigmoid)):
                continue
            # no producer module: (N, C, H, W) has its units on dim 1, (N, F) on the last dim
            for shape, axis in (((40, 6), -1), ((4, 6, 3, 5), 1)):
                with self.subTest(activation=repr(act), shape=shape):
                    torch.manual_seed(0)
                    z = torch.randn(shape, dtype=torch.float64) * 4
                    flat = z.view(-1)
                    picks = torch.randperm(flat.numel())[:flat.numel() // 3]
                    flat[picks] = torch.tensor(specials, dtype=torch.float64)[torch.arange(picks.numel()) % len(specials)]
                    z.select(axis, 2).fill_(-5.0)  # one whole unit flat: dead for relu, relu6, hardtanh
                    z.select(axis, 4).fill_(0.0)   # one at relu's kink: dead there too
                    model = nn.Sequential(act).double()
                    name = f'edges-{len(self.snapshots_seen) if hasattr(self, "snapshots_seen") else 0}'
                    self.snapshots_seen = getattr(self, 'snapshots_seen', []) + [name]
                    w = gradscope.watch(model, every=1, log_dir=self.log_dir, name=name)
                    model(z.clone().requires_grad_(True)).sum().backward()
                    w.step()
                    w.close()
                    (entry,) = self.snapshots(name)[0]['activations']
                    self.assertEqual(entry['units'], 6)
                    want = independent_rule(copy.deepcopy(act), z, max_slope, split, unit_axis=axis)
                    for key, value in want.items():
                        self.assertEqual(entry[key], value, key)
                    if isinstance(act, (nn.ReLU, nn.ReLU6)):
                        self.assertEqual(entry['dead'], 2 / 6)

    def test_relu_counts_from_signs_equal_the_comparisons(self):
        # a large ReLU input on the CPU is counted from sign(z) (see watch._record_input); patched thresholds send
        # the same inputs down either path: the records agree exactly, with the rule where it is defined
        watch_module = sys.modules['gradscope.watch']
        specials = [0.0, -0.0, 1e-30, -1e-30, float('inf'), float('-inf'), 2.0, -2.0]
        for dtype in (torch.float32, torch.float64):
            for shape, axis in (((30,), None), ((40, 6), -1), ((4, 6, 3, 5), 1), ((64, 8, 16, 16), 1)):
                for with_nan in (False, True):
                    torch.manual_seed(0)
                    z = torch.randn(shape, dtype=dtype)
                    flat = z.view(-1)
                    picks = torch.randperm(flat.numel())[:flat.numel() // 3]
                    flat[picks] = torch.tensor(specials, dtype=dtype)[torch.arange(picks.numel()) % len(specials)]
                    if axis is not None:
                        z.select(axis, 2).fill_(-1.0)  # a dead unit
                        z.select(axis, 4).fill_(0.0)   # one dead at the kink
                    if with_nan:
                        flat[[1, 7]] = float('nan')
                    records = []
                    for threshold in (0, 2 ** 62):
                        with self.subTest(dtype=dtype, shape=shape, nan=with_nan, threshold=threshold), \
                                mock.patch.object(watch_module, '_SIGN_COUNT_MIN', threshold):
                            name = f'signs-{len(records)}-{dtype}-{len(shape)}-{flat.numel()}-{with_nan}'.replace(
                                'torch.', '')
                            model = nn.Sequential(nn.ReLU()).to(dtype)
                            w = gradscope.watch(model, every=1, log_dir=self.log_dir, name=name)
                            model(z.clone().requires_grad_(True)).sum().backward()
                            w.step()
                            w.close()
                            (entry,) = self.snapshots(name)[0]['activations']
                            records.append({k: entry[k] for k in ('saturation', 'saturatedLow', 'saturatedHigh', 'dead')})
                            if not with_nan:
                                want = independent_rule(nn.ReLU(), z.double(), 1.0, 0.0,
                                                        unit_axis=axis if axis is not None else -1)
                                for key in records[-1]:
                                    self.assertEqual(records[-1][key], want[key], key)
                    self.assertEqual(records[0], records[1], f'{dtype} {shape} nan={with_nan}')
                    if axis is not None:
                        self.assertGreaterEqual(records[0]['dead'], 2 / shape[axis])


if __name__ == '__main__':
    unittest.main()
