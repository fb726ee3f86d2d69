"""Sampling across datasets: sample_from_datasets, choose_from_datasets, rejection_resample."""

import random

import numpy as np
import torch

import capas.data.dataset as _ds
from capas._nest import flatten
from capas.data._structure import relax
from capas.ops.tensor_spec import TensorSpec


def _check_datasets(datasets, where):
    datasets = list(datasets)
    if not datasets:
        raise ValueError(f"Dataset.{where}: give at least one dataset.")
    for d in datasets:
        if not isinstance(d, _ds.Dataset):
            raise TypeError(f"Dataset.{where}: every entry must be a Dataset; received {type(d).__name__}.")
    return datasets


def _common_spec(datasets):
    spec = datasets[0].element_spec
    for d in datasets[1:]:
        spec = relax(spec, d.element_spec)
    return spec


def sample_from_datasets(
    datasets, weights=None, seed=None, stop_on_empty_dataset=False, rerandomize_each_iteration=None
):
    """Draw each element from a randomly chosen dataset (chances given by `weights`).

    An exhausted dataset drops out (its weight is shared among the others)
    unless `stop_on_empty_dataset=True`, which ends the result there.

    Differs from TF: the random draws for a given seed are not TF's.

    Example:

    >>> import capas as tf
    >>> a = tf.data.Dataset.from_tensors(0).repeat(3)
    >>> b = tf.data.Dataset.from_tensors(1).repeat(3)
    >>> sorted(int(x) for x in tf.data.Dataset.sample_from_datasets([a, b], seed=1))
    [0, 0, 0, 1, 1, 1]
    """
    datasets = _check_datasets(datasets, "sample_from_datasets")
    w = np.ones(len(datasets)) if weights is None else np.asarray([float(x) for x in flatten(list(weights))])
    if len(w) != len(datasets) or (w < 0).any() or w.sum() <= 0:
        raise ValueError(
            f"Dataset.sample_from_datasets: weights must be {len(datasets)} non-negative numbers, not all zero; "
            f"received {list(weights) if weights is not None else None}."
        )
    rng = random.Random(seed)

    def make_iter():
        iters = [iter(d._make_iter()) for d in datasets]
        live = [wi > 0 for wi in w]
        while any(live):
            choices = [i for i in range(len(iters)) if live[i]]
            i = rng.choices(choices, weights=[w[c] for c in choices])[0]
            try:
                yield next(iters[i])
            except StopIteration:
                if stop_on_empty_dataset:
                    return
                live[i] = False

    lengths = [d._length for d in datasets]
    length = (
        _ds.INFINITE_CARDINALITY if all(n == _ds.INFINITE_CARDINALITY for n in lengths) else _ds.UNKNOWN_CARDINALITY
    )
    return _ds.Dataset(make_iter, length, spec_fn=lambda: _common_spec(datasets))


def choose_from_datasets(datasets, choice_dataset, stop_on_empty_dataset=True):
    """Take each element from `datasets[i]`, `i` read from `choice_dataset` (int64 scalars).

    Example:

    >>> import capas as tf
    >>> a, b = tf.data.Dataset.range(0, 3), tf.data.Dataset.range(10, 13)
    >>> choice = tf.data.Dataset.from_tensor_slices(tf.constant([0, 1, 1, 0], tf.int64))
    >>> [int(x) for x in tf.data.Dataset.choose_from_datasets([a, b], choice)]
    [0, 10, 11, 1]
    """
    datasets = _check_datasets(datasets, "choose_from_datasets")
    if not isinstance(choice_dataset, _ds.Dataset):
        raise TypeError("Dataset.choose_from_datasets: choice_dataset must be a Dataset of int64 scalars.")

    def make_iter():
        iters = [iter(d._make_iter()) for d in datasets]
        done = [False] * len(iters)
        for choice in choice_dataset._make_iter():
            i = int(choice)
            if not 0 <= i < len(iters):
                raise ValueError(f"Dataset.choose_from_datasets: choice {i} is out of range [0, {len(iters)}).")
            if done[i]:
                continue
            try:
                yield next(iters[i])
            except StopIteration:
                if stop_on_empty_dataset:
                    return
                done[i] = True
                if all(done):
                    return

    return _ds.Dataset(make_iter, _ds.UNKNOWN_CARDINALITY, spec_fn=lambda: _common_spec(datasets))


def rejection_resample(self, class_func, target_dist, initial_dist=None, seed=None, name=None):
    """Resample so that `class_func(element)` follows `target_dist`; yields `(class, element)`.

    Each element of class `c` is kept with probability
    `(target[c] / initial[c]) / max_k(target[k] / initial[k])`. Without
    `initial_dist`, the class distribution is estimated from the elements seen
    so far, as TF does.

    Differs from TF: pure rejection (TF also mixes in unfiltered elements when
    it can, which keeps more elements); the resulting class distribution is
    the target in both.

    Example:

    >>> import capas as tf
    >>> ds = tf.data.Dataset.from_tensor_slices(tf.constant([0, 0, 0, 1] * 50, tf.int64))
    >>> out = ds.rejection_resample(lambda x: x, target_dist=[0.5, 0.5], initial_dist=[0.75, 0.25], seed=0)
    >>> 0.35 < sum(int(c) for c, _ in out) / len(list(out)) < 0.65
    True
    """
    target = np.asarray([float(x) for x in flatten(list(target_dist))])
    initial = None if initial_dist is None else np.asarray([float(x) for x in flatten(list(initial_dist))])
    if initial is not None and len(initial) != len(target):
        raise ValueError(
            f"Dataset.rejection_resample: target_dist has {len(target)} classes, initial_dist {len(initial)}."
        )
    rng = random.Random(seed)

    def make_iter():
        counts = np.zeros(len(target))
        for element in self._make_iter():
            c = int(class_func(*element) if type(element) is tuple else class_func(element))
            if not 0 <= c < len(target):
                raise ValueError(
                    f"Dataset.rejection_resample: class {c} is outside target_dist's {len(target)} classes."
                )
            counts[c] += 1
            dist = initial if initial is not None else counts / counts.sum()
            with np.errstate(divide="ignore", invalid="ignore"):
                ratio = np.where(dist > 0, target / dist, 0.0)
            accept = ratio[c] / ratio.max() if ratio.max() > 0 else 0.0
            if rng.random() < accept:
                yield torch.tensor(c, dtype=torch.int64), element

    return self._derive(
        make_iter, _ds.UNKNOWN_CARDINALITY, spec_fn=lambda: (TensorSpec([], torch.int64), self.element_spec)
    )
