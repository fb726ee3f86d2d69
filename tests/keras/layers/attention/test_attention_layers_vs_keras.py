"""MultiHeadAttention, GroupedQueryAttention, Attention, AdditiveAttention against keras."""

import numpy as np
import pytest
import torch

from capas.keras.layers.attention.additive_attention import AdditiveAttention
from capas.keras.layers.attention.attention import Attention
from capas.keras.layers.attention.grouped_query_attention import GroupedQueryAttention
from capas.keras.layers.attention.multi_head_attention import MultiHeadAttention


def _rand(*shape):
    return np.random.randn(*shape).astype("float32")


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"value_dim": 3},
        {"use_bias": False},
        {"output_shape": 5},
        {"output_shape": (2, 3)},
        {"dropout": 0.3},
    ],
    ids=["default", "value_dim", "no_bias", "output_int", "output_tuple", "dropout_inference"],
)
@pytest.mark.parametrize(
    "call",
    [
        {},
        {"return_attention_scores": True},
        {"use_causal_mask": True},
        {"use_causal_mask": True, "return_attention_scores": True},
    ],
    ids=["plain", "scores", "causal", "causal_scores"],
)
def test_mha_matches_keras(ref, same_as_keras, kwargs, call):
    ours = MultiHeadAttention(num_heads=2, key_dim=4, **kwargs)
    theirs = ref.layers.MultiHeadAttention(num_heads=2, key_dim=4, **kwargs)
    same_as_keras(ours, theirs, [_rand(2, 4, 6), _rand(2, 4, 5)], call)


@pytest.mark.parametrize("scores", [False, True])
def test_mha_masks_match_keras(ref, same_as_keras, scores):
    rng = np.random.default_rng(0)
    ours = MultiHeadAttention(num_heads=3, key_dim=2)
    theirs = ref.layers.MultiHeadAttention(num_heads=3, key_dim=2)
    call = {
        "key": _rand(2, 5, 3),
        "attention_mask": rng.random((2, 3, 5)) > 0.3,
        "value_mask": rng.random((2, 5)) > 0.2,
        "return_attention_scores": scores,
    }
    same_as_keras(ours, theirs, [_rand(2, 3, 4), _rand(2, 5, 6)], call)


def test_mha_keras_mask_of_inputs_is_used(ref):
    ours = MultiHeadAttention(num_heads=2, key_dim=3)
    q, v = torch.randn(2, 3, 4), torch.randn(2, 5, 4)
    ours(q, v)
    value_mask = torch.tensor([[1, 1, 1, 0, 0], [1, 1, 1, 1, 1]], dtype=torch.bool)
    expected = ours(q, v, value_mask=value_mask)
    v_masked = v.clone()
    v_masked._keras_mask = value_mask
    np.testing.assert_allclose(ours(q, v_masked).numpy(), expected.numpy())


@pytest.mark.parametrize("axes", [(2,), (1, 2)])
def test_mha_attention_axes_match_keras(ref, same_as_keras, axes):
    ours = MultiHeadAttention(num_heads=2, key_dim=3, attention_axes=axes)
    theirs = ref.layers.MultiHeadAttention(num_heads=2, key_dim=3, attention_axes=axes)
    x = _rand(2, 3, 4, 5)
    same_as_keras(ours, theirs, [x, x], {"return_attention_scores": True})


def test_mha_weights_layout_and_names(ref):
    ours = MultiHeadAttention(num_heads=2, key_dim=4, value_dim=3, name="mha")
    ours(torch.randn(1, 2, 6), torch.randn(1, 3, 5))
    assert [tuple(w.shape) for w in ours.weights] == [
        (6, 2, 4),
        (2, 4),
        (5, 2, 4),
        (2, 4),
        (5, 2, 3),
        (2, 3),
        (2, 3, 6),
        (6,),
    ]
    assert ours.weights[0].path.startswith("mha/query/kernel")


def test_mha_dropout_training_changes_output_and_sdpa_matches_explicit():
    layer = MultiHeadAttention(num_heads=2, key_dim=4, dropout=0.5)
    q, v = torch.randn(2, 4, 6), torch.randn(2, 5, 6)
    inference = layer(q, v)
    assert not np.allclose(layer(q, v, training=True).numpy(), inference.numpy())
    # The explicit-softmax path (scores requested) and the fused SDPA path agree.
    out, _ = layer(q, v, return_attention_scores=True)
    np.testing.assert_allclose(out.numpy(), inference.numpy(), atol=1e-6)


