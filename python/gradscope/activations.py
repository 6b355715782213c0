"""The PyTorch activation modules Gradscope recognises, mirroring the core's table (src/core/activations.ts).

For each module: the table's name, its constants as the table names them, the derivative as PyTorch's autograd
computes it (its choice at kinks: relu'(0) = 0, hardtanh' = 0 at both limits), the largest slope (maxSlopeOf in the
table) and the split between "saturated low" and "saturated high". Saturation and dead units are then counted
exactly as src/core/probes.ts `saturationOf` does:

- an element is saturated when |f'(z)| < 5 % of the largest slope, low when z < split, else high;
- a unit is dead when f'(z) == 0 exactly for every sample of the batch (and every position, see watch.py).
"""
import math

import torch
from torch import nn

SATURATION_SHARE = 0.05
SELU_LAMBDA = 1.0507009873554805
SELU_ALPHA = 1.6732632423543772
PRELU_INIT = 0.25
GELU_TANH_COEFF = 0.044715
_SQRT_2_OVER_PI = math.sqrt(2 / math.pi)
_INV_SQRT_2PI = 1 / math.sqrt(2 * math.pi)
# PyTorch's kernel constants (M_2_SQRTPI, M_SQRT1_2, M_SQRT2 from <cmath>)
_M_2_SQRTPI = 1.12837916709551257390
_M_SQRT1_2 = 0.70710678118654752440
_M_SQRT2 = 1.41421356237309504880
_K_BETA = _M_2_SQRTPI * _M_SQRT1_2 * 0.5
_K_BETA_TANH = _M_SQRT2 * _M_2_SQRTPI * 0.5


# -- scalar f' for the maxima without a closed form (same formulas as the table) ------------------------------

def _sigmoid(x):
    if x >= 0:
        return 1 / (1 + math.exp(-x))
    e = math.exp(x)
    return e / (1 + e)


def _tanh_softplus(x):
    if x > 20:
        return math.tanh(x + math.log1p(math.exp(-x)))
    e = math.exp(x)
    n = e * (e + 2)
    return n / (n + 2)


def _df_gelu_tanh(x):
    u = _SQRT_2_OVER_PI * (x + GELU_TANH_COEFF * x * x * x)
    t = math.tanh(u)
    return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * _SQRT_2_OVER_PI * (1 + 3 * GELU_TANH_COEFF * x * x)


def _df_silu(x):
    s = _sigmoid(x)
    return s + x * s * (1 - s)


def _df_mish(x):
    t = _tanh_softplus(x)
    return t + x * (1 - t * t) * _sigmoid(x)


def numeric_max_slope(df, lo=0.0, hi=6.0):
    """Largest |f'| on [lo, hi]: the table's numericMaxSlope (a 4800-step scan refined by golden section)."""
    steps = 4800
    best_x, best = lo, -math.inf
    for i in range(steps + 1):
        x = lo + ((hi - lo) * i) / steps
        v = abs(df(x))
        if v > best:
            best, best_x = v, x
    h = (hi - lo) / steps
    a, b = best_x - h, best_x + h
    g = (math.sqrt(5) - 1) / 2
    i = 0
    while i < 100 and b - a > 1e-12:
        c = b - g * (b - a)
        d = a + g * (b - a)
        if abs(df(c)) > abs(df(d)):
            b = d
        else:
            a = c
        i += 1
    value = abs(df((a + b) / 2))
    return value if value >= best else best


_numeric_maxima = {}


def _numeric(name, df):
    if name not in _numeric_maxima:
        _numeric_maxima[name] = numeric_max_slope(df)
    return _numeric_maxima[name]


def _gelu_max_slope():
    # d/dx[Φ + xφ] = φ(2 − x²) = 0 at x = √2
    x = math.sqrt(2)
    return 0.5 * math.erfc(-x / math.sqrt(2)) + x * _INV_SQRT_2PI * math.exp(-0.5 * x * x)


# -- the entries -------------------------------------------------------------------------------------------------

