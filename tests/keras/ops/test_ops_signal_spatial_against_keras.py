"""The rest of Keras 3.15's op set against Keras (torch backend): same inputs, same numbers and dtypes."""

import numpy as np
import pytest
import torch

from capas import keras as ck
from tests.conftest import keras_reference
from tests.keras.ops.test_ops_against_keras import _compare, _np

R = np.random.RandomState(1)
A = R.randn(3, 4).astype("float32")
B = R.randn(3, 4).astype("float32")
IMG = R.randn(2, 7, 5, 3).astype("float32")
VOL = R.randn(2, 5, 6, 4, 2).astype("float32")
SEQ = R.randn(2, 9, 3).astype("float32")
KT2 = R.randn(3, 3, 4, 3).astype("float32")  # (kh, kw, out, in)
KT1 = R.randn(4, 2, 3).astype("float32")
KT3 = R.randn(2, 3, 2, 3, 2).astype("float32")
NCHW = R.randn(2, 3, 6, 6).astype("float32")
BLOCKS = R.randn(2, 12, 9).astype("float32")
D2S = R.randn(2, 3, 4, 8).astype("float32")
AUDIO = R.randn(2, 64).astype("float32")
AUDIO64 = R.randn(3, 50)
LOGITS = R.randn(2, 6, 4).astype("float32")
LONG_LOGITS = R.randn(3, 10, 5).astype("float32")
TARGETS = np.array([[1, 2, 0], [3, 3, 1]], "int32")
I = R.randint(0, 4, size=(10,)).astype("int32")
ROWS = np.array([[1, 2], [0, 5], [1, 2], [0, 5], [4, 4]], "int32")
X5 = R.randn(5, 3).astype("float32")
Y4 = R.randn(2, 4, 3).astype("float32")
CPLX = (R.randn(3, 2) + 1j * R.randn(3, 2)).astype("complex64")

