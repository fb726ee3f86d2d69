"""Differential helpers (shared by the rnn, attention and preprocessing tests): run a capas layer
and its keras twin on the same inputs and weights, compare outputs and gradients."""

import numpy as np
import torch

import capas as tf


def _weighting(o):
    # A fixed, non-symmetric cotangent, so that every output element matters.
    return torch.sin(torch.arange(o.numel(), dtype=torch.float32).reshape(o.shape) * 0.37 + 0.1)


def _flat(out):
    if isinstance(out, (list, tuple)):
        return [t for o in out for t in _flat(o)]
    return [out]


def _run_ours(layer, args, kwargs, training):
    xs = _to_torch(list(args))
    watched = [x for x in _flat(xs) if x.is_floating_point()]
    with tf.GradientTape() as tape:
        for x in watched:
            tape.watch(x)
        out = layer(*xs, training=training, **kwargs)
        loss = sum((o * _weighting(o)).sum() for o in _flat(out))
    grads = tape.gradient(loss, list(layer.trainable_weights) + watched)
    return [o.detach().numpy() for o in _flat(out)], [None if g is None else g.numpy() for g in grads]


def _run_keras(layer, args, kwargs, training):
    xs = _to_torch(list(args))
    watched = [x for x in _flat(xs) if x.is_floating_point()]
    for x in watched:
        x.requires_grad_(True)
    for v in layer.trainable_weights:
        v.value.grad = None
    out = layer(*xs, training=training, **kwargs)
    loss = sum((o * _weighting(o)).sum() for o in _flat(out))
    loss.backward()
    grads = [v.value.grad for v in layer.trainable_weights] + [x.grad for x in watched]
    return [o.detach().cpu().numpy() for o in _flat(out)], [None if g is None else g.numpy() for g in grads]


def _to_torch(v):
    if isinstance(v, np.ndarray):
        return torch.tensor(v)
    if isinstance(v, (list, tuple)):
        return [_to_torch(x) for x in v]
    return v


def assert_same_as_keras(ours, theirs, args, kwargs=None, training=False, atol=1e-5, rtol=1e-5, grads=True):
    """Copy the keras layer's weights into ours, then compare outputs and gradients."""
    kwargs = kwargs or {}
    theirs_kwargs = {k: _to_torch(v) for k, v in kwargs.items()}
    ours_kwargs = {k: _to_torch(v) for k, v in kwargs.items()}
    layer_in = _to_torch(list(args))
    theirs(*layer_in, **theirs_kwargs)
    ours(*layer_in, **ours_kwargs)
    ours.set_weights(theirs.get_weights())
    k_out, k_grads = _run_keras(theirs, args, theirs_kwargs, training)
    o_out, o_grads = _run_ours(ours, args, ours_kwargs, training)
    assert len(o_out) == len(k_out)
    for a, b in zip(o_out, k_out):
        assert a.shape == b.shape
        np.testing.assert_allclose(a, b, atol=atol, rtol=rtol)
    if grads:
        assert len(o_grads) == len(k_grads)
        for a, b in zip(o_grads, k_grads):
            if b is None:
                assert a is None or not np.any(a)
                continue
            np.testing.assert_allclose(a, b, atol=atol, rtol=rtol)
    return o_out
