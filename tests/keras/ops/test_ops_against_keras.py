"""keras.ops against Keras 3 (torch backend): one line per op, same inputs, same numbers and dtypes."""

import numpy as np
import pytest
import torch

from capas import keras as ck
from tests.conftest import keras_reference

R = np.random.RandomState(0)
A = R.randn(3, 4).astype("float32")
B = R.randn(3, 4).astype("float32")
P = R.rand(3, 4).astype("float32") + 0.1  # positive
U = (R.rand(3, 4).astype("float32") - 0.5) * 1.8  # in (-0.9, 0.9)
I = R.randint(-5, 6, size=(3, 4)).astype("int32")
J = R.randint(1, 6, size=(3, 4)).astype("int32")
M = R.randn(4, 4).astype("float32")
SPD = (M @ M.T + 4 * np.eye(4)).astype("float32")
IMG = R.randn(2, 6, 6, 3).astype("float32")
KER = R.randn(3, 3, 3, 4).astype("float32")
SEQ = R.randn(2, 8, 3).astype("float32")
K1 = R.randn(3, 3, 2).astype("float32")
PW = R.randn(1, 1, 6, 5).astype("float32")
Q = R.randn(2, 5, 2, 4).astype("float32")
ANAN = np.where(A > 1.0, np.nan, A).astype("float32")
LABELS = np.array([0, 2, 1], "int32")
PROBS = np.abs(R.randn(3, 3)).astype("float32") + 0.1

