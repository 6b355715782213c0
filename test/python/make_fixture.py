"""Writes test/unit/pytorch/fixtures/sigmoid-mlp.jsonl, the run the TypeScript cross-check reads, and beside it
sigmoid-mlp.reference.json: at each measured step, the gradient norms at every Linear's output and every
activation's output computed here by torch.autograd.grad on a functional copy of the same forward pass (not by
gradscope), for the reader's gradient-loss split to be checked against.

    PYTHONPATH=python /usr/bin/python3 test/python/make_fixture.py
"""
import json
import os

import torch
from torch import nn
from torch.nn import functional as F

import gradscope

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'unit', 'pytorch', 'fixtures')
torch.manual_seed(0)
model = nn.Sequential(nn.Linear(2, 8), nn.Sigmoid(), nn.Linear(8, 8), nn.Sigmoid(), nn.Linear(8, 1))
with torch.no_grad():
    model[0].weight.mul_(6)  # the first sigmoid saturates on both sides
path = os.path.join(OUT, 'sigmoid-mlp.jsonl')
if os.path.exists(path):
    os.remove(path)


def reference_norms(x, target):
    """‖∂L/∂z‖ at the Linear outputs '0', '2', '4' and ‖∂L/∂a‖ at the sigmoid outputs '1', '3', by autograd."""
    z1 = F.linear(x, model[0].weight, model[0].bias)
    a1 = torch.sigmoid(z1)
    z2 = F.linear(a1, model[2].weight, model[2].bias)
    a2 = torch.sigmoid(z2)
    z3 = F.linear(a2, model[4].weight, model[4].bias)
    loss = (z3 - target).pow(2).mean()
    grads = torch.autograd.grad(loss, [z1, a1, z2, a2, z3])
    return {name: g.norm().item() for name, g in zip(['0', '1', '2', '3', '4'], grads)}


reference = {'spectralNorm': {}, 'steps': {}}
opt = torch.optim.SGD(model.parameters(), lr=0.5)
with gradscope.watch(model, every=5, log_dir=OUT, name='sigmoid-mlp') as w:
    for k in range(11):
        x = torch.randn(32, 2)
        target = x[:, :1].sign()
        if k % 5 == 0:
            reference['steps'][str(k)] = reference_norms(x, target)
            reference['spectralNorm'][str(k)] = {n: torch.linalg.matrix_norm(model[int(n)].weight.detach(), 2).item()
                                                 for n in ('2', '4')}
        loss = (model(x) - target).pow(2).mean()
        opt.zero_grad()
        loss.backward()
        w.step(loss)
        opt.step()
with open(os.path.join(OUT, 'sigmoid-mlp.reference.json'), 'w', encoding='utf-8') as f:
    json.dump(reference, f, indent=1)
    f.write('\n')
