"""tf.string tensors and tf.strings ops against values recorded from TensorFlow (tests/goldens/tfcore)."""

import json
import pathlib

import numpy as np
import pytest
import torch

import capas as tf
from capas.keras import layers

GOLD = json.loads((pathlib.Path(__file__).parents[1] / "goldens" / "tfcore" / "goldens.json").read_text())
G = GOLD["strings"]


def unb(x):
    """Golden JSON -> Python values (strings tagged 'b:' are bytes)."""
    if isinstance(x, str) and x.startswith("b:"):
        return x[2:].encode("latin-1")
    if isinstance(x, list):
        return [unb(v) for v in x]
    return x


def val(x):
    """capas result -> Python values comparable with unb(golden)."""
    if isinstance(x, tf.RaggedTensor):
        return x.to_list()
    if isinstance(x, (tf.StringTensor, torch.Tensor)):
        out = x.numpy()
        return out.tolist() if isinstance(out, np.ndarray) else out
    return x


S = ["Hello World", "  TensorFlow rocks  ", "a,b,,c"]


def test_constant_dtype_shape_repr_and_equality():
    s = tf.constant(S)
    assert val(s) == unb(G["constant"])
    assert s.dtype is tf.string and s.dtype.name == G["dtype"] == G["string_name"]
    assert list(s.shape) == G["shape"]
    assert val(tf.constant("héllo")) == unb(G["scalar"])
    assert repr(tf.constant("ab")) == G["repr_scalar"]
    assert repr(tf.string) == G["str_dtype_repr"]
    assert (s == tf.constant(["Hello World", "x", "a,b,,c"])).tolist() == G["eq"]
    assert tf.convert_to_tensor([b"a", b"b"]).numpy().tolist() == [b"a", b"b"]


def test_string_tensor_small_api():
    s = tf.StringTensor.from_numpy(np.array(["x", "yz"]))
    assert len(s) == 2 and s[1].numpy() == b"yz" and [t.numpy() for t in s] == [b"x", b"yz"]
    stacked = tf.StringTensor.stack([s, s])
    assert stacked.shape == (2, 2) and stacked[:, 0].numpy().tolist() == [b"x", b"x"]
    assert s.index_select(0, torch.tensor([1, 1])).numpy().tolist() == [b"yz", b"yz"]
    with pytest.raises(TypeError, match="str or bytes"):
        tf.StringTensor([1, 2])
    with pytest.raises(TypeError, match="truth value"):
        bool(s)


@pytest.mark.parametrize(
    "key, fn",
    [
        ("lower", lambda s: tf.strings.lower(s)),
        ("upper", lambda s: tf.strings.upper(s)),
        ("strip", lambda s: tf.strings.strip(s)),
        ("length", lambda s: tf.strings.length(s)),
        ("split_default", lambda s: tf.strings.split(s)),
        ("split_comma", lambda s: tf.strings.split(s, sep=",")),
        ("regex_replace", lambda s: tf.strings.regex_replace(s, "[aeiou]", "_")),
        (
            "regex_replace_first",
            lambda s: tf.strings.regex_replace(s, "o", "0", replace_global=False),
        ),
        ("regex_full_match", lambda s: tf.strings.regex_full_match(s, ".*o.*")),
        ("substr", lambda s: tf.strings.substr(s, 1, 4)),
    ],
)
def test_elementwise_ops_match_tf(key, fn):
    assert val(fn(tf.constant(S))) == unb(G[key])


