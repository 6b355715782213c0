#!/usr/bin/python3
"""PyTorch reference values for the engine's tests.

Builds small float64 networks from Gradscope NetworkSpecs, with weights drawn here and written into the fixture,
then records outputs, the loss, every parameter gradient and the input gradient (one forward + backward), and for
the optimizer cases the losses and parameters after a few steps. The TypeScript tests load the same weights and
compare to 1e-9, without needing torch.

Run with Debian's torch (apt-get install python3-torch):
    /usr/bin/python3 scripts/torch_reference.py
Writes test/fixtures/torch/forward_backward.json, optimizers.json and backward_split.json.
"""
import json
import math
import os

import torch
from torch import nn

torch.set_default_dtype(torch.float64)
OUT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures', 'torch')

SERLU_LAMBDA = 1.0786182836
SERLU_ALPHA = 2.9042712325


class Lambda(nn.Module):
    def __init__(self, fn):
        super().__init__()
        self.fn = fn

    def forward(self, x):
        return self.fn(x)


def activation_module(spec, width):
    name = spec['name']
    p = spec.get('params', {})
    if name == 'linear':
        return nn.Identity()
    if name == 'sigmoid':
        return nn.Sigmoid()
    if name == 'tanh':
        return nn.Tanh()
    if name == 'relu':
        return nn.ReLU()
    if name == 'relu6':
        return nn.ReLU6()
    if name == 'leaky_relu':
        return nn.LeakyReLU(p.get('slope', 0.01))
    if name == 'prelu':
        return nn.PReLU(num_parameters=width if spec.get('perUnit') else 1, init=p.get('slope', 0.25))
    if name == 'elu':
        return nn.ELU(alpha=p.get('alpha', 1.0))
    if name == 'selu':
        return nn.SELU()
    if name == 'serlu':
        # Not in torch: autograd differentiates the formula.
        return Lambda(lambda x: torch.where(x >= 0, SERLU_LAMBDA * x, SERLU_LAMBDA * SERLU_ALPHA * x * torch.exp(x)))
    if name == 'gelu':
        return nn.GELU()
    if name == 'gelu_tanh':
        return nn.GELU(approximate='tanh')
    if name in ('silu', 'swish'):
        beta = p.get('beta', 1.0)
        return nn.SiLU() if beta == 1.0 else Lambda(lambda x: x * torch.sigmoid(beta * x))
    if name == 'mish':
        return nn.Mish()
    if name == 'softplus':
        return nn.Softplus(beta=p.get('beta', 1.0), threshold=p.get('threshold', 20.0))
    if name == 'softsign':
        return nn.Softsign()
    if name == 'hardtanh':
        return nn.Hardtanh(p.get('min', -1.0), p.get('max', 1.0))
    if name == 'hardsigmoid':
        return nn.Hardsigmoid()
    if name == 'sin':
        return Lambda(torch.sin)
    raise ValueError(name)


class FixedDropout(nn.Module):
    """Inverted dropout with a given keep-mask, so the engine can be handed the same one."""
    def __init__(self, p, keep):
        super().__init__()
        self.p = p
        self.keep = keep

    def forward(self, x):
        return x * self.keep / (1 - self.p) if self.training else x


class Residual(nn.Module):
    def __init__(self, block, projection):
        super().__init__()
        self.block = block
        self.projection = projection

    def forward(self, x):
        skip = self.projection(x) if self.projection is not None else x
        return skip + self.block(x)


