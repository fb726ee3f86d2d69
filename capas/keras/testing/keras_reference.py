"""`assert_matches_keras`: one layer against its Keras twin, outputs and input gradients.

Used by the differential tests: build both layers on the same input, copy
the weights with `set_weights(keras_layer.get_weights())`, then compare the
outputs and the gradients of `sum(output * probe)` with respect to the inputs,
computed by torch autograd on both sides (Keras's torch backend returns torch
tensors).
"""

import numpy as np
import torch

from capas.tape import GradientTape


def _as_list(x):
    return list(x) if isinstance(x, (list, tuple)) else [x]


def _run(layer, inputs, training, grad, kwargs):
    tensors = [torch.tensor(np.asarray(x)) for x in inputs]
    if grad:
        for t in tensors:
            if t.is_floating_point():
                t.requires_grad_(True)
    # capas layers record autograd only under a tape (outside one they run under no_grad).
    with torch.enable_grad(), GradientTape(persistent=True):
        as_list = kwargs.pop("_as_list", False)
        arg = tensors if len(tensors) > 1 or as_list else tensors[0]
        if training is None:
            out = layer(arg, **kwargs)
        else:
            out = layer(arg, training=training, **kwargs)
    return tensors, out


def assert_matches_keras(
    ours,
    theirs,
    inputs,
    training=None,
    grad=True,
    rtol=1e-5,
    atol=1e-5,
    copy_weights=True,
    call_kwargs=None,
    list_input=False,
):
    """Check `ours(inputs)` against `theirs(inputs)` (a keras layer), values and input gradients.

    Args:
        ours: a capas layer. theirs: the matching `keras` layer.
        inputs: a numpy array or a list of arrays (several inputs).
        training: passed to both calls when not None.
        grad: also compare d(sum(out * probe))/d(inputs) for float inputs.
        copy_weights: build both, then `ours.set_weights(theirs.get_weights())`.
        call_kwargs: extra keyword arguments for both calls (e.g. `mask`).
        list_input: pass a single input as a one-element list.

    Returns:
        (our output, their output) as numpy arrays.
    """
    inputs = _as_list(inputs)
    call_kwargs = dict(call_kwargs or {})
    if copy_weights:
        _run(theirs, inputs, training, False, dict(call_kwargs, _as_list=list_input))
        _run(ours, inputs, training, False, dict(call_kwargs, _as_list=list_input))
        ours.set_weights(theirs.get_weights())
    our_in, our_out = _run(ours, inputs, training, grad, dict(call_kwargs, _as_list=list_input))
    their_in, their_out = _run(theirs, inputs, training, grad, dict(call_kwargs, _as_list=list_input))
    a = our_out.detach().cpu().numpy()
    b = torch.as_tensor(their_out).detach().cpu().numpy()
    assert a.shape == b.shape, f"output shape {a.shape} != keras {b.shape}"
    np.testing.assert_allclose(a, b, rtol=rtol, atol=atol, err_msg="outputs differ from keras")
    if grad and our_out.is_floating_point() and any(t.requires_grad for t in our_in):
        assert our_out.requires_grad, "the output does not depend on the inputs through autograd"
        probe = torch.as_tensor(np.random.default_rng(1).standard_normal(a.shape).astype(a.dtype))
        ours_g = torch.autograd.grad((our_out * probe).sum(), [t for t in our_in if t.requires_grad], allow_unused=True)
        theirs_g = torch.autograd.grad(
            (torch.as_tensor(their_out) * probe).sum(), [t for t in their_in if t.requires_grad], allow_unused=True
        )
        for g1, g2 in zip(ours_g, theirs_g):
            if g1 is None or g2 is None:
                assert g1 is None and g2 is None, "one side has no input gradient"
                continue
            np.testing.assert_allclose(
                g1.numpy(), g2.detach().numpy(), rtol=rtol, atol=atol, err_msg="input gradients differ from keras"
            )
    return a, b