def test_other_ops_match_tf():
    assert val(tf.strings.length(tf.constant(["héllo"]), unit="UTF8_CHAR")) == G["length_utf8"]
    assert val(tf.strings.length(tf.constant(["héllo"]))) == G["length_bytes"]
    assert val(tf.strings.split(tf.constant("a b  c"))) == unb(G["split_scalar"])
    assert val(tf.strings.split(tf.constant(["a b c d"]), maxsplit=1)) == unb(G["split_maxsplit"])
    assert val(tf.strings.join([tf.constant(["a", "b"]), tf.constant(["c", "d"])], separator="-")) == unb(G["join"])
    assert val(tf.strings.join(["x", tf.constant(["c", "d"])])) == unb(G["join_scalar"])
    grid = tf.constant([["a", "b"], ["c", "d"]])
    assert val(tf.strings.reduce_join(grid, axis=1, separator=" ")) == unb(G["reduce_join"])
    assert val(tf.strings.reduce_join(grid)) == unb(G["reduce_join_all"])
    assert val(tf.strings.unicode_split(tf.constant(["héllo", "ab"]), "UTF-8")) == unb(G["unicode_split"])
    assert val(tf.strings.unicode_decode(tf.constant(["héllo", "ab"]), "UTF-8")) == G["unicode_decode"]
    assert val(tf.strings.bytes_split(tf.constant(["ab", "c"]))) == unb(G["bytes_split"])
    assert val(tf.strings.bytes_split(tf.constant("héy"))) == unb(G["bytes_split_scalar"])
    assert val(tf.strings.unicode_encode(tf.constant([104, 233, 121]), "UTF-8")) == unb(G["unicode_encode"])
    ragged = tf.ragged.constant([[104, 105], [233]])
    assert val(tf.strings.unicode_encode(ragged, "UTF-8")) == unb(G["unicode_encode_ragged"])


def test_number_conversions_match_tf():
    nums = tf.strings.to_number(tf.constant(["1.5", "-2", "3e2"]))
    assert nums.dtype == tf.float32 and val(nums) == G["to_number"]
    ints = tf.strings.to_number(tf.constant(["12", "-3"]), out_type=tf.int32)
    assert ints.dtype == tf.int32 and val(ints) == G["to_number_int"]
    assert val(tf.strings.as_string(tf.constant([1, -20]))) == unb(G["as_string_int"])
    assert val(tf.strings.as_string(tf.constant([1.5, 2.0, 1e-7]))) == unb(G["as_string_float"])
    assert val(tf.strings.as_string(tf.constant([3.14159]), precision=2)) == unb(G["as_string_precision"])
    with pytest.raises(tf.errors.InvalidArgumentError, match="abc"):
        tf.strings.to_number("abc")
    assert GOLD["errors"]["raised"]["to_number_bad"] == "InvalidArgumentError"


def test_text_layers_and_dataset_take_string_tensors():
    ds = tf.data.Dataset.from_tensor_slices(tf.constant(["a b", "c", "d e f"])).batch(2)
    assert [val(b) for b in ds] == unb(G["dataset_batches"])
    tv = layers.TextVectorization(max_tokens=10, output_sequence_length=4)
    tv.adapt(tf.constant(["the cat sat", "the dog", "The Cat"]))
    assert tv.get_vocabulary() == G["text_vectorization_vocab"]
    assert val(tv(tf.constant(["the cat", "a dog sat down"]))) == G["text_vectorization"]
    lookup = layers.StringLookup(vocabulary=["a", "b", "c"])
    assert val(lookup(tf.constant([["a", "c"], ["z", "b"]]))) == G["string_lookup"]
    inverse = layers.StringLookup(vocabulary=["a", "b", "c"], invert=True)
    out = inverse(tf.constant([[1, 3], [0, 2]]))
    assert out.dtype is tf.string and val(out) == unb(G["string_lookup_invert"])
    assert val(layers.Hashing(num_bins=5)(tf.constant([["a"], ["b"], ["c"]]))) == G["hashing"]


def test_custom_layer_takes_a_string_tensor_and_bare_str_is_refused():
    class Lengths(layers.Layer):
        def call(self, text):
            return tf.cast(tf.strings.length(text), tf.float32)

    assert Lengths()(tf.constant(["ab", "cde"])).tolist() == [2.0, 3.0]
    with pytest.raises(TypeError, match="dense_text.*tf.constant"):
        layers.Dense(2, name="dense_text")("not a tensor")
    with pytest.raises(TypeError, match="to_number"):
        tf.constant(["a"]).to(torch.float32)
