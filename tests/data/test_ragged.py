"""Ragged elements in tf.data: capas's own mechanics and errors (TF's behaviour is pinned by the
`ragged_*` cases of tests/goldens/data, recorded from TensorFlow)."""

import pytest

import capas as tf

DIGITS = [[3, 1, 4, 1], [], [5, 9, 2], [6], []]


def test_ragged_tensor_spec_defaults_and_repr():
    spec = tf.RaggedTensorSpec([None, None], tf.int32)
    assert spec.ragged_rank == 1
    assert repr(spec) == "RaggedTensorSpec(TensorShape([None, None]), tf.int32, 1, tf.int64)"
    value = tf.ragged.constant([[1, 2], [3]])
    assert tf.RaggedTensorSpec.from_value(value) == tf.RaggedTensorSpec([2, None], tf.int32, 1)
    assert spec.is_compatible_with(value)
    assert not spec.is_compatible_with(tf.ragged.constant([[1.5], []]))


def test_ragged_tensor_spec_rejects_a_ragged_rank_beyond_the_shape():
    with pytest.raises(ValueError, match=r"ragged_rank must be in \[0, rank - 1\] for shape .*received 2"):
        tf.RaggedTensorSpec([None, None], tf.int32, ragged_rank=2)


def test_batch_of_ragged_rows_is_ragged_even_for_one_row():
    ds = tf.data.Dataset.from_tensor_slices(tf.ragged.constant(DIGITS)).batch(2)
    batches = list(ds)
    assert [type(b).__name__ for b in batches] == ["RaggedTensor"] * 3
    assert batches[-1].to_list() == [[]]


def test_slices_of_a_ragged_tensor_batch_without_the_fast_path():
    # from_tensor_slices keeps the RaggedTensor as its slices: batch must not index_select it.
    ds = tf.data.Dataset.from_tensor_slices(tf.ragged.constant(DIGITS))
    assert [b.to_list() for b in ds.batch(5)] == [DIGITS]


def test_ragged_batch_of_scalars_is_dense():
    ds = tf.data.Dataset.range(5).ragged_batch(2)
    assert [b.tolist() for b in ds] == [[0, 1], [2, 3], [4]]


def test_ragged_rows_of_different_dtypes_name_both():
    from capas.data import _ragged

    with pytest.raises(ValueError, match=r"different dtypes \(float32, int32\); cast them"):
        _ragged.stack([tf.constant([1], tf.int32), tf.constant([2.0, 3.0])], 0)


def test_ragged_tensor_operators_need_the_same_row_lengths():
    a = tf.ragged.constant([[1, 2], [3]])
    assert (a * 2 + 1).to_list() == [[3, 5], [7]]
    assert (a + a).to_list() == [[2, 4], [6]]
    with pytest.raises(ValueError, match=r"same row lengths; received \[2, 1\] and \[1, 2\]"):
        a + tf.ragged.constant([[1], [2, 3]])
