"""Per-layer gradient records, step numbering and the hook life cycle."""
import math
import unittest

import torch
from torch import nn

import gradscope
from helpers import RunTestCase, read_run


def mlp(seed=0, act=nn.Tanh):
    torch.manual_seed(seed)
    return nn.Sequential(nn.Linear(5, 16), act(), nn.Linear(16, 16), act(), nn.Linear(16, 3))


class GradientRecords(RunTestCase):
    def train(self, model, steps, every, name, before_optimizer=True, seed=1):
        """Trains with SGD; returns, per measured step, what the test itself read from the parameters."""
        torch.manual_seed(seed)
        opt = torch.optim.SGD(model.parameters(), lr=0.1)
        expected = {}
        w = gradscope.watch(model, every=every, log_dir=self.log_dir, name=name)
        for k in range(steps):
            x = torch.randn(32, 5)
            loss = ((model(x) - 1) ** 2).mean()
            opt.zero_grad()
            loss.backward()
            if k % every == 0:
                expected[k] = {n: (m.weight.grad.norm().item(), m.bias.grad.norm().item(), m.weight.norm().item(),
                                   m.weight.grad.abs().mean().item(), m.weight.grad.abs().max().item(),
                                   m.weight.detach().clone(), loss.item())
                               for n, m in model.named_modules() if isinstance(m, nn.Linear)}
            if before_optimizer:
                w.step(loss)
                opt.step()
            else:
                opt.step()
                w.step(loss)
        w.close()
        return expected

    def test_grad_norm_is_exactly_the_parameters_grad_norm(self):
        model = mlp()
        expected = self.train(model, 25, 10, 'exact')
        snaps = self.snapshots('exact')
        self.assertEqual([s['step'] for s in snaps], [0, 10, 20])
        previous = None
        for s in snaps:
            exp = expected[s['step']]
            self.assertEqual([l['name'] for l in s['layers']], ['0', '2', '4'])
            for layer in s['layers']:
                g, bg, wn, mean_abs, max_abs, weight, loss = exp[layer['name']]
                self.assertEqual(layer['type'], 'Linear')
                self.assertEqual(layer['param'], 'weight')
                # the same tensors reduced the same way: equal as floats, not merely close
                self.assertEqual(layer['gradNorm'], g)
                self.assertEqual(layer['biasGradNorm'], bg)
                # ‖W‖ as √(W · W) (BLAS's dot): float32 rounding of the float64 norm
                self.assertAlmostEqual(layer['weightNorm'] / wn, 1, delta=1e-6)
                self.assertEqual(layer['gradMeanAbs'], mean_abs)
                self.assertEqual(layer['gradMaxAbs'], max_abs)
                self.assertEqual(s['loss'], loss)
                if previous is None:
                    self.assertIsNone(layer['updateRatio'])
                else:
                    prev_weight = expected[previous][layer['name']][5]
                    ratio = ((weight - prev_weight).norm() / weight.norm()).item()
                    self.assertAlmostEqual(layer['updateRatio'], ratio, places=6)
                    self.assertGreater(layer['updateRatio'], 0)
            previous = s['step']

    def test_a_weight_tied_to_two_modules_has_the_same_update_ratio_in_both(self):
        torch.manual_seed(0)

        class Tied(nn.Module):
            def __init__(self):
                super().__init__()
                self.embed = nn.Embedding(12, 6)
                self.hidden = nn.Linear(6, 6)
                self.decode = nn.Linear(6, 12, bias=False)
                self.decode.weight = self.embed.weight  # tied: one tensor, two modules

            def forward(self, tokens):
                return self.decode(torch.tanh(self.hidden(self.embed(tokens))))

        model = Tied()
        opt = torch.optim.SGD(model.parameters(), lr=0.5)
        w = gradscope.watch(model, every=2, log_dir=self.log_dir, name='tied')
        weights = {}
        for k in range(5):
            tokens = torch.randint(0, 12, (16,))
            loss = nn.functional.cross_entropy(model(tokens), tokens)
            opt.zero_grad()
            loss.backward()
            if k % 2 == 0:
                weights[k] = (model.embed.weight.detach().clone(), model.hidden.weight.detach().clone())
            w.step(loss)
            opt.step()
        w.close()
        snaps = self.snapshots('tied')
        self.assertEqual([s['step'] for s in snaps], [0, 2, 4])
        for s, previous in zip(snaps[1:], (0, 2)):
            by_name = {l['name']: l for l in s['layers']}
            for name, index in (('embed', 0), ('decode', 0), ('hidden', 1)):
                now, before = weights[s['step']][index], weights[previous][index]
                ratio = ((now - before).norm() / now.norm()).item()
                self.assertAlmostEqual(by_name[name]['updateRatio'], ratio, places=6, msg=f'{name} at {s["step"]}')
                self.assertGreater(by_name[name]['updateRatio'], 0)

    def test_step_after_optimizer_step_reads_the_same_gradients(self):
        model = mlp(2)
        expected = self.train(model, 12, 4, 'after', before_optimizer=False)
        for s in self.snapshots('after'):
            for layer in s['layers']:
                self.assertEqual(layer['gradNorm'], expected[s['step']][layer['name']][0])

    def test_step_numbering_every_1_and_every_10(self):
        self.train(mlp(), 7, 1, 'every1')
        self.assertEqual([s['step'] for s in self.snapshots('every1')], list(range(7)))
        self.train(mlp(), 31, 10, 'every10')
        self.assertEqual([s['step'] for s in self.snapshots('every10')], [0, 10, 20, 30])

    def test_loss_as_a_float_and_omitted(self):
        model = mlp()
        w = gradscope.watch(model, every=1, log_dir=self.log_dir, name='loss')
        for loss_arg in (0.5, None):
            (model(torch.randn(4, 5)).sum()).backward()
            w.step(loss_arg)
        w.close()
        snaps = self.snapshots('loss')
        self.assertEqual(snaps[0]['loss'], 0.5)
        self.assertNotIn('loss', snaps[1])


