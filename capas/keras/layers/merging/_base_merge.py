"""`BaseMerge`: the elementwise merge of a list of tensors (Add, Multiply, Maximum...).

Shapes follow Keras's rules: each non-batch dim must match or be 1 (the
other size wins); an input of lower rank gains size-1 dims after the batch
dim. Output masks are the logical OR of the inputs' masks (None when an
input has none).
"""

import torch

from capas.keras.layers.layer import Layer


def _shape_text(shapes):
    return ", ".join(str(tuple(s)) for s in shapes)


class BaseMerge(Layer):
    """A layer that merges a list of tensors elementwise."""

    min_inputs = 1
    max_inputs = None

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    def _check_list(self, inputs):
        if not isinstance(inputs, (list, tuple)):
            shape = tuple(inputs.shape) if hasattr(inputs, "shape") else type(inputs).__name__
            raise ValueError(
                f"{type(self).__name__} '{self.name}' merges a list of tensors, but received a single input "
                f"({shape}). Call it as layer([x1, x2, ...])."
            )
        count = len(inputs)
        if count < self.min_inputs or (self.max_inputs is not None and count > self.max_inputs):
            want = str(self.min_inputs) if self.max_inputs == self.min_inputs else f"at least {self.min_inputs}"
            raise ValueError(
                f"{type(self).__name__} '{self.name}' should be called on {want} inputs; received {count} "
                f"(shapes {_shape_text(getattr(x, 'shape', ()) for x in inputs)})."
            )

    def build(self, input_shape):
        shapes = input_shape
        if not isinstance(shapes, (list, tuple)) or not shapes or not isinstance(shapes[0], (list, tuple)):
            raise ValueError(
                f"{type(self).__name__} '{self.name}' merges a list of tensors, but received a single input "
                f"of shape {shapes}. Call it as layer([x1, x2, ...])."
            )
        batch = {s[0] for s in shapes if s} - {None}
        if len(batch) > 1:
            raise ValueError(
                f"{type(self).__name__} '{self.name}' cannot merge tensors with different batch sizes; received "
                f"shapes {_shape_text(shapes)}."
            )
        self._check_shapes(shapes)

    def _check_shapes(self, shapes):
        out = tuple(shapes[0][1:])
        for shape in shapes[1:]:
            a, b = (out, tuple(shape[1:])) if len(out) >= len(shape) - 1 else (tuple(shape[1:]), out)
            merged = list(a[: len(a) - len(b)])
            for i, j in zip(a[len(a) - len(b) :], b):
                if i is None or j is None:
                    merged.append(None)
                elif i == 1 or j == 1 or i == j:
                    merged.append(j if i == 1 else i)
                else:
                    raise ValueError(
                        f"{type(self).__name__} '{self.name}': inputs have incompatible shapes "
                        f"{_shape_text(shapes)}; every non-batch dim must match or be 1. Reshape the inputs "
                        "(e.g. with layers.Reshape) so they agree."
                    )
            out = tuple(merged)

    def call(self, inputs):
        self._check_list(inputs)
        ranks = [x.dim() for x in inputs]
        top = max(ranks)
        if min(ranks) != top:
            inputs = [x.reshape(x.shape[:1] + (1,) * (top - x.dim()) + x.shape[1:]) for x in inputs]
        try:
            return self._merge(list(inputs))
        except RuntimeError:
            self._check_shapes([tuple(x.shape) for x in inputs])
            raise

    def _merge(self, inputs):
        raise NotImplementedError

    def compute_mask(self, inputs, mask=None):
        if mask is None:
            if not isinstance(inputs, (list, tuple)):
                return None
            mask = [getattr(x, "_keras_mask", None) for x in inputs]
        if not isinstance(mask, (list, tuple)) or any(m is None for m in mask):
            return None
        out = mask[0]
        for m in mask[1:]:
            out = torch.logical_or(out, m)
        return out


def _masks(inputs):
    return [getattr(x, "_keras_mask", None) for x in inputs]


def merge_keeping_masked(op, inputs):
    """Keras's Maximum/Minimum with masks: a masked entry never wins against an unmasked one."""
    masks = _masks(inputs)
    if all(m is None for m in masks):
        out = inputs[0]
        for x in inputs[1:]:
            out = op(out, x)
        return out
    out, out_mask = None, None
    for x, mask in zip(inputs, masks):
        if mask is not None:
            mask = mask.unsqueeze(-1).expand(x.shape)
        if out is None:
            out, out_mask = x, mask
            continue
        if mask is not None:
            x = torch.where(mask, x, out)
        if out_mask is not None:
            out = torch.where(out_mask, out, x)
        out_mask = torch.logical_or(out_mask, mask) if mask is not None and out_mask is not None else None
        out = op(out, x)
    return out
