"""Jacobians on torch autograd: one backward pass per target element, vectorized when it can be."""

import warnings

import torch


def jacobian_rows(target, inputs, create_graph, vectorize):
    """d target / d input for each input: a tensor of shape target.shape + input.shape (or None)."""
    n = target.numel()
    if n == 0:
        return [torch.zeros(tuple(target.shape) + tuple(s.shape), dtype=s.dtype, device=s.device) for s in inputs]
    flat = target.reshape(-1)
    grads = _batched(flat, inputs, create_graph) if vectorize else None
    if grads is None:
        grads = _looped(flat, inputs, create_graph)
    return [None if g is None else g.reshape(tuple(target.shape) + tuple(s.shape)) for g, s in zip(grads, inputs)]


def _batched(flat, inputs, create_graph):
    basis = torch.eye(flat.numel(), dtype=flat.dtype, device=flat.device)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # vmap's "no batching rule, falling back" notes
            return torch.autograd.grad(
                flat,
                inputs,
                basis,
                retain_graph=True,
                create_graph=create_graph,
                allow_unused=True,
                is_grads_batched=True,
            )
    except RuntimeError:
        # Some backward formulas (custom gradients among them) cannot run under vmap.
        return None


def _looped(flat, inputs, create_graph):
    rows = [
        torch.autograd.grad(flat[i], inputs, retain_graph=True, create_graph=create_graph, allow_unused=True)
        for i in range(flat.numel())
    ]
    out = []
    for j in range(len(inputs)):
        column = [row[j] for row in rows]
        if all(g is None for g in column):
            out.append(None)
        else:
            out.append(torch.stack([torch.zeros_like(inputs[j]) if g is None else g for g in column]))
    return out


def batch_jacobian_of(target, source, create_graph, vectorize):
    """d target[b] / d source[b] for each b: shape [batch] + target.shape[1:] + source.shape[1:] (or None)."""
    batch = target.shape[0]
    rows = target.reshape(batch, -1)
    m = rows.shape[1]
    out_shape = (batch,) + tuple(target.shape[1:]) + tuple(source.shape[1:])
    if m == 0 or batch == 0:
        return torch.zeros(out_shape, dtype=source.dtype, device=source.device)
    grads = None
    if vectorize:
        basis = torch.eye(m, dtype=rows.dtype, device=rows.device)[:, None, :].expand(m, batch, m)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                (grads,) = torch.autograd.grad(
                    rows,
                    [source],
                    basis,
                    retain_graph=True,
                    create_graph=create_graph,
                    allow_unused=True,
                    is_grads_batched=True,
                )
        except RuntimeError:
            grads = None
        if grads is None and not _connected(rows, source):
            return None
    if grads is None:
        columns = [
            torch.autograd.grad(
                rows[:, j].sum(), [source], retain_graph=True, create_graph=create_graph, allow_unused=True
            )[0]
            for j in range(m)
        ]
        if all(g is None for g in columns):
            return None
        grads = torch.stack([torch.zeros_like(source) if g is None else g for g in columns])
    # grads: [m, batch, *source.shape[1:]] -> [batch, m, ...]
    grads = grads.reshape(m, batch, -1).transpose(0, 1)
    return grads.reshape(out_shape)


def _connected(rows, source):
    (g,) = torch.autograd.grad(rows.sum(), [source], retain_graph=True, allow_unused=True)
    return g is not None