class HookLifeCycle(RunTestCase):
    def test_hooks_only_around_the_measured_steps(self):
        model = mlp(act=nn.ReLU)
        w = gradscope.watch(model, every=5, log_dir=self.log_dir, name='hooks')
        # attached by watch() for step 0
        self.assertGreater(len(model[1]._forward_pre_hooks), 0)
        for k in range(16):
            loss = model(torch.randn(8, 5)).pow(2).mean()
            loss.backward()
            w.step(loss)
            # after step k the hooks are there exactly when step k + 1 is measured
            if (k + 1) % 5 == 0:
                for n, m in model.named_modules():
                    if isinstance(m, (nn.ReLU, nn.Linear)):
                        self.assertGreater(len(m._forward_hooks), 0, n)
            else:
                self.assert_no_hooks(model)
        w.close()
        self.assert_no_hooks(model)
        self.assertEqual([s['step'] for s in self.snapshots('hooks')], [0, 5, 10, 15])
        for s in self.snapshots('hooks'):
            self.assertEqual([a['name'] for a in s['activations']], ['1', '3'])

    def test_a_measured_step_keeps_nothing_of_its_forward_pass_alive(self):
        import gc
        import weakref
        model = mlp(act=nn.ReLU)
        w = gradscope.watch(model, every=1, log_dir=self.log_dir, name='alive')
        outputs = []
        for _ in range(3):
            hidden = model[3](model[2](model[1](model[0](torch.randn(8, 5)))))  # the last activation's output
            out = model[4](hidden)  # the last producer's
            loss = out.pow(2).mean()
            loss.backward()
            w.step(loss)
            outputs += [weakref.ref(hidden), weakref.ref(out)]
            del hidden, out, loss
        # the hooks on the graph's nodes must not keep the step's outputs (and through them its graph) alive; a
        # cycle through autograd's C++ nodes is one that Python's collector cannot see, so it would not help
        gc.collect()
        self.assertEqual([ref() for ref in outputs], [None] * 6)
        w.close()

    def test_a_step_measured_before_its_backward_pass_warns_once(self):
        import warnings
        model = mlp(act=nn.ReLU)
        w = gradscope.watch(model, every=1, log_dir=self.log_dir, name='order')
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter('always')
            for _ in range(3):
                loss = model(torch.randn(8, 5)).pow(2).mean()
                w.step(loss)  # too early: before loss.backward()
                loss.backward()
        w.close()
        messages = [str(c.message) for c in caught if issubclass(c.category, RuntimeWarning)]
        self.assertEqual(len(messages), 1, messages)
        self.assertRegex(messages[0], r'step 0 was measured before its backward pass ran: call w\.step\(\) after loss\.backward\(\)')
        # the right order, a validation pass under no_grad, and a forward pass left without backward all stay quiet
        w = gradscope.watch(model, every=1, log_dir=self.log_dir, name='order-ok')
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter('always')
            for _ in range(3):
                loss = model(torch.randn(8, 5)).pow(2).mean()
                loss.backward()
                with torch.no_grad():
                    model(torch.randn(4, 5))
                model(torch.randn(4, 5))  # e.g. a logged output, grad enabled, never backpropagated
                w.step(loss)
        w.close()
        self.assertEqual([str(c.message) for c in caught if issubclass(c.category, RuntimeWarning)], [])

    def test_a_step_measured_after_zero_grad_warns_once(self):
        import warnings
        for set_to_none in (True, False):
            with self.subTest(set_to_none=set_to_none):
                model = mlp(act=nn.ReLU)
                opt = torch.optim.SGD(model.parameters(), lr=0.1)
                w = gradscope.watch(model, every=1, log_dir=self.log_dir, name=f'zeroed-{set_to_none}')
                with warnings.catch_warnings(record=True) as caught:
                    warnings.simplefilter('always')
                    for _ in range(3):
                        model(torch.randn(8, 5)).pow(2).mean().backward()
                        opt.step()
                        opt.zero_grad(set_to_none=set_to_none)
                        w.step()  # too late: the gradients are gone
                w.close()
                messages = [str(c.message) for c in caught if issubclass(c.category, RuntimeWarning)]
                self.assertEqual(len(messages), 1, messages)
                self.assertRegex(messages[0], r'at step 0 a backward pass ran but every gradient is '
                                 + ('None' if set_to_none else '0') + r': was w\.step\(\) called after optimizer\.zero_grad\(\)\?')

    def test_watching_a_watched_model_again_closes_the_earlier_watcher(self):
        # a notebook cell run twice: the first watcher's hooks would otherwise record every forward pass for ever
        import warnings
        model = mlp(act=nn.ReLU)
        first = gradscope.watch(model, every=1, log_dir=self.log_dir, name='first')
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter('always')
            second = gradscope.watch(model, every=1, log_dir=self.log_dir, name='second')
        self.assertEqual(len(caught), 1)
        self.assertRegex(str(caught[0].message), r'already watched: the earlier watcher \(.*first\.jsonl, 0 steps\) is closed first')
        end = read_run(self.run_path('first'))[-1]
        self.assertEqual((end['type'], end['reason']), ('end', 'replaced'))
        with self.assertRaises(RuntimeError):
            first.step()
        self.assertEqual(len(model[1]._forward_pre_hooks), 1, 'only the second watcher hooks the model')
        model(torch.randn(4, 5)).sum().backward()
        second.step()
        second.close()
        self.assertEqual(len(self.snapshots('second')), 1)
        self.assertEqual(self.snapshots('first'), [])
        # another model, or a closed watcher, is left alone
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter('always')
            gradscope.watch(model, every=1, log_dir=self.log_dir, name='third').close()
            gradscope.watch(mlp(), every=1, log_dir=self.log_dir, name='fourth').close()
        self.assertEqual(caught, [])

    def test_forward_passes_without_w_step_are_recorded_up_to_a_limit(self):
        import warnings
        from gradscope.watch import MAX_CALLS_PER_STEP
        model = mlp(act=nn.ReLU)
        w = gradscope.watch(model, every=1, log_dir=self.log_dir, name='nostep')
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter('always')
            for _ in range(MAX_CALLS_PER_STEP + 30):
                model(torch.randn(4, 5)).sum().backward()
        messages = [str(c.message) for c in caught]
        self.assertEqual(len(messages), 1, messages)
        self.assertRegex(messages[0], rf'more than {MAX_CALLS_PER_STEP} forward passes of one module')
        w.step()
        w.close()
        (s,) = self.snapshots('nostep')
        self.assertEqual([a['calls'] for a in s['activations']], [MAX_CALLS_PER_STEP] * len(s['activations']))
        self.assertEqual(s['activations'][0]['elements'], MAX_CALLS_PER_STEP * 4 * model[0].out_features)

    def test_close_removes_hooks_attached_for_a_step_never_reached(self):
        model = mlp()
        w = gradscope.watch(model, every=3, log_dir=self.log_dir, name='early')
        w.close()
        self.assert_no_hooks(model)
        w.close()  # twice is fine
        with self.assertRaises(RuntimeError):
            w.step()

    def test_with_form_writes_the_end_record(self):
        model = mlp()
        with gradscope.watch(model, every=2, log_dir=self.log_dir, name='with') as w:
            for _ in range(5):
                model(torch.randn(3, 5)).sum().backward()
                w.step()
        self.assert_no_hooks(model)
        records = self.read('with')
        self.assertEqual(records[0]['type'], 'meta')
        self.assertEqual(records[-1], {'type': 'end', 'step': 4, 'steps': 5, 'reason': 'close',
                                       'time': records[-1]['time']})
        self.assertEqual([r['step'] for r in records if r['type'] == 'snapshot'], [0, 2, 4])

    def test_with_form_records_an_exception(self):
        model = mlp()
        with self.assertRaises(ZeroDivisionError):
            with gradscope.watch(model, every=2, log_dir=self.log_dir, name='boom') as w:
                model(torch.randn(3, 5)).sum().backward()
                w.step()
                1 / 0
        self.assertEqual(self.read('boom')[-1]['reason'], 'exception')
        self.assert_no_hooks(model)

    def test_rejects_bad_arguments(self):
        with self.assertRaises(TypeError):
            gradscope.watch(lambda x: x)
        with self.assertRaises(ValueError):
            gradscope.watch(mlp(), every=0, log_dir=self.log_dir)

    def read(self, name):
        from helpers import read_run
        return read_run(self.run_path(name))