CASES = {
    # element-wise, one operand
    **{
        name: (lambda o, n=name: getattr(o, n)(A))
        for name in [
            "abs",
            "absolute",
            "negative",
            "sign",
            "square",
            "exp",
            "expm1",
            "sin",
            "cos",
            "tan",
            "arctan",
            "sinh",
            "cosh",
            "tanh",
            "arcsinh",
            "floor",
            "ceil",
            "trunc",
            "round",
            "isnan",
            "isinf",
            "isfinite",
            "signbit",
            "deg2rad",
            "rad2deg",
            "erf",
            "conj",
            "real",
            "copy",
            "reciprocal",
            "cbrt",
            "exp2",
        ]
    },
    **{
        f"{name}_positive": (lambda o, n=name: getattr(o, n)(P))
        for name in ["sqrt", "rsqrt", "log", "log2", "log10", "log1p", "arccosh"]
    },
    **{f"{name}_unit": (lambda o, n=name: getattr(o, n)(U)) for name in ["arcsin", "arccos", "arctanh", "erfinv"]},
    **{
        f"{name}_int": (lambda o, n=name: getattr(o, n)(I))
        for name in [
            "abs",
            "negative",
            "sign",
            "square",
            "exp",
            "sin",
            "sqrt",
            "mean",
            "sum",
            "prod",
            "max",
            "cumsum",
            "argmax",
            "argsort",
            "count_nonzero",
            "var",
            "floor",
            "round",
        ]
    },
    "round_decimals": lambda o: o.round(A * 100, decimals=-1),
    "nan_to_num": lambda o: o.nan_to_num(np.array([np.nan, np.inf, -np.inf, 1.0], "float32"), nan=5.0),
    # element-wise, two operands
    **{
        name: (lambda o, n=name: getattr(o, n)(A, B))
        for name in [
            "add",
            "subtract",
            "multiply",
            "divide",
            "true_divide",
            "maximum",
            "minimum",
            "equal",
            "not_equal",
            "greater",
            "greater_equal",
            "less",
            "less_equal",
            "arctan2",
            "hypot",
            "logaddexp",
        ]
    },
    **{
        f"{name}_int": (lambda o, n=name: getattr(o, n)(I, J))
        for name in ["add", "multiply", "divide", "floor_divide", "mod", "fmod", "power", "maximum", "gcd", "lcm"]
    },
    "add_scalar_int": lambda o: o.add(I, 2),
    "add_scalar_float_to_int": lambda o: o.add(I, 1.5),
    "multiply_scalar_left": lambda o: o.multiply(3.0, A),
    "power_float": lambda o: o.power(P, 1.5),
    "logical_and": lambda o: o.logical_and(A > 0, B > 0),
    "logical_or": lambda o: o.logical_or(A > 0, B > 0),
    "logical_xor": lambda o: o.logical_xor(A > 0, B > 0),
    "logical_not": lambda o: o.logical_not(A > 0),
    "divide_no_nan": lambda o: o.divide_no_nan(A, np.where(B > 0, B, 0).astype("float32")),
    "isclose": lambda o: o.isclose(A, A + 1e-9),
    "heaviside": lambda o: o.heaviside(np.array([-1.0, 0.0, 2.0], "float32"), np.float32(0.5) * np.ones(3, "float32")),
    "clip": lambda o: o.clip(A, -0.5, 0.5),
    "clip_int": lambda o: o.clip(I, -2, 3),
    "where": lambda o: o.where(A > 0, A, B),
    "where_scalar": lambda o: o.where(A > 0, A, 0.0),
    # reductions
    **{
        f"{name}_axis": (lambda o, n=name: getattr(o, n)(A, axis=1))
        for name in [
            "sum",
            "mean",
            "max",
            "min",
            "amax",
            "amin",
            "var",
            "std",
            "prod",
            "argmax",
            "argmin",
            "logsumexp",
            "median",
            "ptp",
            "cumsum",
            "cumprod",
        ]
    },
    **{
        f"{name}_all_keepdims": (lambda o, n=name: getattr(o, n)(A, keepdims=True))
        for name in ["mean", "var", "std", "logsumexp", "median"]
    },
    "sum_tuple_axis": lambda o: o.sum(SEQ, axis=(0, 2)),
    "mean_tuple_axis_keepdims": lambda o: o.mean(SEQ, axis=(1, 2), keepdims=True),
    "all": lambda o: o.all(A > -1, axis=0),
    "any": lambda o: o.any(A > 1),
    "max_initial": lambda o: o.max(A, axis=0, initial=0.5),
    "quantile": lambda o: o.quantile(A, 0.3, axis=0),
    "percentile": lambda o: o.percentile(A, [10.0, 90.0], axis=1),
    "average_weights": lambda o: o.average(A, axis=1, weights=np.array([1, 2, 3, 4], "float32")),
    "count_nonzero_axis": lambda o: o.count_nonzero(I, axis=0),
    # creation
    "zeros": lambda o: o.zeros((2, 3)),
    "ones_int": lambda o: o.ones((2,), dtype="int32"),
    "full": lambda o: o.full((2, 2), 7.0),
    "full_like": lambda o: o.full_like(I, 3),
    "zeros_like": lambda o: o.zeros_like(A),
    "ones_like_dtype": lambda o: o.ones_like(A, dtype="int32"),
    "arange": lambda o: o.arange(5),
    "arange_float": lambda o: o.arange(0.0, 2.0, 0.5),
    "linspace": lambda o: o.linspace(0.0, 1.0, 5),
    "linspace_no_endpoint": lambda o: o.linspace(0.0, 1.0, 4, endpoint=False),
    "logspace": lambda o: o.logspace(0.0, 2.0, 3),
    "eye": lambda o: o.eye(3, 4, k=1),
    "identity": lambda o: o.identity(3),
    "tri": lambda o: o.tri(3, 4, k=-1),
    "tril": lambda o: o.tril(M, k=-1),
    "triu": lambda o: o.triu(M, k=1),
    # shapes
    "reshape": lambda o: o.reshape(A, (4, -1)),
    "ravel": lambda o: o.ravel(A),
    "expand_dims": lambda o: o.expand_dims(A, 1),
    "expand_dims_tuple": lambda o: o.expand_dims(A, (0, -1)),
    "squeeze": lambda o: o.squeeze(A[None, :, None], axis=0),
    "transpose": lambda o: o.transpose(SEQ, (2, 0, 1)),
    "transpose_default": lambda o: o.transpose(SEQ),
    "swapaxes": lambda o: o.swapaxes(SEQ, 0, 2),
    "moveaxis": lambda o: o.moveaxis(SEQ, 0, -1),
    "broadcast_to": lambda o: o.broadcast_to(A[0], (2, 4)),
    "tile": lambda o: o.tile(A, (2, 1)),
    "repeat": lambda o: o.repeat(A, 2, axis=1),
    "repeat_flat": lambda o: o.repeat(I, 2),
    "flip": lambda o: o.flip(A, axis=1),
    "roll": lambda o: o.roll(A, 2, axis=1),
    "roll_flat": lambda o: o.roll(A, 3),
    "rot90": lambda o: o.rot90(A),
    "concatenate": lambda o: o.concatenate([A, B], axis=1),
    "concatenate_mixed": lambda o: o.concatenate([I, A], axis=0),
    "append": lambda o: o.append(A, B),
    "stack": lambda o: o.stack([A, B], axis=1),
    "hstack": lambda o: o.hstack([A, B]),
    "vstack": lambda o: o.vstack([A, B]),
    "split": lambda o: o.split(A, 2, axis=1),
    "split_indices": lambda o: o.split(A, [1, 3], axis=1),
    "meshgrid": lambda o: o.meshgrid(np.arange(3), np.arange(2)),
    "pad": lambda o: o.pad(A, ((1, 0), (0, 2))),
    "pad_value": lambda o: o.pad(A, ((1, 1), (1, 1)), constant_values=3.0),
    "pad_reflect": lambda o: o.pad(A, ((1, 1), (2, 2)), mode="reflect"),
    # indexing and sorting
    "take": lambda o: o.take(A, np.array([0, 2, -1]), axis=1),
    "take_flat": lambda o: o.take(A, np.array([[0, 5], [7, 11]])),
    "take_along_axis": lambda o: o.take_along_axis(A, np.argsort(A, axis=1), axis=1),
    "nonzero": lambda o: o.nonzero(I),
    "where_one_arg": lambda o: o.where(I > 0),
    "diagonal": lambda o: o.diagonal(M, offset=1),
    "diag": lambda o: o.diag(A[0]),
    "trace": lambda o: o.trace(M),
    "isin": lambda o: o.isin(I, np.array([1, 2, 3])),
    "searchsorted": lambda o: o.searchsorted(np.array([1.0, 2.0, 3.0], "float32"), np.array([2.5, 0.0], "float32")),
    "digitize": lambda o: o.digitize(A, np.array([-1.0, 0.0, 1.0], "float32")),
    "bincount": lambda o: o.bincount(np.array([0, 1, 1, 3]), minlength=5),
    "sort": lambda o: o.sort(A, axis=0),
    "argsort": lambda o: o.argsort(A),
    "diff": lambda o: o.diff(A, n=2, axis=1),
    "unravel_index": lambda o: o.unravel_index(np.array([1, 5, 7]), (3, 4)),
    # products
    "matmul": lambda o: o.matmul(A, B.T),
    "matmul_int": lambda o: o.matmul(I, J.T),
    "matmul_batched": lambda o: o.matmul(SEQ, A[:3, :3]),
    "dot": lambda o: o.dot(A, B.T),
    "dot_vector": lambda o: o.dot(A[0], B[0]),
    "tensordot": lambda o: o.tensordot(A, B, axes=([1], [1])),
    "einsum": lambda o: o.einsum("ij,kj->ik", A, B),
    "outer": lambda o: o.outer(A[0], B[1]),
    "inner": lambda o: o.inner(A, B),
    "vdot": lambda o: o.vdot(A[0], B[0]),
    "kron": lambda o: o.kron(A[:2, :2], B[:2, :2]),
    "cross": lambda o: o.cross(A[:2, :3], B[:2, :3]),
    # nn
    **{
        name: (lambda o, n=name: getattr(o, n)(A))
        for name in [
            "relu",
            "relu6",
            "sigmoid",
            "silu",
            "swish",
            "gelu",
            "elu",
            "selu",
            "leaky_relu",
            "softplus",
            "softsign",
            "hard_sigmoid",
            "hard_silu",
            "hard_swish",
            "log_sigmoid",
            "celu",
            "hard_tanh",
            "hard_shrink",
            "soft_shrink",
            "tanh_shrink",
            "squareplus",
            "sparse_plus",
            "sparse_sigmoid",
            "glu",
            "softmax",
            "log_softmax",
        ]
    },
    "gelu_exact": lambda o: o.gelu(A, approximate=False),
    "softmax_axis0": lambda o: o.softmax(A, axis=0),
    "threshold": lambda o: o.threshold(A, 0.1, -1.0),
    "one_hot": lambda o: o.one_hot(np.array([0, 2, 3, 1]), 4),
    "one_hot_axis0": lambda o: o.one_hot(np.array([0, 2]), 3, axis=0),
    "multi_hot": lambda o: o.multi_hot(np.array([[0, 2], [1, 1]]), 4),
    "conv_valid": lambda o: o.conv(IMG, KER),
    "conv_same_strided": lambda o: o.conv(IMG, KER, strides=2, padding="same"),
    "conv_dilated": lambda o: o.conv(IMG, KER, dilation_rate=2),
    "conv1d": lambda o: o.conv(SEQ, K1, padding="same"),
    "depthwise_conv": lambda o: o.depthwise_conv(IMG, KER[:, :, :, :2], padding="same"),
    "separable_conv": lambda o: o.separable_conv(IMG, KER[:, :, :, :2], PW),
    "max_pool": lambda o: o.max_pool(IMG, 2),
    "max_pool_same": lambda o: o.max_pool(IMG, 3, strides=2, padding="same"),
    "average_pool": lambda o: o.average_pool(IMG, 2, strides=1),
    "moments": lambda o: o.moments(SEQ, axes=[0, 1]),
    "batch_normalization": lambda o: o.batch_normalization(A, A.mean(0), A.var(0), axis=1, offset=B[0], scale=P[0]),
    "normalize": lambda o: o.normalize(A),
    "layer_normalization": lambda o: o.layer_normalization(A, gamma=P[0], beta=B[0]),
    "binary_crossentropy": lambda o: o.binary_crossentropy((A > 0).astype("float32"), P / 2),
    "binary_crossentropy_logits": lambda o: o.binary_crossentropy((A > 0).astype("float32"), B, from_logits=True),
    "categorical_crossentropy": lambda o: o.categorical_crossentropy(np.eye(3, dtype="float32"), PROBS),
    "categorical_crossentropy_logits": lambda o: o.categorical_crossentropy(
        np.eye(3, dtype="float32"), A[:, :3], from_logits=True
    ),
    "sparse_categorical_crossentropy": lambda o: o.sparse_categorical_crossentropy(LABELS, PROBS),
    "sparse_categorical_crossentropy_logits": lambda o: o.sparse_categorical_crossentropy(
        LABELS, A[:, :3], from_logits=True
    ),
    "dot_product_attention": lambda o: o.dot_product_attention(Q, Q * 0.5, Q + 1),
    "dot_product_attention_causal": lambda o: o.dot_product_attention(Q, Q * 0.5, Q + 1, is_causal=True),
    # math
    "segment_sum": lambda o: o.segment_sum(A, np.array([0, 0, 2]), num_segments=3),
    "segment_max": lambda o: o.segment_max(A, np.array([1, 0, 1])),
    "top_k": lambda o: o.top_k(A, 2),
    "in_top_k": lambda o: o.in_top_k(LABELS, PROBS, 2),
    "erfc": lambda o: o.erfc(A),
    "extract_sequences": lambda o: o.extract_sequences(np.arange(10, dtype="float32"), 4, 3),
    "rfft": lambda o: o.rfft(A),
    "fft": lambda o: o.fft((A, B)),
    "irfft": lambda o: o.irfft((A, B)),
    # linalg
    "cholesky": lambda o: o.cholesky(SPD),
    "det": lambda o: o.det(M),
    "inv": lambda o: o.inv(SPD),
    "solve": lambda o: o.solve(SPD, A.T),
    "solve_triangular": lambda o: o.solve_triangular(np.tril(SPD), A.T, lower=True),
    "slogdet": lambda o: o.slogdet(M),
    "logdet": lambda o: o.logdet(SPD),
    "eigh_values": lambda o: o.eigh(SPD)[0],
    "svd_values": lambda o: o.svd(M, compute_uv=False),
    "qr_r_abs": lambda o: o.abs(o.qr(M)[1]),
    "norm": lambda o: o.norm(A),
    "norm_axis": lambda o: o.norm(A, axis=1),
    "norm_ord1": lambda o: o.norm(A, ord=1, axis=0),
    "norm_fro_keepdims": lambda o: o.norm(M, ord="fro", axis=(0, 1), keepdims=True),
    "norm_nuc": lambda o: o.norm(M, ord="nuc"),
    "pinv": lambda o: o.pinv(A),
    "lstsq": lambda o: o.lstsq(A.T, B[0]),
    # bitwise, NaN reductions, more numpy
    **{
        name: (lambda o, n=name: getattr(o, n)(I, J))
        for name in [
            "bitwise_and",
            "bitwise_or",
            "bitwise_xor",
            "bitwise_left_shift",
            "bitwise_right_shift",
            "left_shift",
            "right_shift",
        ]
    },
    "bitwise_invert": lambda o: o.bitwise_invert(I),
    **{
        name: (lambda o, n=name: getattr(o, n)(ANAN, axis=1))
        for name in [
            "nansum",
            "nanmean",
            "nanmax",
            "nanmin",
            "nanprod",
            "nanvar",
            "nanstd",
            "nanargmax",
            "nanargmin",
            "nanmedian",
        ]
    },
    "nancumsum": lambda o: o.nancumsum(ANAN, axis=1),
    "nanquantile": lambda o: o.nanquantile(ANAN, 0.25, axis=1),
    **{name: (lambda o, n=name: getattr(o, n)(A, B)) for name in ["fmax", "fmin", "logaddexp2", "nextafter"]},
    **{
        name: (lambda o, n=name: getattr(o, n)(A))
        for name in [
            "fliplr",
            "flipud",
            "sinc",
            "i0",
            "isneginf",
            "isposinf",
            "isreal",
            "angle",
            "diagflat",
            "trapezoid",
            "corrcoef",
        ]
    },
    "ldexp": lambda o: o.ldexp(A, J),
    "dstack": lambda o: o.dstack([A, B]),
    "array_split": lambda o: o.array_split(A, 3, axis=1),
    "hsplit": lambda o: o.hsplit(A, 2),
    "vsplit": lambda o: o.vsplit(SEQ[0], 2),
    "select": lambda o: o.select([A > 0.5, A < -0.5], [A, B], 7.0),
    "vander": lambda o: o.vander(A[0]),
    "segment_min": lambda o: o.segment_min(A, np.array([0, 1, 1]), num_segments=2),
    "segment_prod": lambda o: o.segment_prod(A, np.array([0, 1, 1]), num_segments=2),
    "psnr": lambda o: o.psnr(P, P * 0.9, 1.0),
    "matrix_rank": lambda o: o.matrix_rank(M),
    # core
    "cast": lambda o: o.cast(A, "int32"),
    "saturate_cast": lambda o: o.saturate_cast(A * 1000, "int8"),
    "convert_to_tensor": lambda o: o.convert_to_tensor([1, 2, 3]),
    "convert_to_tensor_float": lambda o: o.convert_to_tensor([1.5, 2]),
    "slice": lambda o: o.slice(M, (1, 0), (2, 3)),
    "slice_update": lambda o: o.slice_update(M, (1, 1), np.ones((2, 2), "float32")),
    "scatter": lambda o: o.scatter(np.array([[0, 1], [2, 3], [0, 1]]), np.array([1.0, 2.0, 3.0], "float32"), (3, 4)),
    "scatter_update": lambda o: o.scatter_update(M, np.array([[0, 0], [3, 2]]), np.array([9.0, 8.0], "float32")),
    "unstack": lambda o: o.unstack(o.convert_to_tensor(A), axis=1),
    "stop_gradient": lambda o: o.stop_gradient(o.convert_to_tensor(A)),
    "fori_loop": lambda o: o.fori_loop(0, 4, lambda i, v: v * 2 + i, o.ones((2,))),
    "while_loop": lambda o: o.while_loop(lambda v: o.sum(v) < 50, lambda v: v * 3, o.ones((2,))),
    "scan": lambda o: o.scan(lambda c, x: (c + x, c * x), o.zeros((4,)), A)[1],
    "cond": lambda o: o.cond(True, lambda: o.ones((2,)), lambda: o.zeros((2,))),
    "switch": lambda o: o.switch(1, [lambda x: x + 1, lambda x: x * 10], o.ones((2,))),
    "map": lambda o: o.map(lambda x: o.sum(x), A),
    "get_item": lambda o: o.get_item(A, 1),
}