def build(layers, width, gen):
    """An nn.Sequential for a layer list, plus the output width; weights drawn from `gen`."""
    mods = []
    for spec in layers:
        t = spec['type']
        if t == 'linear':
            lin = nn.Linear(width, spec['units'], bias=spec.get('bias', True))
            with torch.no_grad():
                lin.weight.copy_(torch.randn(lin.weight.shape, generator=gen) * spec.get('std', 1.0 / math.sqrt(width)))
                if lin.bias is not None:
                    lin.bias.copy_(torch.randn(lin.bias.shape, generator=gen) * 0.3)
            mods.append(lin)
            width = spec['units']
        elif t == 'activation':
            act = activation_module(spec, width)
            if isinstance(act, nn.PReLU):
                with torch.no_grad():
                    act.weight.copy_(0.25 + 0.1 * torch.randn(act.weight.shape, generator=gen))
            mods.append(act)
        elif t == 'batchnorm':
            bn = nn.BatchNorm1d(width, eps=spec.get('eps', 1e-5), momentum=spec.get('momentum', 0.1))
            with torch.no_grad():
                bn.weight.copy_(1 + 0.2 * torch.randn(width, generator=gen))
                bn.bias.copy_(0.2 * torch.randn(width, generator=gen))
                bn.running_mean.copy_(0.3 * torch.randn(width, generator=gen))
                bn.running_var.copy_(0.5 + torch.rand(width, generator=gen))
            mods.append(bn)
        elif t == 'dropout':
            # A fixed keep-mask (rows × width, drawn here and written into the fixture): the engine's Dropout.fixedMask.
            keep = (torch.rand(spec['rows'], width, generator=gen) >= spec['p']).to(torch.float64)
            mods.append(FixedDropout(spec['p'], keep))
        elif t == 'residual':
            block, out = build(spec['layers'], width, gen)
            projection = None
            if out != width:
                projection = nn.Linear(width, out, bias=False)
                with torch.no_grad():
                    projection.weight.copy_(torch.randn(projection.weight.shape, generator=gen) / math.sqrt(width))
            mods.append(Residual(block, projection))
            width = out
        else:
            raise ValueError(t)
    return nn.Sequential(*mods), width


def clean_spec(layers):
    """The spec as the engine reads it (the per-layer 'std' is only for drawing weights here)."""
    out = []
    for s in layers:
        s = {k: v for k, v in s.items() if k not in ('std', 'rows')}
        if s['type'] == 'residual':
            s['layers'] = clean_spec(s['layers'])
        out.append(s)
    return out


def export(seq):
    """Parameters in the engine's ModuleParams shape (network.exportParams)."""
    out = []
    for m in seq:
        if isinstance(m, nn.Linear):
            out.append({'type': 'linear', 'weight': m.weight.tolist(), 'bias': m.bias.tolist() if m.bias is not None else None})
        elif isinstance(m, nn.BatchNorm1d):
            out.append({'type': 'batchnorm', 'weight': m.weight.tolist(), 'bias': m.bias.tolist(),
                        'runningMean': m.running_mean.tolist(), 'runningVar': m.running_var.tolist()})
        elif isinstance(m, Residual):
            r = {'type': 'residual', 'layers': export(m.block)}
            if m.projection is not None:
                r['projection'] = m.projection.weight.tolist()
            out.append(r)
        elif isinstance(m, FixedDropout):
            out.append({'type': 'dropout', 'p': m.p})
        else:
            entry = {'type': 'activation', 'name': m._gradscope_name}
            if isinstance(m, nn.PReLU):
                entry['weight'] = m.weight.tolist()
            out.append(entry)
    return out


def tag_names(seq, layers):
    for m, spec in zip(seq, layers):
        if spec['type'] == 'activation':
            m._gradscope_name = spec['name']
        elif spec['type'] == 'residual':
            tag_names(m.block, spec['layers'])


def ordered_params(seq):
    """Parameters in the engine's order: weight, bias, PReLU slope, γ, β; a residual's block, then projection."""
    out = []
    for m in seq:
        if isinstance(m, nn.Linear):
            out.append(m.weight)
            if m.bias is not None:
                out.append(m.bias)
        elif isinstance(m, nn.PReLU):
            out.append(m.weight)
        elif isinstance(m, nn.BatchNorm1d):
            out += [m.weight, m.bias]
        elif isinstance(m, Residual):
            out += ordered_params(m.block)
            if m.projection is not None:
                out.append(m.projection.weight)
    return out


def loss_fn(name, out, y):
    if name == 'mse':
        return nn.functional.mse_loss(out, y)
    if name == 'cross_entropy':
        return nn.functional.cross_entropy(out, y.long())
    if name == 'bce':
        return nn.functional.binary_cross_entropy_with_logits(out[:, 0], y)
    raise ValueError(name)


def targets(loss, n, outputs, gen):
    if loss == 'mse':
        return torch.randn(n, outputs, generator=gen)
    if loss == 'cross_entropy':
        return torch.tensor([float(i % outputs) for i in range(n)])
    return torch.tensor([float(i % 2) for i in range(n)])


def flat(t):
    return t.detach().reshape(-1).tolist()


