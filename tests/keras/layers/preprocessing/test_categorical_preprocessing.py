"""Discretization, CategoryEncoding (against keras), and Hashing, StringLookup, IntegerLookup,
TextVectorization (against the outputs Keras documents: keras's versions need TensorFlow)."""

import numpy as np
import pytest
import torch

from capas.keras import layers


def _np(t):
    return np.asarray(t.detach().cpu() if hasattr(t, "detach") else t)


@pytest.mark.parametrize("output_mode", ["int", "one_hot", "multi_hot", "count"])
def test_discretization_boundaries_match_keras(ref, output_mode):
    x = np.random.randn(5, 3).astype("float32")
    x[0, 0] = 0.0
    ours = layers.Discretization(bin_boundaries=[-0.5, 0.0, 0.7], output_mode=output_mode)
    theirs = ref.layers.Discretization(bin_boundaries=[-0.5, 0.0, 0.7], output_mode=output_mode)
    out, expected = ours(x), theirs(x)
    assert out.dtype == expected.dtype
    np.testing.assert_array_equal(out.numpy(), _np(expected))


@pytest.mark.parametrize("num_bins,epsilon", [(4, 0.01), (5, 0.1), (3, 0.3)])
def test_discretization_adapt_matches_keras(ref, num_bins, epsilon):
    batches = [np.random.randn(30, 2).astype("float32") for _ in range(3)]
    ours = layers.Discretization(num_bins=num_bins, epsilon=epsilon)
    ours.adapt(batches)
    theirs = ref.layers.Discretization(num_bins=num_bins, epsilon=epsilon)
    theirs.reset_state()  # keras's adapt() needs TensorFlow; its state functions do not
    for batch in batches:
        theirs.update_state(batch)
    theirs.finalize_state()
    np.testing.assert_allclose(ours.bin_boundaries, theirs.bin_boundaries, rtol=1e-6)
    np.testing.assert_array_equal(ours(batches[0]).numpy(), _np(theirs(batches[0])))


def test_discretization_errors():
    with pytest.raises(ValueError, match=r"Discretization 'disc' has no bin boundaries.*adapt"):
        layers.Discretization(num_bins=3, name="disc")(torch.zeros(2))
    with pytest.raises(ValueError, match=r"created with `bin_boundaries`.*num_bins"):
        layers.Discretization(bin_boundaries=[0.0]).adapt(np.zeros(3))


@pytest.mark.parametrize("output_mode", ["one_hot", "multi_hot", "count"])
@pytest.mark.parametrize("ids", [[[0, 1, 3], [2, 2, -1]], [[1], [3]], [0, 3, 3]])
def test_category_encoding_matches_keras(ref, output_mode, ids):
    ids = np.array(ids)
    ours, theirs = (
        layers.CategoryEncoding(4, output_mode=output_mode),
        ref.layers.CategoryEncoding(4, output_mode=output_mode),
    )
    np.testing.assert_array_equal(ours(ids).numpy(), _np(theirs(ids)))


def test_category_encoding_count_weights_and_range(ref):
    ids = np.array([[0, 1, 1], [2, 3, 3]])
    w = np.array([[0.5, 1.0, 2.0], [1.0, 0.25, 0.25]], "float32")
    ours, theirs = layers.CategoryEncoding(4, output_mode="count"), ref.layers.CategoryEncoding(4, "count")
    np.testing.assert_allclose(ours(ids, count_weights=w).numpy(), _np(theirs(ids, count_weights=w)))
    with pytest.raises(ValueError, match=r"CategoryEncoding 'cat'.*0 <= values < 4.*maximum of 7"):
        layers.CategoryEncoding(4, name="cat")(np.array([[1, 7]]))