# Where Keras's torch backend departs from TF/numpy, capas follows TF; these are checked separately below.
# top_k: TF returns int32 indices (Keras-torch int64).
DTYPE_FOLLOWS_TF = {"top_k"}


def _np(x):
    if isinstance(x, torch.Tensor):
        return x.detach().cpu().numpy()
    return np.asarray(x)


def _compare(ours, theirs, name, check_dtype=True):
    if isinstance(theirs, (list, tuple)):
        assert isinstance(ours, (list, tuple)) and len(ours) == len(theirs), name
        for a, b in zip(ours, theirs):
            _compare(a, b, name, check_dtype)
        return
    a, b = _np(ours), _np(theirs)
    assert a.shape == b.shape, f"{name}: shape {a.shape} != Keras {b.shape}"
    assert a.dtype == b.dtype or not check_dtype, f"{name}: dtype {a.dtype} != Keras {b.dtype}"
    if a.dtype.kind in "fc":
        np.testing.assert_allclose(a, b, rtol=2e-5, atol=2e-5, err_msg=name)
    else:
        np.testing.assert_array_equal(a, b, err_msg=name)


@pytest.mark.parametrize("name", sorted(CASES))
def test_op_matches_keras(name):
    keras = keras_reference()
    _compare(CASES[name](ck.ops), CASES[name](keras.ops), name, check_dtype=name not in DTYPE_FOLLOWS_TF)


