"""Gradscope for PyTorch: log per-layer gradients and activation saturation of a training run as JSON Lines.

    import gradscope
    with gradscope.watch(model, every=10) as w:
        for x, y in data:
            loss = loss_fn(model(x), y)
            optimizer.zero_grad()
            loss.backward()
            w.step(loss)
            optimizer.step()
"""
__version__ = '0.2.0'

from .watch import FORMAT_VERSION, Watcher, watch  # noqa: E402

__all__ = ['watch', 'Watcher', 'FORMAT_VERSION', '__version__']
