"""Inputs of the softmax cross-entropy gradient goldens (shared by record.py and the tests).

Labels of three kinds: one-hot, smoothed distributions, and multi-hot rows that do not sum to
one (the functional API guide's `department` targets), where TF's fused kernel gradient
`softmax(logits) - labels` differs from the exact gradient autograd gives.
"""

import numpy as np


def logits():
    return (np.random.default_rng(70).standard_normal((5, 4)) * 2).astype("float32")


def labels(kind):
    rng = np.random.default_rng(71)
    if kind == "one_hot":
        return np.eye(4, dtype="float32")[rng.integers(0, 4, 5)]
    if kind == "distribution":
        raw = rng.random((5, 4)).astype("float32")
        return (raw / raw.sum(axis=1, keepdims=True)).astype("float32")
    if kind == "multi_hot":
        out = rng.integers(0, 2, (5, 4)).astype("float32")
        out[0] = 0.0  # a row of zeros: loss 0, TF still pushes the logits by softmax
        out[1] = 1.0
        return out
    raise ValueError(kind)


KINDS = ("one_hot", "distribution", "multi_hot")