def test_shape_dtype_ndim_size_and_is_tensor():
    x = ck.ops.ones((2, 3))
    assert ck.ops.shape(x) == (2, 3) and ck.ops.ndim(x) == 2 and ck.ops.size(x) == 6
    assert ck.ops.dtype(x) == "float32" and ck.ops.is_tensor(x) and not ck.ops.is_tensor(np.ones(2))
    assert isinstance(ck.ops.convert_to_numpy(x), np.ndarray)


def test_ops_on_symbolic_inputs_build_a_functional_model():
    inputs = ck.Input((4,))
    outputs = ck.ops.mean(ck.ops.square(inputs), axis=-1, keepdims=True)
    model = ck.Model(inputs, outputs)
    np.testing.assert_allclose(_np(model(A)), np.mean(A**2, axis=-1, keepdims=True), rtol=1e-6)


def test_gradients_flow_through_ops_inside_a_tape():
    import capas as tf

    v = tf.Variable(np.array([1.0, 2.0], "float32"))
    with tf.GradientTape() as tape:
        loss = ck.ops.sum(ck.ops.square(v))
    np.testing.assert_allclose(_np(tape.gradient(loss, v)), [2.0, 4.0])


def test_split_into_unequal_sections_says_what_to_do():
    with pytest.raises(ValueError, match="does not divide into 3 equal sections"):
        ck.ops.split(A, 3, axis=1)


