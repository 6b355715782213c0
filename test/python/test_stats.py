"""The summaries' building blocks in gradscope.stats against the plain torch expressions they replace."""
import unittest
from unittest import mock

import torch

from gradscope import stats


class SquaredDeviations(unittest.TestCase):
    def cases(self):
        torch.manual_seed(0)
        for dtype in (torch.float32, torch.float64):
            v = torch.randn(70001, dtype=dtype) * 3 + 0.5
            yield v
            w = v.clone()
            w[[3, 50, 700]] = torch.tensor([float('inf'), float('-inf'), float('nan')], dtype=dtype)
            yield w
            yield torch.full((5,), 2.0, dtype=dtype)

    def test_the_one_pass_kernel_gives_the_bits_of_sub_then_square(self):
        self.assertIsNotNone(stats._squared_difference_out, 'this torch has the mse_loss kernel binding')
        for v in self.cases():
            mean = v.mean()
            work = torch.empty_like(v)
            got = stats._squared_deviations(v, mean, work)
            self.assertEqual(got.data_ptr(), work.data_ptr())  # written into the workspace, no fresh tensor
            want = (v - mean).square()
            self.assertTrue(torch.equal(torch.nan_to_num(got, nan=-1.0), torch.nan_to_num(want, nan=-1.0)))
            self.assertTrue(torch.equal(torch.isnan(got), torch.isnan(want)))

    def test_without_the_binding_the_two_pass_form_gives_the_same(self):
        for v in self.cases():
            mean = v.mean()
            fused = stats._squared_deviations(v, mean, torch.empty_like(v)).clone()
            with mock.patch.object(stats, '_squared_difference_out', None):
                plain = stats._squared_deviations(v, mean, torch.empty_like(v))
            self.assertTrue(torch.equal(torch.nan_to_num(fused, nan=-1.0), torch.nan_to_num(plain, nan=-1.0)))

    def test_a_binding_that_fails_is_tried_once_then_the_two_pass_form_is_used(self):
        v = torch.randn(100)
        mean = v.mean()
        broken = mock.Mock(side_effect=TypeError('another signature'))
        with mock.patch.object(stats, '_squared_difference_out', broken):
            first = stats._squared_deviations(v, mean, torch.empty_like(v)).clone()
            second = stats._squared_deviations(v, mean, torch.empty_like(v))
            self.assertIsNone(stats._squared_difference_out)
        self.assertEqual(broken.call_count, 1)
        self.assertTrue(torch.equal(first, (v - mean).square()))
        self.assertTrue(torch.equal(second, first))

    def test_moment_parts_are_mean_population_variance_min_max(self):
        for v in list(self.cases())[::3]:
            mean, var, vmin, vmax = (t.item() for t in stats.moment_parts(v, torch.empty_like(v)))
            d = v.double()
            self.assertAlmostEqual(mean, d.mean().item(), delta=1e-6 * d.abs().max().item())
            self.assertAlmostEqual(var, d.var(unbiased=False).item(), delta=1e-6 * d.var().item())
            self.assertEqual((vmin, vmax), (v.min().item(), v.max().item()))
            given = stats.moment_parts(v, torch.empty_like(v), (v[0], v[1]))
            self.assertEqual((given[2].item(), given[3].item()), (v[0].item(), v[1].item()))


if __name__ == '__main__':
    unittest.main()