def forward_backward_case(name, inputs, layers, loss='mse', n=6, mode='train', x_scale=1.0, seed=0):
    gen = torch.Generator().manual_seed(seed)
    seq, outputs = build(layers, inputs, gen)
    tag_names(seq, layers)
    params_before = export(seq)
    x = (torch.randn(n, inputs, generator=gen) * x_scale).requires_grad_(True)
    y = targets(loss, n, outputs, gen)
    seq.train(mode == 'train')
    out = seq(x)
    value = loss_fn(loss, out, y)
    value.backward()
    return {
        'name': name,
        'spec': {'inputs': inputs, 'layers': clean_spec(layers)},
        'loss': loss,
        'mode': mode,
        'params': params_before,
        'x': x.detach().tolist(),
        'y': flat(y),
        'expected': {
            'output': flat(out),
            'loss': value.item(),
            'grads': [flat(p.grad) for p in ordered_params(seq)],
            'inputGrad': flat(x.grad),
            # Running statistics after the forward pass (changed in train mode only).
            'paramsAfterForward': export(seq),
        },
    }


def optimizer_case(name, optimizer, clip=None, steps=5, seed=100):
    gen = torch.Generator().manual_seed(seed)
    layers = [
        {'type': 'linear', 'units': 6, 'std': 0.8},
        {'type': 'batchnorm'},
        {'type': 'activation', 'name': 'prelu', 'perUnit': True},
        {'type': 'linear', 'units': 4, 'std': 0.6},
        {'type': 'activation', 'name': 'tanh'},
        {'type': 'linear', 'units': 2},
    ]
    seq, outputs = build(layers, 3, gen)
    tag_names(seq, layers)
    params_before = export(seq)
    batches = []
    for _ in range(steps):
        x = torch.randn(8, 3, generator=gen)
        y = torch.randn(8, outputs, generator=gen)
        batches.append((x, y))
    kind = optimizer['type']
    params = ordered_params(seq)
    lr = optimizer['lr']
    wd = optimizer.get('weightDecay', 0.0)
    if kind in ('sgd', 'momentum'):
        momentum = optimizer.get('momentum', 0.9 if kind == 'momentum' else 0.0)
        opt = torch.optim.SGD(params, lr=lr, momentum=momentum, nesterov=optimizer.get('nesterov', False), weight_decay=wd)
    elif kind == 'adam':
        opt = torch.optim.Adam(params, lr=lr, weight_decay=wd)
    elif kind == 'adamw':
        opt = torch.optim.AdamW(params, lr=lr, weight_decay=optimizer.get('weightDecay', 0.01))
    else:
        raise ValueError(kind)
    seq.train(True)
    losses = []
    grad_norms = []
    for x, y in batches:
        opt.zero_grad()
        value = loss_fn('mse', seq(x), y)
        value.backward()
        if clip is not None:
            grad_norms.append(torch.nn.utils.clip_grad_norm_(params, clip).item())
        else:
            grad_norms.append(math.sqrt(sum(float((p.grad ** 2).sum()) for p in params)))
        opt.step()
        losses.append(value.item())
    spec_opt = dict(optimizer)
    if clip is not None:
        spec_opt['clipNorm'] = clip
    return {
        'name': name,
        'spec': {'inputs': 3, 'layers': clean_spec(layers)},
        'optimizer': spec_opt,
        'params': params_before,
        'batches': [{'x': x.tolist(), 'y': flat(y)} for x, y in batches],
        'expected': {'losses': losses, 'gradNorms': grad_norms, 'paramsAfter': export(seq)},
    }


def two_layer(act, params=None, per_unit=False, std=1.5):
    a = {'type': 'activation', 'name': act}
    if params:
        a['params'] = params
    if per_unit:
        a['perUnit'] = True
    return [
        {'type': 'linear', 'units': 5, 'std': std},
        dict(a),
        {'type': 'linear', 'units': 4, 'std': std / 2},
        dict(a),
        {'type': 'linear', 'units': 2},
    ]


def max_slope(m):
    """max |f'| of an activation module, as the engine's table has it (the cases use only these)."""
    if isinstance(m, nn.Sigmoid):
        return 0.25
    if isinstance(m, nn.PReLU):
        return max(1.0, float(m.weight.abs().max()))
    if isinstance(m, nn.SELU):
        return 1.0507009873554805 * 1.6732632423543772
    if isinstance(m, (nn.Tanh, nn.ReLU, nn.Softplus, nn.Identity)):
        return 1.0
    if isinstance(m, nn.GELU):
        return 0.5 * math.erfc(-1.0) + math.sqrt(2.0) * math.exp(-1.0) / math.sqrt(2.0 * math.pi)
    raise ValueError(type(m).__name__)