def test_top_k_indices_are_int32_as_in_tf():
    values, indices = ck.ops.top_k(A, 2)
    assert indices.dtype == torch.int32 and tuple(values.shape) == (3, 2)


def test_reductions_over_all_axes_keep_dims_as_numpy():
    for fn in (ck.ops.sum, ck.ops.max, ck.ops.min, ck.ops.prod):
        assert tuple(fn(A, keepdims=True).shape) == (1, 1), fn.__name__
    assert tuple(ck.ops.pad(A, 1).shape) == (5, 6)


def test_average_pool_same_excludes_the_padding_as_tf():
    x = np.arange(16, dtype="float32").reshape(1, 4, 4, 1)
    out = _np(ck.ops.average_pool(x, 3, strides=2, padding="same"))
    # TF pads 0 before and 1 after; the last window of each axis averages only the rows/cols it covers.
    assert out[0, 1, 1, 0] == pytest.approx(np.mean(x[0, 2:4, 2:4, 0]))
    assert out[0, 0, 0, 0] == pytest.approx(np.mean(x[0, 0:3, 0:3, 0]))


def test_sparsemax_projects_onto_the_simplex():
    x = np.array([[0.5, -1.0, 0.2, 1.0], [0.1, 0.2, 0.3, 0.4]], "float32")  # row 2 already sums to 1
    out = _np(ck.ops.sparsemax(x))
    np.testing.assert_allclose(out, [[0.25, 0, 0, 0.75], [0.1, 0.2, 0.3, 0.4]], atol=1e-6)
