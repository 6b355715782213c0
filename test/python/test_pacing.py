"""watch(max_overhead=…): measured steps spaced so that what they cost stays within a share of the training time."""
import importlib
import unittest

import torch
from torch import nn

import gradscope
from helpers import RunTestCase, read_run

watch_module = importlib.import_module('gradscope.watch')


def small_model():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))


class FakeClock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


class Pacing(RunTestCase):
    def paced_run(self, steps, every, max_overhead, plain, forward_extra, snapshot_work, attach_work, name):
        """Trains with a fake clock: each step's forward and backward take `plain` (+ `forward_extra` when the hooks
        are on), the i-th snapshot `snapshot_work(i)` (or a number) and attaching the hooks `attach_work`. Returns the
        measured steps and, per step after its w.step(), whether hooks were on the model."""
        model = small_model()
        opt = torch.optim.SGD(model.parameters(), lr=0.01)
        w = gradscope.watch(model, every=every, log_dir=self.log_dir, name=name, max_overhead=max_overhead)
        clock = w._pacer.clock = FakeClock()
        snapshot, attach = w._snapshot, w._attach
        taken = []

        def timed_snapshot(*args):
            clock.now += snapshot_work(len(taken)) if callable(snapshot_work) else snapshot_work
            taken.append(args[0])
            return snapshot(*args)

        def timed_attach():
            clock.now += attach_work
            attach()
        w._snapshot, w._attach = timed_snapshot, timed_attach
        hooked_after = []
        for _ in range(steps):
            hooked = bool(model[1]._forward_hooks)
            clock.now += plain + (forward_extra if hooked else 0.0)
            loss = model(torch.randn(3, 4)).pow(2).mean()
            opt.zero_grad()
            loss.backward()
            w.step(loss)
            opt.step()
            hooked_after.append(bool(model[1]._forward_hooks))
        w.close()
        return [s['step'] for s in self.snapshots(name)], hooked_after

    # Plain steps of 8 and a share of 1/16 (exact in binary): each step earns 0.5 of budget.

    def test_a_costly_measurement_is_spaced_to_stay_within_the_share(self):
        # a measured step costs 2 + 1.5 + 0.5 = 4, eight steps' budget. Step 0 is not timed (no plain step before
        # it); step 2, measured after one step's budget (0.5 + its own 0.5), leaves a debt of 3: 14 steps to the
        # next, then 8 apart.
        steps, hooked = self.paced_run(40, every=2, max_overhead=0.0625, plain=8.0, forward_extra=2.0,
                                       snapshot_work=1.5, attach_work=0.5, name='costly')
        self.assertEqual(steps, [0, 2, 16, 24, 32])
        # hooks only after the step that precedes a measured one (step 39: for step 40, after the run)
        self.assertEqual([k for k, h in enumerate(hooked) if h], [1, 15, 23, 31, 39])

    def test_a_cheap_measurement_keeps_every(self):
        steps, _ = self.paced_run(25, every=5, max_overhead=0.0625, plain=8.0, forward_extra=0.1,
                                  snapshot_work=0.1, attach_work=0.0, name='cheap')
        self.assertEqual(steps, [0, 5, 10, 15, 20])

    def test_every_one_leaves_a_plain_step_to_time_and_then_paces(self):
        # cost 1 + 1.5 + 0.5 = 3 against plain 1 at 50 %: a debt of 2 after step 2 (10 to the next), then 6 apart
        steps, _ = self.paced_run(20, every=1, max_overhead=0.5, plain=1.0, forward_extra=1.0,
                                  snapshot_work=1.5, attach_work=0.5, name='everyone')
        self.assertEqual(steps, [0, 2, 12, 18])

    def test_a_measurement_that_cost_more_is_paid_back_and_saved_budget_is_capped(self):
        # the third measurement (step 16) costs 20 instead of 4: budget −16, the mean of [4, 20] expected: 56 steps
        # to step 72. There the budget (11.5 + 0.5 − 4 = 8) is below the expected 28/3: 3 steps; at 75, 5.5 of
        # 28/3: 8 steps; at 83 the 5.5 left is capped at the expected 4: 2 steps; at 85, 1 of 4: 6; then 8 apart.
        steps, _ = self.paced_run(110, every=2, max_overhead=0.0625, plain=8.0, forward_extra=2.0,
                                  snapshot_work=lambda i: 17.5 if i == 2 else 1.5, attach_work=0.5,
                                  name='outlier')
        self.assertEqual(steps, [0, 2, 16, 72, 75, 83, 85, 91, 99, 107])

    def test_meta_records_the_share_and_bad_values_are_refused(self):
        model = small_model()
        w = gradscope.watch(model, log_dir=self.log_dir, name='meta', max_overhead=0.05)
        w.close()
        meta = read_run(self.run_path('meta'))[0]
        self.assertEqual(meta['maxOverhead'], 0.05)
        self.assertIn('max_overhead=0.05', repr(w))
        w = gradscope.watch(model, log_dir=self.log_dir, name='plain')
        w.close()
        self.assertNotIn('maxOverhead', read_run(self.run_path('plain'))[0])
        for bad in (0, 1, -0.1, 2):
            with self.assertRaises(ValueError):
                gradscope.watch(model, log_dir=self.log_dir, name='bad', max_overhead=bad)

    def test_a_real_run_of_a_tiny_model_is_spaced_out(self):
        # the real clock: a tiny model's step takes some 0.1 ms and a measured one several times that, so at 5 %
        # the measured steps cannot stay every=1 apart
        model = small_model()
        opt = torch.optim.SGD(model.parameters(), lr=0.01)
        w = gradscope.watch(model, every=1, log_dir=self.log_dir, name='tiny', max_overhead=0.05)
        for k in range(400):
            loss = model(torch.randn(3, 4)).pow(2).mean()
            opt.zero_grad()
            loss.backward()
            w.step(loss)
            opt.step()
            if k + 1 != w._next:
                self.assert_no_hooks(model)
        w.close()
        steps = [s['step'] for s in self.snapshots('tiny')]
        self.assertEqual(steps[:2], [0, 2])
        self.assertGreater(min(b - a for a, b in zip(steps[1:], steps[2:])), 5, steps)


if __name__ == '__main__':
    unittest.main()