def traced_forward(seq, x, events):
    """Forward through seq keeping every intermediate tensor's gradient, in the order the forward pass meets them.

    A residual block's body gets its own copy of the input (x.clone()), so autograd reports the body's part of the
    input gradient apart from the total (the body's part plus the skip's)."""
    for m in seq:
        if isinstance(m, Residual):
            body_in = x.clone()
            body_in.retain_grad()
            events.append(('enter', m, x, body_in))
            h = traced_forward(m.block, body_in, events)
            y = (m.projection(x) if m.projection is not None else x) + h
            y.retain_grad()
            events.append(('exit', m, h, y))
            x = y
        else:
            y = m(x)
            if y is x:  # nn.Identity: the same tensor, no stage
                continue
            y.retain_grad()
            kind = ('linear' if isinstance(m, nn.Linear) else 'batchnorm' if isinstance(m, nn.BatchNorm1d)
                    else 'dropout' if isinstance(m, FixedDropout) else 'activation')
            events.append((kind, m, x, y))
            x = y
    return x


def bound_propagation(seq, at_output, out_linear, spectral, bn_bound, bounds):
    """Upper bounds on ||dL/d(point)|| / ||delta_out|| backward through seq (a residual adds its skip's bound)."""
    b = at_output
    for m in reversed(list(seq)):
        if isinstance(m, nn.Linear):
            if m is out_linear:
                b = 1.0
            bounds[id(m)] = b
            b = b * spectral[id(m)]
        elif isinstance(m, nn.BatchNorm1d):
            b = b * bn_bound[id(m)]
        elif isinstance(m, FixedDropout):
            b = b / (1 - m.p)
        elif isinstance(m, Residual):
            skip = b * (float(torch.linalg.matrix_norm(m.projection.weight, 2)) if m.projection is not None else 1.0)
            b = bound_propagation(m.block, b, out_linear, spectral, bn_bound, bounds) + skip
        else:
            b = b * max_slope(m)
    return b


def backward_split_case(name, inputs, layers, loss='mse', n=8, seed=0):
    """Every layer's gain and its factors from autograd's gradients of each intermediate tensor (BackwardSplit)."""
    gen = torch.Generator().manual_seed(seed)
    for spec in layers:
        if spec['type'] == 'dropout':
            spec['rows'] = n
    seq, outputs = build(layers, inputs, gen)
    tag_names(seq, layers)
    params_before = export(seq)
    masks = [m.keep.reshape(-1).tolist() for m in seq.modules() if isinstance(m, FixedDropout)]
    x = torch.randn(n, inputs, generator=gen).requires_grad_(True)
    y = targets(loss, n, outputs, gen)
    seq.train(True)
    events = []
    out = traced_forward(seq, x, events)
    loss_fn(loss, out, y).backward()
    norm = lambda t: float(t.grad.norm())
    linear_at = [k for k, e in enumerate(events) if e[0] == 'linear']
    out_linear = events[linear_at[-1]][1]
    spectral = {id(e[1]): float(torch.linalg.matrix_norm(e[1].weight, 2)) for e in events if e[0] == 'linear'}
    bn_bound = {}
    for e in events:
        if e[0] == 'batchnorm':
            bn, inp = e[1], e[2]
            var = inp.detach().var(dim=0, unbiased=False)
            bn_bound[id(bn)] = float((bn.weight.detach().abs() / torch.sqrt(var + bn.eps)).max())
    bounds = {}
    bound_propagation(seq, math.inf, out_linear, spectral, bn_bound, bounds)
    delta_out = norm(events[linear_at[-1]][3])
    splits = []
    for i, k in enumerate(linear_at[:-1]):
        delta = norm(events[k][3])
        nxt = events[linear_at[i + 1]]
        f = {'activationFactor': 1.0, 'maxSlope': 1.0}
        for e in events[k + 1:linear_at[i + 1]]:
            kind = e[0]
            if kind == 'activation':
                f['activationFactor'] *= norm(e[2]) / norm(e[3])
                f['maxSlope'] *= max_slope(e[1])
            elif kind == 'batchnorm':
                f['batchNormFactor'] = f.get('batchNormFactor', 1.0) * norm(e[2]) / norm(e[3])
                f['batchNormBound'] = f.get('batchNormBound', 1.0) * bn_bound[id(e[1])]
            elif kind == 'dropout':
                f['dropoutFactor'] = f.get('dropoutFactor', 1.0) * norm(e[2]) / norm(e[3])
                f['dropoutBound'] = f.get('dropoutBound', 1.0) / (1 - e[1].p)
            elif kind == 'enter':
                f['residualFactor'] = f.get('residualFactor', 1.0) * norm(e[2]) / norm(e[3])
            # 'exit': the body's output gradient is the block's (no factor)
        f['weightFactor'] = norm(nxt[2]) / norm(nxt[3])
        f['weightSpectralNorm'] = spectral[id(nxt[1])]
        f['gain'] = delta / norm(nxt[3])
        f['cumulativeGain'] = delta / delta_out
        f['rigorousBound'] = bounds[id(events[k][1])]
        splits.append(f)
    running = 1.0
    running_bound = 1.0
    for f in reversed(splits):
        running *= f['activationFactor']
        running_bound *= f['maxSlope']
        f['cumulativeActivationFactor'] = running
        f['activationBound'] = running_bound
    return {
        'name': name,
        'spec': {'inputs': inputs, 'layers': clean_spec(layers)},
        'loss': loss,
        'params': params_before,
        'dropoutMasks': masks,
        'x': x.detach().tolist(),
        'y': flat(y),
        'expected': {'splits': splits},
    }