class NonFinite(RunTestCase):
    def test_nan_and_inf_gradients_are_recorded_as_null_with_a_flag(self):
        model = mlp()
        w = gradscope.watch(model, every=1, log_dir=self.log_dir, name='nan')
        model(torch.randn(4, 5)).sum().backward()
        model[0].weight.grad[0, 0] = math.nan
        model[2].weight.grad[1, 1] = math.inf
        w.step(torch.tensor(math.nan))
        x = torch.randn(4, 5)
        x[0, 0] = math.nan  # NaN flows into every activation
        model.zero_grad()
        model(x).sum().backward()
        w.step(1.0)
        w.close()
        s0, s1 = self.snapshots('nan')  # read_run rejects bare NaN / Infinity
        self.assertIsNone(s0['loss'])
        self.assertEqual(s0['nonFinite'], {'loss': 'NaN'})
        self.assertFalse(s0['finite'])
        first, second, last = s0['layers']
        self.assertIsNone(first['gradNorm'])
        self.assertEqual(first['nonFinite']['gradNorm'], 'NaN')
        self.assertEqual(first['nonFinite']['gradMaxAbs'], 'NaN')
        self.assertEqual(second['nonFinite']['gradNorm'], 'Infinity')
        self.assertEqual(second['nonFinite']['gradMaxAbs'], 'Infinity')
        self.assertIsInstance(last['gradNorm'], float)
        self.assertNotIn('nonFinite', last)
        self.assertFalse(s1['finite'])
        z = s1['activations'][0]['z']
        self.assertIsNone(z['mean'])
        self.assertEqual(z['nonFinite']['mean'], 'NaN')
        self.assertIsNone(z['histogram'])


    def test_a_run_whose_weights_went_nan_keeps_recording(self):
        # After a NaN gradient the optimizer writes NaN weights; ‖W‖₂ (the split's weight factor) must not make
        # the snapshots after it fail: they are recorded, with the norm as NaN.
        model = nn.Sequential(nn.Linear(5, 8), nn.Tanh(), nn.Linear(8, 1))
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
        w = gradscope.watch(model, every=1, log_dir=self.log_dir, name='nanweights')
        for step in range(3):
            optimizer.zero_grad()
            model(torch.randn(4, 5)).pow(2).mean().backward()
            if step == 0:
                model[2].weight.grad[0, 0] = math.nan
            w.step(1.0)
            optimizer.step()
        w.close()
        snapshots = self.snapshots('nanweights')
        self.assertEqual([s['step'] for s in snapshots], [0, 1, 2])
        norms = [s['layers'][1].get('spectralNorm') for s in snapshots]
        self.assertIsInstance(norms[0], float)
        self.assertIsNone(norms[2])
        self.assertEqual(snapshots[2]['layers'][1]['nonFinite'].get('spectralNorm'), 'NaN')

    def test_a_zero_initialized_layer_gets_its_spectral_norm_once_it_has_learned(self):
        # W = 0 gives a zero power-iteration vector; warm-starting from it would report ‖W‖₂ = 0 for ever
        torch.manual_seed(0)
        model = nn.Sequential(nn.Linear(5, 64), nn.ReLU(), nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 1))
        nn.init.zeros_(model[2].weight)  # 128·64·64 > EXACT_SPECTRAL_WORK: power iteration
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
        w = gradscope.watch(model, every=1, log_dir=self.log_dir, name='zeroinit')
        exact = []
        for _ in range(4):
            optimizer.zero_grad()
            model(torch.randn(16, 5)).pow(2).mean().backward()
            exact.append(torch.linalg.matrix_norm(model[2].weight.detach().double(), 2).item())
            w.step(1.0)
            optimizer.step()
        w.close()
        norms = [s['layers'][1]['spectralNorm'] for s in self.snapshots('zeroinit')]
        self.assertEqual(norms[0], 0.0)
        self.assertGreater(exact[1], 0)
        for got, want in zip(norms[1:], exact[1:]):
            self.assertLessEqual(got, want * (1 + 1e-6))
            self.assertGreaterEqual(got, want * (1 - 2e-2))

    def test_infinite_weights_give_a_nan_spectral_norm_and_the_snapshot_is_recorded(self):
        # LAPACK raises on NaN weights but returns NaN singular values for infinite ones: either way the norm is NaN
        model = nn.Sequential(nn.Linear(5, 8), nn.Tanh(), nn.Linear(8, 2))
        with torch.no_grad():
            model[2].weight[1, 3] = math.inf
        w = gradscope.watch(model, every=1, log_dir=self.log_dir, name='infweights')
        model(torch.randn(4, 5)).sum().backward()
        w.step()
        w.close()
        (s,) = self.snapshots('infweights')
        layer = s['layers'][1]
        self.assertIsNone(layer['spectralNorm'])
        self.assertEqual(layer['nonFinite']['spectralNorm'], 'NaN')
        self.assertEqual(layer['nonFinite']['weightNorm'], 'Infinity')
        self.assertIsInstance(s['layers'][0]['weightNorm'], float)