def test_mha_key_value_mismatch_names_layer(ref):
    layer = MultiHeadAttention(num_heads=2, key_dim=4, name="cross")
    with pytest.raises(ValueError, match=r"'cross'.*value shape \(2, 5, 6\) and key shape \(2, 4, 6\)"):
        layer(torch.randn(2, 3, 6), torch.randn(2, 5, 6), key=torch.randn(2, 4, 6))


@pytest.mark.parametrize("kv_heads", [1, 2, 4])
@pytest.mark.parametrize(
    "call", [{}, {"return_attention_scores": True, "use_causal_mask": True}], ids=["plain", "scores_causal"]
)
def test_gqa_matches_keras(ref, same_as_keras, kv_heads, call):
    ours = GroupedQueryAttention(head_dim=3, num_query_heads=4, num_key_value_heads=kv_heads)
    theirs = ref.layers.GroupQueryAttention(head_dim=3, num_query_heads=4, num_key_value_heads=kv_heads)
    same_as_keras(ours, theirs, [_rand(2, 4, 6), _rand(2, 5, 6)], call)


def test_gqa_bad_heads_names_fix():
    with pytest.raises(ValueError, match=r"num_query_heads.*\(4\).*divisible.*\(3\)"):
        GroupedQueryAttention(head_dim=2, num_query_heads=4, num_key_value_heads=3)


@pytest.mark.parametrize(
    "kwargs", [{}, {"use_scale": True}, {"score_mode": "concat"}, {"score_mode": "concat", "use_scale": True}]
)
@pytest.mark.parametrize(
    "call", [{}, {"use_causal_mask": True, "return_attention_scores": True}], ids=["plain", "causal_scores"]
)
def test_attention_matches_keras(ref, same_as_keras, kwargs, call):
    ours, theirs = Attention(**kwargs), ref.layers.Attention(**kwargs)
    same_as_keras(ours, theirs, [[_rand(2, 3, 4), _rand(2, 5, 4), _rand(2, 5, 4)]], call)


@pytest.mark.parametrize("cls_name,cls", [("Attention", Attention), ("AdditiveAttention", AdditiveAttention)])
def test_attention_masks_match_keras(ref, same_as_keras, cls_name, cls):
    rng = np.random.default_rng(1)
    mask = [rng.random((2, 3)) > 0.3, rng.random((2, 5)) > 0.3]
    ours, theirs = cls(), getattr(ref.layers, cls_name)()
    same_as_keras(ours, theirs, [[_rand(2, 3, 4), _rand(2, 5, 4)]], {"mask": mask})


@pytest.mark.parametrize("use_scale", [True, False])
def test_additive_attention_matches_keras(ref, same_as_keras, use_scale):
    ours, theirs = AdditiveAttention(use_scale=use_scale), ref.layers.AdditiveAttention(use_scale=use_scale)
    same_as_keras(ours, theirs, [[_rand(2, 3, 4), _rand(2, 5, 4)]], {"return_attention_scores": True})


def test_attention_errors_name_layer():
    layer = Attention(name="att")
    with pytest.raises(ValueError, match=r"Attention 'att' must be called on a list.*\[query, value\]"):
        layer(torch.randn(2, 3, 4))
    with pytest.raises(ValueError, match=r"Attention 'att.*score_mode 'dott'"):
        Attention(score_mode="dott", name="att2")


@pytest.mark.parametrize(
    "cls,kwargs",
    [
        (MultiHeadAttention, {"num_heads": 2, "key_dim": 3, "output_shape": 4}),
        (GroupedQueryAttention, {"head_dim": 2, "num_query_heads": 2, "num_key_value_heads": 1}),
        (Attention, {"score_mode": "concat"}),
        (AdditiveAttention, {}),
    ],
)
def test_config_round_trip(ref, cls, kwargs):
    layer = cls(**kwargs)
    config = layer.get_config()
    keras_name = "GroupQueryAttention" if cls is GroupedQueryAttention else cls.__name__
    keras_config = getattr(ref.layers, keras_name)(**kwargs).get_config()
    assert set(keras_config) - set(config) <= {"dtype"}
    clone = cls.from_config(config)
    assert clone.get_config() == config