def backward_split_cases():
    plain = [
        {'type': 'linear', 'units': 6}, {'type': 'activation', 'name': 'sigmoid'},
        {'type': 'linear', 'units': 5, 'std': 1.2}, {'type': 'activation', 'name': 'sigmoid'},
        {'type': 'linear', 'units': 4}, {'type': 'activation', 'name': 'tanh'},
        {'type': 'linear', 'units': 2},
    ]
    batch_norm = [
        {'type': 'linear', 'units': 6}, {'type': 'batchnorm'}, {'type': 'activation', 'name': 'prelu', 'perUnit': True},
        {'type': 'linear', 'units': 5}, {'type': 'activation', 'name': 'gelu'}, {'type': 'batchnorm'},
        {'type': 'dropout', 'p': 0.3},
        {'type': 'linear', 'units': 4}, {'type': 'activation', 'name': 'tanh'},
        {'type': 'linear', 'units': 1},
    ]
    residual = [
        {'type': 'linear', 'units': 4}, {'type': 'activation', 'name': 'tanh'},
        {'type': 'residual', 'layers': [{'type': 'linear', 'units': 4}, {'type': 'activation', 'name': 'tanh'}, {'type': 'linear', 'units': 4}]},
        {'type': 'activation', 'name': 'tanh'},
        {'type': 'residual', 'layers': [{'type': 'linear', 'units': 3}, {'type': 'activation', 'name': 'selu'}, {'type': 'linear', 'units': 5}]},
        {'type': 'residual', 'layers': [{'type': 'batchnorm'}, {'type': 'activation', 'name': 'softplus'}, {'type': 'linear', 'units': 5}]},
        {'type': 'linear', 'units': 2},
    ]
    return [
        backward_split_case('plain sigmoid/tanh stack', 3, plain, seed=80),
        backward_split_case('batch norm before and after the activation, PReLU, dropout', 3, batch_norm, loss='bce', n=10, seed=81),
        backward_split_case('residual blocks: identity skip, projection, pre-activation body', 3, residual, seed=82),
    ]


