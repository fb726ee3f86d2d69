"""More of tf.io's Example parsing: `FixedLenSequenceFeature`, `SparseFeature`, `RaggedFeature`
(without partitions) in `parse_example` / `parse_single_example`, and `parse_sequence_example` /
`parse_single_sequence_example` over `tf.train.SequenceExample`."""

import collections

import numpy as np
import torch

from capas.io import _tfrecord
from capas.io._tfrecord import VarLenFeature, _dtype_kind, _invalid, _sparse
from capas.ops.strings import StringTensor
from capas.ragged.ragged_tensor import RaggedTensor

FixedLenSequenceFeature = collections.namedtuple(
    "FixedLenSequenceFeature", ["shape", "dtype", "allow_missing", "default_value"], defaults=[False, None]
)
FixedLenSequenceFeature.__doc__ = (
    "A feature with a multiple of prod(shape) values, parsed to `[frames, *shape]` (padded in a batch)."
)
SparseFeature = collections.namedtuple(
    "SparseFeature", ["index_key", "value_key", "dtype", "size", "already_sorted"], defaults=[False]
)
SparseFeature.__doc__ = "A SparseTensor built from an index feature and a value feature of each Example."


class RaggedFeature(
    collections.namedtuple("RaggedFeature", ["dtype", "value_key", "partitions", "row_splits_dtype", "validate"])
):
    """A feature parsed to a RaggedTensor (capas: without partitions; row splits are int64 whatever
    `row_splits_dtype` says)."""

    def __new__(cls, dtype, value_key=None, partitions=(), row_splits_dtype=torch.int32, validate=False):
        if partitions:
            raise NotImplementedError(
                "RaggedFeature: partitions are not supported by capas; parse the values and build the "
                "RaggedTensor with tf.RaggedTensor.from_row_lengths."
            )
        return super().__new__(cls, dtype, value_key, tuple(partitions), row_splits_dtype, validate)


_NEW = (FixedLenSequenceFeature, SparseFeature, RaggedFeature)


def _leaf(values, kind, dtype, shape):
    if kind == "bytes_list":
        arr = np.empty(len(values), dtype=object)
        arr[:] = values
        return StringTensor(arr.reshape(shape))
    return torch.tensor(values, dtype=dtype).reshape(shape)


def _feature_values(features_map, key, kind):
    if key not in features_map:
        return None
    feature = features_map[key]
    which = feature.WhichOneof("kind")
    if which is None:
        return []
    if which != kind:
        raise _invalid(f"parse_example: feature {key!r} holds a {which}, but the spec asks for a {kind}.")
    return list(getattr(feature, which).value)


def _zero(kind):
    return b"" if kind == "bytes_list" else 0


def _frames(values, key, spec, kind):
    """A FixedLenSequenceFeature's values as a list of frames (each prod(shape) values)."""
    shape = [int(d) for d in spec.shape]
    size = int(np.prod(shape)) if shape else 1
    if values is None:
        if not spec.allow_missing:
            raise _invalid(f"parse_example: feature {key!r} is missing; pass allow_missing=True to allow it.")
        values = []
    if size == 0 or len(values) % size:
        raise _invalid(f"parse_example: feature {key!r} has {len(values)} values, not a multiple of shape {shape}.")
    return [values[i : i + size] for i in range(0, len(values), size)], shape


def _pad_frames(per_example, shape, kind, dtype, default):
    longest = max([len(f) for f in per_example] + [0])
    size = int(np.prod(shape)) if shape else 1
    fill = _zero(kind) if default is None else default
    flat = []
    for frames in per_example:
        for frame in frames:
            flat.extend(frame)
        flat.extend([fill] * (size * (longest - len(frames))))
    return _leaf(flat, kind, dtype, [len(per_example), longest] + shape)


def _sparse_feature(features_map, spec, kind, dtype):
    indices = _feature_values(features_map, spec.index_key, "int64_list") or []
    values = _feature_values(features_map, spec.value_key, kind) or []
    if len(indices) != len(values):
        raise _invalid(
            f"parse_example: SparseFeature {spec.index_key!r} has {len(indices)} indices but "
            f"{spec.value_key!r} has {len(values)} values."
        )
    pairs = list(zip(indices, values))
    if not spec.already_sorted:
        pairs.sort(key=lambda p: p[0])
    return pairs