CASES = {
    "adaptive_average_pool_1d": lambda o: o.adaptive_average_pool(SEQ, 4),
    "adaptive_average_pool_2d": lambda o: o.adaptive_average_pool(IMG, (3, 2)),
    "adaptive_average_pool_3d_first": lambda o: o.adaptive_average_pool(VOL, 2, data_format="channels_first"),
    "adaptive_max_pool_1d": lambda o: o.adaptive_max_pool(SEQ, 5),
    "adaptive_max_pool_2d": lambda o: o.adaptive_max_pool(IMG, 3),
    "adaptive_max_pool_3d": lambda o: o.adaptive_max_pool(VOL, (2, 3, 1)),
    "conv_transpose_valid": lambda o: o.conv_transpose(IMG, KT2),
    "conv_transpose_same_strided": lambda o: o.conv_transpose(IMG, KT2, strides=2, padding="same"),
    "conv_transpose_output_padding": lambda o: o.conv_transpose(IMG, KT2, strides=3, output_padding=1),
    "conv_transpose_dilated": lambda o: o.conv_transpose(IMG, KT2, padding="same", dilation_rate=2),
    "conv_transpose_1d": lambda o: o.conv_transpose(SEQ, KT1, strides=2, padding="same"),
    "conv_transpose_3d_first": lambda o: o.conv_transpose(
        VOL.transpose(0, 4, 1, 2, 3), KT3, strides=(1, 2, 2), data_format="channels_first"
    ),
    "unfold": lambda o: o.unfold(o.convert_to_tensor(NCHW), 3),
    "unfold_strided": lambda o: o.unfold(o.convert_to_tensor(NCHW), (2, 3), dilation=1, padding=1, stride=2),
    "fold": lambda o: o.fold(o.convert_to_tensor(BLOCKS), (4, 4), 2),
    "depth_to_space": lambda o: o.depth_to_space(D2S, 2),
    "space_to_depth": lambda o: o.space_to_depth(IMG[:, :6, :4], 2),
    "ctc_loss": lambda o: o.ctc_loss(TARGETS, LOGITS, np.array([2, 3], "int32"), np.array([6, 5], "int32")),
    "ctc_decode_greedy": lambda o: o.ctc_decode(LOGITS, np.array([6, 4], "int32")),
    "ctc_decode_greedy_no_merge": lambda o: o.ctc_decode(LOGITS, np.array([6, 6], "int32"), merge_repeated=False),
    "ctc_decode_beam": lambda o: o.ctc_decode(
        LOGITS, np.array([6, 4], "int32"), strategy="beam_search", beam_width=50, top_paths=2
    ),
    "ctc_decode_beam_pruned": lambda o: o.ctc_decode(
        LONG_LOGITS, np.array([10, 7, 9], "int32"), strategy="beam_search", beam_width=3, top_paths=3, mask_index=4
    ),
    "stft": lambda o: o.stft(AUDIO, 16, 8, 16),
    "stft_hamming_padded": lambda o: o.stft(AUDIO, 10, 5, 16, window="hamming"),
    "stft_no_window_no_center": lambda o: o.stft(AUDIO64, 8, 3, 8, window=None, center=False),
    "istft": lambda o: o.istft(o.stft(AUDIO, 16, 8, 16), 16, 8, 16),
    "istft_length": lambda o: o.istft(o.stft(AUDIO, 16, 4, 16), 16, 4, 16, length=60),
    "istft_padded_window": lambda o: o.istft(o.stft(AUDIO, 10, 5, 16), 10, 5, 16),
    "istft_no_center": lambda o: o.istft(o.stft(AUDIO64, 8, 4, 8, center=False), 8, 4, 8, center=False),
    "ifft2": lambda o: o.ifft2((A, B)),
    "cdist": lambda o: o.cdist(X5, Y4),
    "polar": lambda o: o.polar(np.abs(A), B),
    "view_as_complex": lambda o: o.view_as_complex(Y4[..., :2]),
    "view_as_real": lambda o: o.view_as_real(CPLX),
    "fabs": lambda o: o.fabs(A),
    "fabs_int": lambda o: o.fabs(I),
    "geomspace": lambda o: o.geomspace(1.0, 1000.0, 7),
    "geomspace_negative_no_endpoint": lambda o: o.geomspace(-2.0, -32.0, 4, endpoint=False),
    **{f"{name}": (lambda o, n=name: getattr(o, n)(9)) for name in ["bartlett", "blackman", "hamming", "hanning"]},
    "kaiser": lambda o: o.kaiser(8, 5.0),
    "correlate_valid": lambda o: o.correlate(A[0], B[0, :2]),
    "correlate_same": lambda o: o.correlate(A[0], B[0, :3], mode="same"),
    "correlate_full": lambda o: o.correlate(A[1], B[2], mode="full"),
    "correlate_int": lambda o: o.correlate(I[:5], I[5:8], mode="full"),
    "unique": lambda o: o.unique(I),
    "unique_all": lambda o: o.unique(I, return_index=True, return_inverse=True, return_counts=True),
    "unique_index_counts": lambda o: o.unique(I, return_index=True, return_counts=True),
    "unique_axis": lambda o: o.unique(ROWS, axis=0, return_counts=True),
    "unique_size_pad": lambda o: o.unique(I, size=8, fill_value=-1, return_counts=True),
    "unique_size_truncate": lambda o: o.unique(I, size=2, return_index=True),
    "view": lambda o: o.view(A, "int32"),
    "view_narrower": lambda o: o.view(I, "int16"),
    "rearrange_transpose": lambda o: o.rearrange(IMG, "b h w c -> b c h w"),
    "rearrange_merge": lambda o: o.rearrange(IMG, "b h w c -> (b h) w c"),
    "rearrange_split": lambda o: o.rearrange(D2S, "b h w (c1 c) -> b (h c1) w c", c1=2),
    "rearrange_split_merge": lambda o: o.rearrange(IMG[:, :6], "b (h1 h) w c -> b h (w h1) c", h1=2),
    "associative_scan": lambda o: o.associative_scan(lambda a, b: a + b, A, axis=1),
    "associative_scan_reverse": lambda o: o.associative_scan(lambda a, b: a * b, B, reverse=True),
    "associative_scan_max": lambda o: o.associative_scan(lambda a, b: o.maximum(a, b), X5),
    "associative_scan_pytree": lambda o: o.associative_scan(
        lambda a, b: (a[0] + b[0], a[1] * b[1]), (o.convert_to_tensor(A), o.convert_to_tensor(B))
    ),
    "jvp": lambda o: o.jvp(lambda x: o.sin(x) * x, (o.convert_to_tensor(A),), (o.convert_to_tensor(B),)),
    "jvp_aux": lambda o: o.jvp(
        lambda x: (o.exp(x), o.sum(x)), (o.convert_to_tensor(A),), (o.convert_to_tensor(B),), has_aux=True
    ),
    "vectorize_scalar": lambda o: o.vectorize(lambda a, b: a * b + 1.0)(
        o.convert_to_tensor(A), o.convert_to_tensor(B[0])
    ),
    "vectorize_signature": lambda o: o.vectorize(lambda a, b: o.sum(a * b), signature="(n),(n)->()")(
        o.convert_to_tensor(A), o.convert_to_tensor(B)
    ),
}


