"""The summaries' building blocks in gradscope.stats against the plain torch expressions they replace."""
import math
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


class SortKeys(unittest.TestCase):
    """sorted_positions sorts integer keys: the values they put at each rank are torch.sort's."""

    def cases(self, dtype):
        g = torch.Generator().manual_seed(1)
        for _ in range(20):
            yield torch.randn(3, 2048, generator=g, dtype=dtype) * 10.0 ** torch.randint(-30, 30, (1,), generator=g).item()
        special = torch.randn(4, 300, generator=g, dtype=dtype)
        nan = torch.tensor(0.0, dtype=dtype) / torch.tensor(0.0, dtype=dtype)  # a negative NaN on x86
        special[0, :7] = torch.tensor([float('nan'), float('inf'), -float('inf'), 0.0, -0.0, 0.0, -0.0], dtype=dtype)
        special[0, 7] = nan
        special[1] = 0.0
        special[1, ::3] = -0.0
        special[2, ::2] = torch.finfo(dtype).tiny / 4  # subnormals, both signs
        special[2, 1::4] = -torch.finfo(dtype).tiny / 4
        special[3] = float('nan')
        yield special
        yield torch.tensor([[2.0, 1.0, 2.0, 1.0]], dtype=dtype)

    def test_the_keys_order_the_values_as_torch_sort_does(self):
        for dtype in (torch.float32, torch.float64):
            for samples in self.cases(dtype):
                keys = stats._sort_keys(samples)
                self.assertEqual(keys.dtype, stats._KEY_DTYPES[dtype])
                got = torch.gather(samples, 1, torch.sort(keys, dim=1).indices)
                want = torch.sort(samples, dim=1).values
                # equal as floats (−0 == +0) and NaN in the same places (every NaN last)
                self.assertTrue(torch.equal(got.isnan(), want.isnan()))
                self.assertTrue(torch.equal(got.nan_to_num(nan=0.0), want.nan_to_num(nan=0.0)))

    def test_sorted_positions_pick_the_order_statistics(self):
        samples = next(self.cases(torch.float32))
        ranks, _ = stats._positions(samples.shape[1], samples.device)
        got = torch.gather(samples, 1, stats.sorted_positions(samples))
        self.assertTrue(torch.equal(got, torch.sort(samples, dim=1).values[:, ranks]))

    def test_other_dtypes_and_layouts_sort_the_values_themselves(self):
        self.assertIsNone(stats._sort_keys(torch.randn(2, 8).half()))
        self.assertIsNone(stats._sort_keys(torch.randn(8, 2).t()))
        half = torch.randn(2, 64).half()
        ranks, _ = stats._positions(64, half.device)
        self.assertTrue(torch.equal(torch.gather(half, 1, stats.sorted_positions(half)),
                                    torch.sort(half, dim=1).values[:, ranks]))


class Histogram(unittest.TestCase):
    """histogram_rows against the core's rule written out plainly: bin floor((v − min) / (max − min) · bins) in
    float64, clamped to the last bin; a row of equal values all in the middle bin (middle_bin, applied by the reader
    of the extremes)."""

    @staticmethod
    def plain(row, lo, hi):
        bins = stats.HISTOGRAM_BINS
        counts = [0] * bins
        for v in row.double().tolist():
            x = (v - lo) / (hi - lo) * bins if hi != lo else float('nan')
            counts[bins // 2 if x != x else min(bins - 1, max(0, math.floor(x)))] += 1
        return counts

    def test_rows_are_binned_as_the_core_bins(self):
        g = torch.Generator().manual_seed(3)
        for dtype in (torch.float32, torch.float64):
            rows = torch.randn(5, 700, generator=g, dtype=dtype)
            rows[1] = rows[1].round()  # many values on bin edges
            rows[2] = torch.linspace(-1, 1, 700, dtype=dtype)  # the top value exactly at max
            rows[3] *= 1e-30
            rows[4] = 2.5  # all equal
            lo, hi = rows.min(dim=1).values, rows.max(dim=1).values
            got = stats.histogram_rows(rows, torch.cat([lo, hi]))
            self.assertEqual(got.dtype, torch.float64)
            for r in range(rows.shape[0]):
                counts = [int(c) for c in got[r].tolist()]
                self.assertEqual(sum(counts), rows.shape[1])
                if lo[r] == hi[r]:
                    counts = stats.middle_bin(sum(counts))
                self.assertEqual(counts, self.plain(rows[r], lo[r].item(), hi[r].item()), f'{dtype} row {r}')

    def test_a_row_with_nan_or_infinite_extremes_still_counts_every_value(self):
        rows = torch.tensor([[0.0, float('nan'), 1.0], [float('-inf'), 0.0, float('inf')]])
        extremes = torch.tensor([float('nan'), float('-inf'), float('nan'), float('inf')])
        self.assertEqual(stats.histogram_rows(rows, extremes).sum(dim=1).tolist(), [3.0, 3.0])


if __name__ == '__main__':
    unittest.main()
