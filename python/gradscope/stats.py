"""Summaries computed where the tensors live, as the core's probes compute them (src/core/probes.ts `distribution`).

Every function here returns tensors and never reads a number back to the host: the watcher collects them and
reads them all with one `.tolist()` per device and snapshot.
"""
import math

import torch

#: TensorBoard's distribution bands (percent): min, ±1.5σ, ±1σ, ±0.5σ of a normal, median, max.
TENSORBOARD_PERCENTILES = (0, 6.68, 15.87, 30.85, 50, 69.15, 84.13, 93.32, 100)
HISTOGRAM_BINS = 30
#: Above this many values, percentiles and histograms use an evenly strided sample (mean, std, min, max stay exact).
DISTRIBUTION_SAMPLE_LIMIT = 65536


def accumulation_dtype(device):
    # MPS has no float64
    return torch.float32 if device.type == 'mps' else torch.float64


def strided_sample(v):
    """v[floor(i·n/limit)] for i < limit, as the core samples (v itself when short enough)."""
    n = v.numel()
    if n <= DISTRIBUTION_SAMPLE_LIMIT:
        return v
    stride = n / DISTRIBUTION_SAMPLE_LIMIT
    idx = torch.floor(torch.arange(DISTRIBUTION_SAMPLE_LIMIT, device=v.device, dtype=torch.float64) * stride)
    return v[idx.long()]


def moments(v):
    """[sum, Σ(v − mean)², min, max] of a flat float tensor (two passes, as the core's std)."""
    s = v.sum()
    mean = s / v.numel()
    m2 = ((v - mean) ** 2).sum()
    return torch.stack([s, m2, v.min(), v.max()])


def percentiles_and_histogram(sample, vmin, vmax):
    """The 7 inner TensorBoard percentiles (linear interpolation on the sorted sample) and the histogram counts
    over [vmin, vmax] (the exact extremes), in one tensor of 7 + 30 values."""
    sample = strided_sample(sample)
    m = sample.numel()
    srt = torch.sort(sample).values
    lo_idx, hi_idx, frac = [], [], []
    for q in TENSORBOARD_PERCENTILES[1:-1]:
        pos = (q / 100) * (m - 1)
        lo = math.floor(pos)
        lo_idx.append(lo)
        hi_idx.append(min(m - 1, lo + 1))
        frac.append(pos - lo)
    dev = sample.device
    lo_t = srt[torch.tensor(lo_idx, device=dev)]
    hi_t = srt[torch.tensor(hi_idx, device=dev)]
    pct = lo_t + torch.tensor(frac, device=dev, dtype=srt.dtype) * (hi_t - lo_t)
    width = vmax - vmin
    bins = HISTOGRAM_BINS
    scaled = torch.floor((srt - vmin) / width * bins)
    # width 0: every value in the middle bin (as the core)
    scaled = torch.where(width > 0, scaled, torch.full_like(scaled, bins // 2))
    idx = torch.nan_to_num(scaled, nan=0.0, posinf=bins - 1, neginf=0.0).clamp(0, bins - 1).long()
    counts = torch.bincount(idx, minlength=bins).to(srt.dtype)
    return torch.cat([pct, counts])


def combine_moments(calls):
    """Mean, population std, min, max over several calls of (n, sum, M2, min, max) (Chan et al.'s pairwise rule;
    for one call exactly mean = sum/n, std = √(M2/n))."""
    total = sum(c[0] for c in calls)
    if total == 0:
        return 0.0, 0.0, 0.0, 0.0
    mean = sum(c[1] for c in calls) / total
    if len(calls) == 1:
        m2 = calls[0][2]
    else:
        m2 = sum(c[2] + c[0] * (c[1] / c[0] - mean) ** 2 for c in calls)
    std = math.sqrt(m2 / total) if m2 == m2 and m2 >= 0 else m2
    vmin = min((c[3] for c in calls), key=_nan_first)
    vmax = max((c[4] for c in calls), key=_nan_last)
    return mean, std, vmin, vmax


def _nan_first(x):
    return -math.inf if x != x else x


def _nan_last(x):
    return math.inf if x != x else x