def _split(features):
    old = {k: v for k, v in features.items() if not isinstance(v, _NEW)}
    new = {k: v for k, v in features.items() if isinstance(v, _NEW)}
    return old, new


def _examples(serialized):
    if hasattr(serialized, "numpy"):
        serialized = serialized.numpy()
    return [_tfrecord._to_example(s) for s in np.asarray(serialized, dtype=object).reshape(-1)]


def _parse_new(maps, features, single):
    """The new-kind features of a batch of Features maps (`single`: one Example, no batch dim)."""
    out = {}
    for key, spec in features.items():
        kind, dtype = _dtype_kind(spec.dtype)
        if isinstance(spec, FixedLenSequenceFeature):
            if not spec.allow_missing:
                raise ValueError(
                    f"Unsupported: FixedLenSequenceFeature requires allow_missing to be True (feature {key!r} of "
                    "parse_example); pass allow_missing=True."
                )
            per = []
            for m in maps:
                frames, shape = _frames(_feature_values(m, key, kind), key, spec, kind)
                per.append(frames)
            value = _pad_frames(per, shape, kind, dtype, spec.default_value)
            out[key] = value[0] if single else value
        elif isinstance(spec, SparseFeature):
            per = [_sparse_feature(m, spec, kind, dtype) for m in maps]
            if single:
                pairs = per[0]
                out[key] = _sparse(
                    [[i] for i, _ in pairs], _leaf([v for _, v in pairs], kind, dtype, [len(pairs)]), [int(spec.size)]
                )
            else:
                indices = [[b, i] for b, pairs in enumerate(per) for i, _ in pairs]
                flat = [v for pairs in per for _, v in pairs]
                out[key] = _sparse(indices, _leaf(flat, kind, dtype, [len(flat)]), [len(per), int(spec.size)])
        else:  # RaggedFeature
            per = [_feature_values(m, spec.value_key or key, kind) or [] for m in maps]
            flat = [v for values in per for v in values]
            values = _leaf(flat, kind, dtype, [len(flat)])
            if single:
                out[key] = values
            else:
                lengths = torch.tensor([len(v) for v in per], dtype=torch.int64)
                out[key] = RaggedTensor.from_row_lengths(values, lengths)
    return out


def parse_example(serialized, features, name=None, example_names=None):
    """`tf.io.parse_example` with every feature kind (FixedLen, VarLen, FixedLenSequence, Sparse, Ragged).

    Example:

    >>> import capas as tf
    >>> ex = tf.train.Example(features=tf.train.Features(feature={
    ...     "s": tf.train.Feature(int64_list=tf.train.Int64List(value=[1, 2, 3, 4]))}))
    >>> spec = {"s": tf.io.FixedLenSequenceFeature([2], tf.int64, allow_missing=True)}
    >>> tf.io.parse_example([ex.SerializeToString()], spec)["s"].tolist()
    [[[1, 2], [3, 4]]]
    """
    old, new = _split(features)
    out = _tfrecord.parse_example(serialized, old) if old else {}
    if new:
        out.update(_parse_new([e.features.feature for e in _examples(serialized)], new, single=False))
    return {k: out[k] for k in features}


def parse_single_example(serialized, features, name=None, example_names=None):
    """`tf.io.parse_single_example` with every feature kind."""
    old, new = _split(features)
    out = _tfrecord.parse_single_example(serialized, old) if old else {}
    if new:
        out.update(_parse_new([_tfrecord._to_example(serialized).features.feature], new, single=True))
    return {k: out[k] for k in features}


def _sequence_examples(serialized):
    if hasattr(serialized, "numpy"):
        serialized = serialized.numpy()
    cls = _tfrecord.SequenceExample
    out = []
    for s in np.asarray(serialized, dtype=object).reshape(-1):
        message = cls()
        message.ParseFromString(bytes(s.item() if isinstance(s, np.ndarray) else s))
        out.append(message)
    return out