class ActivationSpec:
    """What the probes need of one activation module: name, constants, f'(z), the slope cut-off and the split."""

    __slots__ = ('name', 'params', 'derivative', 'max_slope', 'split', 'learned', 'monotone', 'masks', 'inside', 'low',
                 'sign_split')

    def __init__(self, name, params, derivative, max_slope, split=0.0, learned=False, monotone=True, masks=None,
                 inside=None, low=None, sign_split=False):
        self.name = name
        self.params = params
        self.derivative = derivative
        #: Largest |f'| for these constants; a callable for PReLU, whose slope is learned.
        self.max_slope = max_slope
        self.split = split
        self.learned = learned
        #: f non-decreasing for these constants (the summaries of a = f(z) can then reuse z's sort)
        self.monotone = monotone
        #: For slopes constant on pieces: z -> (saturated, zero) boolean masks without computing f' (the same
        #: elements as |f'| < cut-off and f' == 0, NaN included, in fewer passes over a large tensor)
        self.masks = masks
        #: For a slope that is 0 outside one interval and far above the cut-off inside it (relu, relu6, hardtanh,
        #: hardsigmoid): (z, out, spare) -> out holding 1 at the elements inside (neither saturated nor zero; NaN
        #: is outside), else 0, and (z, out) -> out holding 1 at the elements saturated low (outside and below the
        #: split). `out` is a float tensor like z, `spare()` returns another (asked for only by a two-sided
        #: interval): a comparison written as float is a vectorized pass on the CPU, one with a bool result
        #: (torch 1.13) runs element by element, about 6x slower.
        self.inside = inside
        self.low = low
        #: inside is exactly z > 0 and low exactly z < 0 (relu): both can be counted from sign(z)
        self.sign_split = sign_split

    def max_slope_now(self, module):
        return self.max_slope(module) if callable(self.max_slope) else self.max_slope

    def meta(self, module):
        ms = self.max_slope_now(module)
        return {'name': self.name, 'params': self.params, 'maxSlope': ms,
                'threshold': SATURATION_SHARE * ms if ms > 0 else None, 'split': self.split}


def _sigmoid_spec(m):
    def d(z):
        s = torch.sigmoid(z)
        return s * (1 - s)
    return ActivationSpec('sigmoid', {}, d, 0.25)


def _tanh_spec(m):
    def d(z):
        t = torch.tanh(z)
        return 1 - t * t
    return ActivationSpec('tanh', {}, d, 1.0)


def _above(lo):
    return lambda z, out, spare: torch.gt(z, lo, out=out)


def _between(lo, hi):
    def inside(z, out, spare):
        torch.gt(z, lo, out=out)
        return out.mul_(torch.lt(z, hi, out=spare()))
    return inside


def _below(split, inclusive):
    if inclusive:
        return lambda z, out: torch.le(z, split, out=out)
    return lambda z, out: torch.lt(z, split, out=out)


def _relu_spec(m):
    # saturated low: outside and z < 0 (z == 0 is saturated, not below the split: high, as the rule says)
    return ActivationSpec('relu', {}, lambda z: (z > 0).to(z.dtype), 1.0, inside=_above(0.0),
                          low=_below(0.0, inclusive=False), sign_split=True)


def _relu6_spec(m):
    # PyTorch computes it as hardtanh(x, 0, 6): the derivative is 0 at both corners.
    return ActivationSpec('relu6', {}, lambda z: ((z > 0) & (z < 6)).to(z.dtype), 1.0, split=3.0,
                          inside=_between(0.0, 6.0), low=_below(0.0, inclusive=True))


def _hardtanh_spec(m):
    lo, hi = float(m.min_val), float(m.max_val)
    # The core takes the split from the default limits (0); for other limits the midpoint is what that 0 means.
    split = (lo + hi) / 2
    # saturated low: outside and below the split, i.e. z <= lo (when lo < hi; otherwise every element is outside)
    low = _below(lo, inclusive=True) if lo < hi else _below(split, inclusive=False)
    return ActivationSpec('hardtanh', {'min': lo, 'max': hi}, lambda z: ((z > lo) & (z < hi)).to(z.dtype), 1.0,
                          split=split, inside=_between(lo, hi), low=low)


def _leaky_relu_spec(m):
    slope = float(m.negative_slope)
    max_slope = max(1.0, abs(slope))
    threshold = SATURATION_SHARE * max_slope

    def d(z):
        return torch.where(z > 0, torch.ones_like(z), torch.full_like(z, slope))

    def masks(z):
        # slope 1 where z > 0, `slope` elsewhere (NaN included): each piece is saturated / zero or not as a whole
        negative = ~(z > 0)
        none = torch.zeros_like(negative)
        saturated = negative if abs(slope) < threshold else none
        if 1.0 < threshold:
            saturated = torch.ones_like(negative) if abs(slope) < threshold else ~negative
        return saturated, negative if slope == 0 else none
    return ActivationSpec('leaky_relu', {'slope': slope}, d, max_slope, monotone=slope >= 0, masks=masks)


def _prelu_weight(m, z):
    w = m.weight.detach().to(z.dtype)
    if w.numel() > 1 and z.dim() >= 2:
        # PReLU's slopes run along dim 1 (channels) whatever the input's rank.
        w = w.reshape((1, -1) + (1,) * (z.dim() - 2))
    return w


def _prelu_spec(m):
    def d(z):
        return torch.where(z > 0, torch.ones_like(z), _prelu_weight(m, z).expand_as(z))

    def max_slope(module):
        # maxSlopeOf(init) = max(1, 0.25), then the learned slopes (probes.ts)
        return max(1.0, PRELU_INIT, float(module.weight.detach().abs().max()))
    return ActivationSpec('prelu', {'slope': PRELU_INIT}, d, max_slope, learned=True, monotone=False)