def main():
    os.makedirs(OUT_DIR, exist_ok=True)
    cases = []
    names = ['sigmoid', 'tanh', 'relu', 'relu6', 'leaky_relu', 'elu', 'selu', 'serlu', 'gelu', 'gelu_tanh', 'silu',
             'swish', 'mish', 'softplus', 'softsign', 'hardtanh', 'hardsigmoid', 'sin', 'linear']
    for i, act in enumerate(names):
        cases.append(forward_backward_case(f'activation {act}', 3, two_layer(act), seed=i, x_scale=2.0))
    cases.append(forward_backward_case('prelu per layer', 3, two_layer('prelu'), seed=40, x_scale=2.0))
    cases.append(forward_backward_case('prelu per unit', 3, two_layer('prelu', per_unit=True), seed=41, x_scale=2.0))
    cases.append(forward_backward_case('leaky_relu slope 0.2', 3, two_layer('leaky_relu', {'slope': 0.2}), seed=42, x_scale=2.0))
    cases.append(forward_backward_case('softplus beta 2 (past the threshold)', 3, two_layer('softplus', {'beta': 2.0}, std=6.0), seed=43, x_scale=3.0))
    cases.append(forward_backward_case('elu alpha 0.7', 3, two_layer('elu', {'alpha': 0.7}), seed=44, x_scale=2.0))
    cases.append(forward_backward_case('silu beta 1.7', 3, two_layer('silu', {'beta': 1.7}), seed=45, x_scale=2.0))
    cases.append(forward_backward_case('hardtanh -0.5..2', 3, two_layer('hardtanh', {'min': -0.5, 'max': 2.0}), seed=46, x_scale=2.0))
    bn_before = [{'type': 'linear', 'units': 5}, {'type': 'batchnorm'}, {'type': 'activation', 'name': 'selu'}, {'type': 'linear', 'units': 2}]
    bn_after = [{'type': 'linear', 'units': 5}, {'type': 'activation', 'name': 'gelu'}, {'type': 'batchnorm', 'momentum': 0.2},
                {'type': 'linear', 'units': 2}]
    for mode in ('train', 'eval'):
        cases.append(forward_backward_case(f'batchnorm before activation ({mode})', 3, bn_before, mode=mode, n=7, seed=50))
        cases.append(forward_backward_case(f'batchnorm after activation ({mode})', 3, bn_after, mode=mode, n=7, seed=51))
    cases.append(forward_backward_case('residual, same width', 4, [
        {'type': 'residual', 'layers': [{'type': 'linear', 'units': 3}, {'type': 'activation', 'name': 'mish'}, {'type': 'linear', 'units': 4}]},
        {'type': 'activation', 'name': 'tanh'}, {'type': 'linear', 'units': 1}], seed=60))
    cases.append(forward_backward_case('residual with projection, nested', 3, [
        {'type': 'residual', 'layers': [
            {'type': 'linear', 'units': 5}, {'type': 'activation', 'name': 'selu'},
            {'type': 'residual', 'layers': [{'type': 'linear', 'units': 5}, {'type': 'batchnorm'}, {'type': 'activation', 'name': 'sigmoid'}]}]},
        {'type': 'linear', 'units': 2}], seed=61))
    cases.append(forward_backward_case('cross entropy, 4 classes', 3, [
        {'type': 'linear', 'units': 6}, {'type': 'activation', 'name': 'relu'}, {'type': 'linear', 'units': 4, 'std': 2.0}], loss='cross_entropy', n=8, seed=70))
    cases.append(forward_backward_case('bce with logits', 3, [
        {'type': 'linear', 'units': 6}, {'type': 'activation', 'name': 'softplus'}, {'type': 'linear', 'units': 1, 'std': 3.0}], loss='bce', n=8, seed=71))
    with open(os.path.join(OUT_DIR, 'forward_backward.json'), 'w') as f:
        json.dump({'torch': torch.__version__, 'cases': cases}, f, indent=None, separators=(',', ':'))

    opt_cases = [
        optimizer_case('sgd', {'type': 'sgd', 'lr': 0.1}),
        optimizer_case('sgd momentum 0.9 + weight decay', {'type': 'sgd', 'lr': 0.05, 'momentum': 0.9, 'weightDecay': 0.01}),
        optimizer_case('momentum nesterov', {'type': 'momentum', 'lr': 0.05, 'momentum': 0.8, 'nesterov': True}),
        optimizer_case('momentum nesterov + weight decay + clipping', {'type': 'momentum', 'lr': 0.05, 'nesterov': True, 'weightDecay': 0.001}, clip=0.3),
        optimizer_case('adam', {'type': 'adam', 'lr': 0.01}),
        optimizer_case('adam + L2 weight decay', {'type': 'adam', 'lr': 0.01, 'weightDecay': 0.05}),
        optimizer_case('adam + clipping', {'type': 'adam', 'lr': 0.02}, clip=0.2),
        optimizer_case('adamw (default decay 0.01)', {'type': 'adamw', 'lr': 0.01}),
        optimizer_case('adamw decay 0.1 + clipping', {'type': 'adamw', 'lr': 0.01, 'weightDecay': 0.1}, clip=0.25),
        optimizer_case('sgd + clipping', {'type': 'sgd', 'lr': 0.2}, clip=0.1),
    ]
    with open(os.path.join(OUT_DIR, 'optimizers.json'), 'w') as f:
        json.dump({'torch': torch.__version__, 'cases': opt_cases}, f, indent=None, separators=(',', ':'))
    split_cases = backward_split_cases()
    with open(os.path.join(OUT_DIR, 'backward_split.json'), 'w') as f:
        json.dump({'torch': torch.__version__, 'cases': split_cases}, f, indent=None, separators=(',', ':'))
    print(f'wrote {len(cases)} forward/backward cases, {len(opt_cases)} optimizer cases and {len(split_cases)} '
          f'backward split cases to {OUT_DIR}')


if __name__ == '__main__':
    main()