# Where Keras's torch backend departs from Keras on TensorFlow, capas follows TF (tests/goldens/kerasops):
# unique's indices and counts are int32 (torch: int64), compared here by value only; and
# depth_to_space/space_to_depth with channels_first keep TF's channel order (torch's differs), so they
# are checked only against the TF goldens and in the test below.
DTYPE_FOLLOWS_TF = {"unique_all", "unique_axis", "unique_index_counts", "unique_size_pad", "unique_size_truncate"}


@pytest.mark.parametrize("name", sorted(CASES))
def test_op_matches_keras(name):
    keras = keras_reference()
    _compare(CASES[name](ck.ops), CASES[name](keras.ops), name, check_dtype=name not in DTYPE_FOLLOWS_TF)


def test_unique_indices_and_counts_are_int32_as_in_tf():
    values, index, inverse, counts = ck.ops.unique(I, return_index=True, return_inverse=True, return_counts=True)
    assert values.dtype == torch.int32 and {index.dtype, inverse.dtype, counts.dtype} == {torch.int32}


def test_channels_first_depth_to_space_is_the_channels_last_one_transposed_as_in_tf():
    nchw = D2S.transpose(0, 3, 1, 2)
    ours = _np(ck.ops.depth_to_space(nchw, 2, data_format="channels_first"))
    np.testing.assert_array_equal(ours, _np(ck.ops.depth_to_space(D2S, 2)).transpose(0, 3, 1, 2))
    back = ck.ops.space_to_depth(ours, 2, data_format="channels_first")
    np.testing.assert_array_equal(_np(back), nchw)


def _grad_through_log1pexp(ops, x, style):
    @ops.custom_gradient
    def log1pexp(x):
        e = ops.exp(x)

        if style == "upstream_only":

            def grad(upstream):
                return ops.multiply(upstream, 1.0 - 1.0 / ops.add(1, e))

        else:

            def grad(*args, upstream=None):
                return ops.multiply(upstream, 1.0 - 1.0 / ops.add(1, e))

        return ops.log(1 + e), grad

    if ops is ck.ops:  # capas records gradients inside a GradientTape, as TF
        import capas as tf

        v = tf.Variable(x)
        with tf.GradientTape() as tape:
            y = log1pexp(v)
        return y.detach(), tape.gradient(y, v)
    x = torch.tensor(x, requires_grad=True)
    y = log1pexp(x)
    (g,) = torch.autograd.grad(y.sum(), x)
    return y.detach(), g


def test_custom_gradient_matches_keras_on_torch_autograd():
    keras = keras_reference()
    x = np.array([0.0, 2.0, 100.0], "float32")
    ours, theirs = _grad_through_log1pexp(ck.ops, x, "torch"), _grad_through_log1pexp(keras.ops, x, "torch")
    _compare(list(ours), list(theirs), "custom_gradient")
    np.testing.assert_allclose(_np(theirs[1]), [0.5, 0.880797, 1.0], rtol=1e-5)  # exact where autograd gives nan


def test_custom_gradient_accepts_the_tensorflow_style_grad_fn():
    ours = _grad_through_log1pexp(ck.ops, np.array([100.0], "float32"), "upstream_only")
    assert _np(ours[1]).tolist() == [1.0]


def test_custom_gradient_inside_a_gradient_tape_and_with_two_arguments():
    import capas as tf

    @ck.ops.custom_gradient
    def scaled_product(a, b):
        def grad(upstream):
            return upstream * b * 10.0, upstream * a  # a's gradient scaled on purpose

        return a * b, grad

    a, b = tf.Variable([2.0, 3.0]), tf.Variable([5.0, 7.0])
    with tf.GradientTape() as tape:
        loss = ck.ops.sum(scaled_product(a, b))
    ga, gb = tape.gradient(loss, [a, b])
    assert _np(ga).tolist() == [50.0, 70.0] and _np(gb).tolist() == [2.0, 3.0]
    assert _np(scaled_product(a, b)).tolist() == [10.0, 21.0]  # no tape: a plain value