# Oracle: the outputs in keras's Hashing docstring and tests (TensorFlow's FarmHash64 / SipHash64).
@pytest.mark.parametrize(
    "kwargs,inputs,expected",
    [
        ({"num_bins": 3}, [["A"], ["B"], ["C"], ["D"], ["E"]], [[1], [0], [1], [1], [2]]),
        ({"num_bins": 3, "mask_value": ""}, [["A"], ["B"], [""], ["C"], ["D"]], [[1], [1], [0], [2], [2]]),
        ({"num_bins": 3, "salt": [133, 137]}, [["A"], ["B"], ["C"], ["D"], ["E"]], [[1], [2], [1], [0], [2]]),
        ({"num_bins": 3, "salt": 133}, [["A"], ["B"], ["C"], ["D"], ["E"]], [[0], [0], [2], [1], [0]]),
        ({"num_bins": 2}, [["omar"], ["stringer"], ["marlo"], ["wire"], ["skywalker"]], [[0], [0], [1], [0], [0]]),
        (
            {"num_bins": 3, "mask_value": "omar"},
            [["omar"], ["stringer"], ["marlo"], ["wire"], ["skywalker"]],
            [[0], [1], [2], [1], [1]],
        ),
        (
            {"num_bins": 2, "salt": [211, 137]},
            [["omar"], ["stringer"], ["marlo"], ["wire"], ["skywalker"]],
            [[1], [0], [1], [0], [1]],
        ),
        ({"num_bins": 3}, np.array([[0], [1], [2], [3], [4]]), [[1], [0], [1], [0], [2]]),
        ({"num_bins": 3, "salt": [133, 137]}, np.array([[0], [1], [2], [3], [4]]), [[1], [1], [2], [0], [1]]),
    ],
)
def test_hashing_matches_keras_documented_buckets(kwargs, inputs, expected):
    out = layers.Hashing(**kwargs)(inputs)
    assert out.dtype == torch.int64
    assert out.tolist() == expected


def test_hashing_tensor_input_and_encoded_output():
    # Bins of 0, 1, 2, 4 are 1, 0, 1, 2 (the documented integer example above).
    out = layers.Hashing(num_bins=3, output_mode="multi_hot")(torch.tensor([[0, 1], [2, 4]]))
    assert out.tolist() == [[1.0, 1.0, 0.0], [0.0, 1.0, 1.0]]


VOCAB = ["a", "b", "c", "d"]
DATA = [["a", "c", "d"], ["d", "z", "b"]]


# Oracle: the examples of keras's StringLookup / IntegerLookup / TextVectorization docstrings.
def test_string_lookup_documented_examples():
    assert layers.StringLookup(vocabulary=VOCAB)(DATA).tolist() == [[1, 3, 4], [4, 0, 2]]
    layer = layers.StringLookup()
    layer.adapt(DATA)
    assert layer.get_vocabulary() == ["[UNK]", "d", "z", "c", "b", "a"]
    assert layer(DATA).tolist() == [[5, 3, 1], [1, 2, 4]]
    layer = layers.StringLookup(vocabulary=VOCAB, num_oov_indices=2)
    assert layer([["a", "c", "d"], ["m", "z", "b"]]).tolist() == [[2, 4, 5], [0, 1, 3]]
    data4 = [["a", "c", "d", "d"], ["d", "z", "b", "z"]]
    layer = layers.StringLookup(vocabulary=VOCAB, output_mode="one_hot")
    assert layer(["a", "b", "c", "d", "z"]).tolist() == np.eye(5)[[1, 2, 3, 4, 0]].tolist()
    layer = layers.StringLookup(vocabulary=VOCAB, output_mode="multi_hot")
    assert layer(data4).tolist() == [[0, 1, 0, 1, 1], [1, 0, 1, 0, 1]]
    layer = layers.StringLookup(vocabulary=VOCAB, output_mode="count")
    assert layer(data4).tolist() == [[0, 1, 0, 1, 2], [2, 0, 1, 0, 1]]
    layer = layers.StringLookup(output_mode="tf_idf", vocabulary=VOCAB, idf_weights=[0.25, 0.75, 0.6, 0.4])
    np.testing.assert_allclose(layer(data4).numpy(), [[0.0, 0.25, 0.0, 0.6, 0.8], [1.0, 0.0, 0.75, 0.0, 0.4]])
    layer = layers.StringLookup(vocabulary=VOCAB, invert=True)
    assert layer(np.array([[1, 3, 4], [4, 0, 2]])).tolist() == [[b"a", b"c", b"d"], [b"d", b"[UNK]", b"b"]]


def test_string_lookup_mask_and_errors():
    layer = layers.StringLookup(vocabulary=VOCAB, mask_token="")
    assert layer.get_vocabulary() == ["", "[UNK]"] + VOCAB
    assert layer([["a", ""], ["z", "d"]]).tolist() == [[2, 0], [1, 5]]
    strict = layers.StringLookup(vocabulary=VOCAB, num_oov_indices=0, name="strict")
    with pytest.raises(ValueError, match=r"StringLookup 'strict'.*out-of-vocabulary value 'z'.*num_oov_indices=1"):
        strict(DATA)
    with pytest.raises(ValueError, match=r"repeated tokens: \['a'\]"):
        layers.StringLookup(vocabulary=["a", "b", "a"])
    with pytest.raises(ValueError, match=r"unknown output_mode 'onehot'"):
        layers.StringLookup(output_mode="onehot")