def _parse_lists(seqs, sequence_features, single):
    feature_lists, lengths = {}, {}
    for key, spec in sequence_features.items():
        kind, dtype = _dtype_kind(spec.dtype)
        per = []
        for seq in seqs:
            lists = seq.feature_lists.feature_list
            frames = list(lists[key].feature) if key in lists else None
            if frames is None and isinstance(spec, FixedLenSequenceFeature) and not spec.allow_missing:
                raise _invalid(f"parse_sequence_example: feature list {key!r} is missing; pass allow_missing=True.")
            per.append([_feature_values({"f": f}, "f", kind) or [] for f in frames or []])
        if isinstance(spec, FixedLenSequenceFeature):
            shape = [int(d) for d in spec.shape]
            size = int(np.prod(shape)) if shape else 1
            for frames in per:
                for f in frames:
                    if len(f) != size:
                        raise _invalid(
                            f"parse_sequence_example: a frame of {key!r} has {len(f)} values; shape {shape} needs {size}."
                        )
            value = _pad_frames(per, shape, kind, dtype, spec.default_value)
            feature_lists[key] = value[0] if single else value
            count = torch.tensor([len(f) for f in per], dtype=torch.int64)
            lengths[key] = count[0] if single else count
        elif isinstance(spec, VarLenFeature):
            longest_frames = max([len(f) for f in per] + [0])
            longest = max([len(v) for frames in per for v in frames] + [0])
            if single:
                frames = per[0]
                idx = [[t, i] for t, v in enumerate(frames) for i in range(len(v))]
                flat = [x for v in frames for x in v]
                feature_lists[key] = _sparse(idx, _leaf(flat, kind, dtype, [len(flat)]), [len(frames), longest])
            else:
                idx = [[b, t, i] for b, frames in enumerate(per) for t, v in enumerate(frames) for i in range(len(v))]
                flat = [x for frames in per for v in frames for x in v]
                feature_lists[key] = _sparse(
                    idx, _leaf(flat, kind, dtype, [len(flat)]), [len(per), longest_frames, longest]
                )
        else:
            raise TypeError(
                f"parse_sequence_example: sequence feature {key!r} must be a FixedLenSequenceFeature or "
                f"VarLenFeature, got {type(spec).__name__}."
            )
    return feature_lists, lengths


def _context(seqs, context_features, single):
    if not context_features:
        return {}
    blobs = []
    for seq in seqs:
        example = _tfrecord.Example()
        example.features.CopyFrom(seq.context)
        blobs.append(example.SerializeToString())
    if single:
        return parse_single_example(blobs[0], context_features)
    return parse_example(np.array(blobs, dtype=object), context_features)


def parse_sequence_example(serialized, context_features=None, sequence_features=None, example_names=None, name=None):
    """Parse a batch of `tf.train.SequenceExample`s (`tf.io.parse_sequence_example`).

    Returns `(context, feature_lists, lengths)`: context features as in `parse_example`, each
    sequence feature padded to `[batch, frames, ...]` (a SparseTensor for VarLenFeature), and the
    frame count of each example per sequence feature.

    Example:

    >>> import capas as tf
    >>> ints = lambda v: tf.train.Feature(int64_list=tf.train.Int64List(value=v))
    >>> seq = tf.train.SequenceExample(feature_lists=tf.train.FeatureLists(feature_list={
    ...     "t": tf.train.FeatureList(feature=[ints([1]), ints([2])])})).SerializeToString()
    >>> _, lists, lengths = tf.io.parse_sequence_example([seq], sequence_features={
    ...     "t": tf.io.FixedLenSequenceFeature([], tf.int64)})
    >>> lists["t"].tolist(), lengths["t"].tolist()
    ([[1, 2]], [2])
    """
    seqs = _sequence_examples(serialized)
    feature_lists, lengths = _parse_lists(seqs, sequence_features or {}, single=False)
    return _context(seqs, context_features, False), feature_lists, lengths


def parse_single_sequence_example(
    serialized, context_features=None, sequence_features=None, example_name=None, name=None
):
    """Parse one `tf.train.SequenceExample` (`tf.io.parse_single_sequence_example`): `(context, feature_lists)`."""
    seqs = _sequence_examples(serialized)
    feature_lists, _ = _parse_lists(seqs, sequence_features or {}, single=True)
    return _context(seqs, context_features, True), feature_lists