def test_custom_gradient_says_when_grad_fn_returns_the_wrong_count():
    @ck.ops.custom_gradient
    def f(a, b):
        return a + b, lambda upstream: upstream

    import capas as tf

    a = tf.Variable([1.0, 2.0])
    with tf.GradientTape() as tape:
        y = f(a, torch.ones(2))
    with pytest.raises(ValueError, match="returned 1 gradients for 2 arguments"):
        tape.gradient(y, a)


def test_ctc_decode_beam_search_finds_the_most_likely_labelling():
    # Blank wins each frame (greedy decodes ""), but "1" has more probability over its alignments:
    # P("1") = .4*.4 + 2*.4*.55 = .6 > P("") = .3025 > P("2") = .0575.
    probs = np.array([[[0.55, 0.4, 0.05], [0.55, 0.4, 0.05]]], "float32")
    decoded, scores = ck.ops.ctc_decode(np.log(probs), [2], strategy="beam_search", beam_width=10, top_paths=3)
    assert _np(decoded)[:, 0].tolist() == [[1, -1], [-1, -1], [2, -1]]
    np.testing.assert_allclose(np.exp(_np(scores)), [[0.6, 0.3025, 0.0575]], rtol=1e-5)
    assert _np(ck.ops.ctc_decode(np.log(probs), [2])[0]).tolist() == [[[-1, -1]]]
    keras = keras_reference()
    k_decoded, k_scores = keras.ops.ctc_decode(np.log(probs), [2], strategy="beam_search", beam_width=10, top_paths=3)
    _compare([decoded, scores], [k_decoded, k_scores], "ctc beam")


def test_rearrange_errors_name_the_problem():
    with pytest.raises(ValueError, match="only on the left"):
        ck.ops.rearrange(A, "a b -> a")
    with pytest.raises(ValueError, match="names 3 input axes"):
        ck.ops.rearrange(A, "a b c -> a b c")
    with pytest.raises(ValueError, match="all but one"):
        ck.ops.rearrange(A, "(a1 a2) b -> a1 a2 b")


def test_rearrange_with_an_ellipsis():
    out = ck.ops.rearrange(IMG, "b ... c -> c b ...")
    np.testing.assert_array_equal(_np(out), IMG.transpose(3, 0, 1, 2))


def test_ops_build_functional_graph_nodes():
    inputs = ck.Input((6, 4, 3))
    outputs = ck.ops.adaptive_average_pool(ck.ops.depth_to_space(ck.ops.concatenate([inputs] * 4, -1), 2), 3)
    model = ck.Model(inputs, outputs)
    x = R.randn(2, 6, 4, 3).astype("float32")
    keras = keras_reference()
    expected = keras.ops.adaptive_average_pool(keras.ops.depth_to_space(np.concatenate([x] * 4, -1), 2), 3)
    _compare(model(x), expected, "functional")


def test_stft_rejects_integer_signals_with_a_fix():
    with pytest.raises(TypeError, match="Cast it first"):
        ck.ops.stft(np.arange(32, dtype="int32"), 8, 4, 8)


def test_custom_gradient_in_a_functional_model_trains_with_its_gradient():
    @ck.ops.custom_gradient
    def double_with_half_gradient(x):
        return x * 2.0, lambda upstream: upstream * 0.5

    inputs = ck.Input((3,))
    model = ck.Model(inputs, ck.ops.sum(double_with_half_gradient(inputs), axis=-1))
    np.testing.assert_allclose(_np(model(np.ones((2, 3), "float32"))), [6.0, 6.0])
    import capas as tf

    x = tf.Variable(np.ones((1, 3), "float32"))
    with tf.GradientTape() as tape:
        y = model(x)
    np.testing.assert_allclose(_np(tape.gradient(y, x)), [[0.5, 0.5, 0.5]])


def test_vectorize_passes_excluded_arguments_through_and_refuses_other_keywords():
    power = ck.ops.vectorize(lambda x, p, scale=1.0: x**p * scale, excluded={1, "scale"})
    np.testing.assert_allclose(_np(power(A, 2, scale=3.0)), A**2 * 3.0, rtol=1e-6)
    with pytest.raises(ValueError, match="list them in `excluded`"):
        ck.ops.vectorize(lambda x, y=1.0: x * y)(A, y=2.0)