class EvalMode(RunTestCase):
    def test_eval_mode_with_batch_norm_and_dropout(self):
        torch.manual_seed(0)
        model = nn.Sequential(nn.Linear(5, 8), nn.BatchNorm1d(8), nn.ReLU(), nn.Dropout(0.5), nn.Linear(8, 1))
        model.eval()
        w = gradscope.watch(model, every=2, log_dir=self.log_dir, name='eval')
        for _ in range(3):
            model.zero_grad()
            loss = model(torch.randn(16, 5)).pow(2).mean()
            loss.backward()
            w.step(loss)
        w.close()
        meta = [r for r in self.read_all('eval') if r['type'] == 'meta'][0]
        self.assertFalse(meta['training'])
        snaps = self.snapshots('eval')
        self.assertEqual([s['step'] for s in snaps], [0, 2])
        self.assertEqual([l['name'] for l in snaps[0]['layers']], ['0', '1', '4'])
        self.assertEqual(snaps[0]['layers'][1]['type'], 'BatchNorm1d')
        self.assertEqual(snaps[1]['layers'][1]['gradNorm'], model[1].weight.grad.norm().item())
        self.assertEqual(snaps[0]['activations'][0]['elements'], 16 * 8)

    def test_a_frozen_layer_is_marked_frozen_until_it_is_unfrozen(self):
        # fine-tuning: the first layer's weight frozen (its bias still trains), unfrozen after two snapshots
        model = mlp()
        model[0].weight.requires_grad_(False)
        opt = torch.optim.SGD(model.parameters(), lr=0.1)
        w = gradscope.watch(model, every=1, log_dir=self.log_dir, name='frozen')
        kept = []  # whether a copy of the first weight is kept after each snapshot
        for k in range(4):
            if k == 2:
                model[0].weight.requires_grad_(True)
            opt.zero_grad()
            model(torch.randn(8, 5)).pow(2).mean().backward()
            w.step()
            kept.append(id(model[0].weight) in w._previous_weights)
            opt.step()
        w.close()
        snaps = self.snapshots('frozen')
        first = [s['layers'][0] for s in snaps]
        self.assertEqual([l.get('frozen') for l in first], [True, True, None, None])
        self.assertEqual([l.get('noGrad') for l in first], [True, True, None, None])
        self.assertIsNone(first[0]['gradNorm'])
        self.assertIsInstance(first[0]['biasGradNorm'], float)  # the bias trains
        self.assertEqual(first[3]['gradNorm'], model[0].weight.grad.norm().item())
        # no copy of a frozen weight is kept, so no update ratio until one snapshot after it was unfrozen
        self.assertEqual([l['updateRatio'] is None for l in first], [True, True, True, False])
        self.assertTrue(all(l['updateRatio'] is not None for s in snaps[1:] for l in s['layers'][1:]))
        self.assertEqual(kept, [False, False, True, True])
        # a weight that requires a gradient but got none (unused this step) is not called frozen
        self.assertTrue(all('frozen' not in l for s in snaps for l in s['layers'][1:]))

    def test_a_weight_unused_in_the_step_has_no_gradient_but_is_not_frozen(self):
        model = mlp()
        w = gradscope.watch(model, every=1, log_dir=self.log_dir, name='unused')
        model[4](model[3](model[2](torch.randn(4, 16)))).sum().backward()  # layer 0 not in this forward pass
        w.step()
        w.close()
        layer = self.snapshots('unused')[0]['layers'][0]
        self.assertTrue(layer['noGrad'])
        self.assertNotIn('frozen', layer)

    def read_all(self, name):
        from helpers import read_run
        return read_run(self.run_path(name))


if __name__ == '__main__':
    unittest.main()
