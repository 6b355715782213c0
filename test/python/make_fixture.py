"""Writes test/unit/pytorch/fixtures/sigmoid-mlp.jsonl, the run the TypeScript cross-check reads.

    PYTHONPATH=python /usr/bin/python3 test/python/make_fixture.py
"""
import os

import torch
from torch import nn

import gradscope

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'unit', 'pytorch', 'fixtures')
torch.manual_seed(0)
model = nn.Sequential(nn.Linear(2, 8), nn.Sigmoid(), nn.Linear(8, 8), nn.Sigmoid(), nn.Linear(8, 1))
with torch.no_grad():
    model[0].weight.mul_(6)  # the first sigmoid saturates on both sides
path = os.path.join(OUT, 'sigmoid-mlp.jsonl')
if os.path.exists(path):
    os.remove(path)
opt = torch.optim.SGD(model.parameters(), lr=0.5)
with gradscope.watch(model, every=5, log_dir=OUT, name='sigmoid-mlp') as w:
    for _ in range(11):
        x = torch.randn(32, 2)
        loss = (model(x) - x[:, :1].sign()).pow(2).mean()
        opt.zero_grad()
        loss.backward()
        w.step(loss)
        opt.step()
