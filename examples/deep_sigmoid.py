# The deep sigmoid network of deep-sigmoid.nn.json, written in PyTorch. Hover nn.Sigmoid below: its slope is at
# most 1/4, so ten of them in a row shrink the gradient by at least 4**10 on its way back to the first layer.
import torch
from torch import nn


class DeepSigmoid(nn.Module):
    def __init__(self, inputs: int = 2, width: int = 32, depth: int = 10):
        super().__init__()
        layers = [nn.Linear(inputs, width), nn.Sigmoid()]
        for _ in range(depth - 1):
            layers += [nn.Linear(width, width), nn.Sigmoid()]
        layers.append(nn.Linear(width, 1))
        self.body = nn.Sequential(*layers)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.body(x)
