"""Integer ids to 'int', 'one_hot', 'multi_hot', 'count' (and 'tf_idf') outputs, as Keras encodes them."""

import torch

from capas.ops._convert import as_torch_dtype

OUTPUT_MODES = ("int", "one_hot", "multi_hot", "count")


def check_range(layer, ids, depth):
    """Refuse ids >= depth (one device read); negative ids encode to zeros, as in Keras."""
    if ids.numel() and bool((ids >= depth).any()):
        raise ValueError(
            f"{type(layer).__name__} '{layer.name}': input values must be in the range 0 <= values < {depth}; "
            f"received a maximum of {int(ids.max())}. Raise `num_tokens` (or the vocabulary size), or clip "
            "the inputs."
        )


def _one_hot(ids, depth, dtype):
    return (ids.unsqueeze(-1) == torch.arange(depth, device=ids.device)).to(dtype)


def encode(ids, output_mode, depth, dtype, count_weights=None):
    """Encode integer `ids`; 'multi_hot'/'count' reduce the second-to-last axis (the whole of a 1-D input)."""
    dtype = as_torch_dtype(dtype) if not isinstance(dtype, torch.dtype) else dtype
    if output_mode == "int":
        return ids.to(dtype)
    ids = ids.to(torch.long)
    if ids.dim() == 0:
        ids = ids.unsqueeze(-1)
    if output_mode == "one_hot":
        if ids.dim() > 1 and ids.shape[-1] == 1:
            ids = ids.squeeze(-1)
        return _one_hot(ids, depth, dtype)
    hot = _one_hot(ids, depth, dtype)
    if output_mode == "multi_hot":
        return hot.amax(dim=-2)
    if count_weights is not None:
        hot = hot * count_weights.to(hot.dtype).unsqueeze(-1)
    return hot.sum(dim=-2)