def _elu_spec(m):
    alpha = float(m.alpha)

    def d(z):
        return torch.where(z > 0, torch.ones_like(z), alpha * torch.exp(z))
    return ActivationSpec('elu', {'alpha': alpha}, d, max(1.0, abs(alpha)), monotone=alpha >= 0)


def _selu_spec(m):
    lam, alpha = SELU_LAMBDA, SELU_ALPHA

    def d(z):
        return torch.where(z > 0, torch.full_like(z, lam), (lam * alpha) * torch.exp(z))
    return ActivationSpec('selu', {'lambda': lam, 'alpha': alpha}, d, abs(lam) * max(1.0, abs(alpha)))


def _gelu_spec(m):
    # f' written as PyTorch's GeluBackward kernels compute it, so exact zeros and the cut-off agree in float32 too
    if getattr(m, 'approximate', 'none') == 'tanh':
        def d_tanh(z):
            inner = _K_BETA_TANH * (z + GELU_TANH_COEFF * (z * z * z))
            t = torch.tanh(inner)
            left_derivative = 0.5 * (1 + t)
            right_derivative = (0.5 * z) * (1 - t * t) * (_K_BETA_TANH * (1 + 3 * GELU_TANH_COEFF * (z * z)))
            return left_derivative + right_derivative
        return ActivationSpec('gelu_tanh', {}, d_tanh, _numeric('gelu_tanh', _df_gelu_tanh), monotone=False)

    def d(z):
        cdf = 0.5 * (1 + torch.erf(z * _M_SQRT1_2))
        pdf = torch.exp(-0.5 * (z * z)) * _K_BETA
        return cdf + z * pdf
    return ActivationSpec('gelu', {}, d, _gelu_max_slope(), monotone=False)


def _silu_spec(m):
    def d(z):
        s = torch.sigmoid(z)
        return s * (1 + z * (1 - s))  # PyTorch's silu_backward
    return ActivationSpec('silu', {'beta': 1.0}, d, _numeric('silu', _df_silu), monotone=False)


def _mish_spec(m):
    def d(z):
        s = torch.sigmoid(z)
        t = torch.tanh(torch.log1p(torch.exp(z)))  # PyTorch's mish_backward: no softplus threshold
        return t + z * s * (1 - t * t)
    return ActivationSpec('mish', {}, d, _numeric('mish', _df_mish), monotone=False)


def _softplus_spec(m):
    beta, threshold = float(m.beta), float(m.threshold)

    def d(z):
        bz = z * beta
        e = torch.exp(bz)  # PyTorch's softplus_backward: e/(e + 1), 1 above the threshold
        return torch.where(bz > threshold, torch.ones_like(z), e / (e + 1))
    return ActivationSpec('softplus', {'beta': beta, 'threshold': threshold}, d, 1.0, monotone=beta > 0)


def _softsign_spec(m):
    def d(z):
        q = 1 + z.abs()
        return 1 / (q * q)
    return ActivationSpec('softsign', {}, d, 1.0)


def _hardsigmoid_spec(m):
    return ActivationSpec('hardsigmoid', {}, lambda z: ((z > -3) & (z < 3)).to(z.dtype) / 6, 1 / 6,
                          inside=_between(-3.0, 3.0), low=_below(-3.0, inclusive=True))


#: Module class -> entry builder. Looked up along the MRO, so ReLU6 (a Hardtanh subclass) finds its own entry first.
_BUILDERS = {
    nn.Sigmoid: _sigmoid_spec,
    nn.Tanh: _tanh_spec,
    nn.ReLU: _relu_spec,
    nn.ReLU6: _relu6_spec,
    nn.Hardtanh: _hardtanh_spec,
    nn.LeakyReLU: _leaky_relu_spec,
    nn.PReLU: _prelu_spec,
    nn.ELU: _elu_spec,
    nn.SELU: _selu_spec,
    nn.GELU: _gelu_spec,
    nn.SiLU: _silu_spec,
    nn.Mish: _mish_spec,
    nn.Softplus: _softplus_spec,
    nn.Softsign: _softsign_spec,
    nn.Hardsigmoid: _hardsigmoid_spec,
}


def activation_spec(module):
    """The entry for an activation module, or None when the core's table has no such activation."""
    for cls in type(module).__mro__:
        builder = _BUILDERS.get(cls)
        if builder is not None:
            return builder(module)
    return None


def table():
    """Every entry with its default constructor: name, constants, largest slope, cut-off, split (for the cross-check)."""
    modules = [nn.Sigmoid(), nn.Tanh(), nn.ReLU(), nn.ReLU6(), nn.Hardtanh(), nn.LeakyReLU(), nn.PReLU(), nn.ELU(),
               nn.SELU(), nn.GELU(), nn.GELU(approximate='tanh'), nn.SiLU(), nn.Mish(), nn.Softplus(), nn.Softsign(),
               nn.Hardsigmoid()]
    return [dict(module=type(m).__name__, **activation_spec(m).meta(m)) for m in modules]