def test_integer_lookup_documented_examples():
    vocab = [12, 36, 1138, 42]
    data = torch.tensor([[12, 1138, 42], [42, 1000, 36]])
    assert layers.IntegerLookup(vocabulary=vocab)(data).tolist() == [[1, 3, 4], [4, 0, 2]]
    layer = layers.IntegerLookup()
    layer.adapt(data)
    assert layer.get_vocabulary() == [-1, 42, 1138, 1000, 36, 12]
    assert layer(data).tolist() == [[5, 2, 1], [1, 3, 4]]
    assert layers.IntegerLookup(vocabulary=vocab, num_oov_indices=2)(data).tolist() == [[2, 4, 5], [5, 0, 3]]
    multi = layers.IntegerLookup(vocabulary=vocab, output_mode="multi_hot")
    assert multi(torch.tensor([[12, 1138, 42, 42], [42, 7, 36, 7]])).tolist() == [[0, 1, 0, 1, 1], [1, 0, 1, 0, 1]]
    inverse = layers.IntegerLookup(vocabulary=vocab, invert=True)
    assert inverse(torch.tensor([[1, 3, 4], [4, 0, 2]])).tolist() == [[12, 1138, 42], [42, -1, 36]]
    masked = layers.IntegerLookup(vocabulary=vocab, mask_token=0)
    assert masked(torch.tensor([[12, 0], [5, 36]])).tolist() == [[2, 0], [1, 3]]


def test_text_vectorization_documented_example():
    layer = layers.TextVectorization(max_tokens=5000, output_mode="int", output_sequence_length=4)
    layer.adapt(["foo bar", "bar baz", "baz bada boom"])
    assert layer([["foo qux bar"], ["qux baz"]]).tolist() == [[4, 1, 3, 0], [1, 2, 0, 0]]
    vocab = ["earth", "wind", "and", "fire"]
    layer = layers.TextVectorization(max_tokens=5000, output_mode="int", output_sequence_length=4, vocabulary=vocab)
    assert layer([["earth wind and fire"], ["fire and earth michigan"]]).tolist() == [[2, 3, 4, 5], [5, 4, 2, 1]]


def test_text_vectorization_standardize_split_and_bag_modes():
    layer = layers.TextVectorization(output_mode="multi_hot", vocabulary=["hello", "world"])
    assert layer(["Hello, World! hello", "nothing"]).tolist() == [[0, 1, 1], [1, 0, 0]]
    counts = layers.TextVectorization(output_mode="count", vocabulary=["hello", "world"])
    assert counts(["Hello, World! hello"]).tolist() == [[0, 2, 1]]
    ragged = layers.TextVectorization(vocabulary=["a", "b"])
    assert ragged(["a b a", "b"]).tolist() == [[2, 3, 2], [3, 0, 0]]
    chars = layers.TextVectorization(split="character", standardize="lower", vocabulary=["a", "b"])
    assert chars(["AbC"]).tolist() == [[2, 3, 1]]
    ngrams = layers.TextVectorization(ngrams=2, vocabulary=["a", "b", "a b"])
    assert ngrams(["a b"]).tolist() == [[2, 3, 4]]
    with pytest.raises(TypeError, match=r"TextVectorization .* takes strings"):
        layer(torch.zeros(2))


@pytest.mark.parametrize(
    "cls,kwargs",
    [
        (layers.StringLookup, {"vocabulary": VOCAB, "mask_token": ""}),
        (layers.IntegerLookup, {"vocabulary": [3, 1, 2], "num_oov_indices": 2}),
        (layers.Hashing, {"num_bins": 4, "salt": 3}),
        (layers.Discretization, {"bin_boundaries": [0.0, 1.0]}),
        (layers.CategoryEncoding, {"num_tokens": 3, "output_mode": "count"}),
        (layers.TextVectorization, {"vocabulary": ["x", "y"], "output_sequence_length": 3}),
    ],
)
def test_config_round_trip(cls, kwargs):
    layer = cls(**kwargs)
    clone = cls.from_config(layer.get_config())
    assert clone.get_config() == layer.get_config()
