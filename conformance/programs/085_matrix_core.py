"""Matrix approximation with the Core APIs: tf.linalg.svd, einsum, low-rank image compression.

Source: tensorflow/docs site/en/guide/core/matrix_core.ipynb
Covers: tf.linalg.svd (s, U, V order), tf.linalg.diag, tf.transpose, the @ operator,
tf.einsum with and without '...' batch axes, tf.size, rank-r approximations, an RGB image as a
batch of matrices (tf.transpose with perm), tf.map_fn with tf.cumsum/tf.reduce_sum, tf.argmin,
tf.abs, tf.clip_by_value, tf.norm. (A fixed matrix and a small synthetic image stand in for
tf.random.uniform and the downloaded photo; singular vectors are compared through products,
since their signs are not unique.)
"""
import numpy as np
from _target import report, tf

rng = np.random.default_rng(85)
A = tf.constant(rng.uniform(size=[40, 30]).astype("float32"))
s, U, V = tf.linalg.svd(A)
report("svd_shapes", [s.shape, U.shape, V.shape])
report("s[:5]", s[:5], tol=1e-4)
S = tf.linalg.diag(s)
V_T = tf.transpose(V)
A_svd = U @ S @ V_T
report("A_svd_err", float(tf.reduce_max(tf.abs(A - A_svd))) < 1e-4)
A_svd = tf.einsum('s,us,vs -> uv', s, U, V)
report("A_svd_einsum[:2, :3]", A_svd[:2, :3], tol=1e-4)


def rank_r_approx(s, U, V, r, verbose=False):
    # Compute the matrices necessary for a rank-r approximation
    s_r, U_r, V_r = s[..., :r], U[..., :, :r], V[..., :, :r]  # ... implies any number of extra batch axes
    # Compute the low-rank approximation and its size
    A_r = tf.einsum('...s,...us,...vs->...uv', s_r, U_r, V_r)
    A_r_size = tf.size(U_r) + tf.size(s_r) + tf.size(V_r)
    if verbose:
        report("approx_size", A_r_size)
    return A_r, A_r_size


report("original_size", tf.size(A))
report("size.dtype", tf.size(A).dtype)
s, U, V = tf.linalg.svd(A)
A_15, A_15_size = rank_r_approx(s, U, V, 15, verbose=True)
report("A_15[:2, :4]", A_15[:2, :4], tol=1e-4)
A_3, A_3_size = rank_r_approx(s, U, V, 3, verbose=True)
report("A_3[:2, :4]", A_3[:2, :4], tol=1e-4)
report("max_error_A_3", tf.reduce_max(abs(A - A_3)), tol=1e-4)

h, w = 48, 64
yy, xx = np.mgrid[0:h, 0:w]
img = np.stack([128 + 100 * np.sin(xx / 7.0), 128 + 100 * np.cos(yy / 5.0),
                (xx + yy) * 2 % 256], axis=-1)
img = np.clip(img + rng.normal(0, 10, img.shape), 0, 255).astype("uint8")
I = img
report("I.shape", list(I.shape))


def compress_image(I, r, verbose=False):
    # Compress an image with the SVD given a rank
    I_size = tf.size(I)
    # Compute SVD of image
    I = tf.convert_to_tensor(I) / 255
    I_batched = tf.transpose(I, [2, 0, 1])  # einops.rearrange(I, 'h w c -> c h w')
    s, U, V = tf.linalg.svd(I_batched)
    # Compute low-rank approximation of image across each RGB channel
    I_r, I_r_size = rank_r_approx(s, U, V, r)
    I_r = tf.transpose(I_r, [1, 2, 0])  # einops.rearrange(I_r, 'c h w -> h w c')
    I_r_prop = (I_r_size / I_size)
    if verbose:
        report("compressed", [r, I_r_size, float(I_r_prop)], tol=1e-6)
        report("clipped_range", [tf.reduce_min(tf.clip_by_value(I_r, 0., 1.)),
                                 tf.reduce_max(tf.clip_by_value(I_r, 0., 1.))], tol=1e-4)
        report("error_mean", tf.reduce_mean(tf.clip_by_value(0.5 + abs(I - I_r), 0., 1.)), tol=1e-4)
    return I_r, I_r_prop


I_20, I_20_prop = compress_image(I, 20, verbose=True)
report("I_20.dtype", I_20.dtype)
report("I_20.shape", I_20.shape)
I_5, I_5_prop = compress_image(I, 5, verbose=True)
report("proportion_str", f"{I_5_prop:.3f}")


def compress_image_with_factor(I, compression_factor, verbose=False):
    # Returns a compressed image based on a desired compression factor
    m, n, o = I.shape
    r = int((compression_factor * m * n) / (m + n + 1))
    I_r, I_r_prop = compress_image(I, r, verbose=verbose)
    return I_r


I_r_img = compress_image_with_factor(I, 0.15, verbose=True)

I_rescaled = tf.convert_to_tensor(I) / 255
I_batched = tf.transpose(I_rescaled, [2, 0, 1])
s, U, V = tf.linalg.svd(I_batched)
props_rgb = tf.map_fn(lambda x: tf.cumsum(x) / tf.reduce_sum(x), s)
props_rgb_mean = tf.reduce_mean(props_rgb, axis=0)
report("props_rgb.shape", props_rgb.shape)
report("props_rgb_mean[:5]", props_rgb_mean[:5], tol=1e-4)
energy_factor = 0.75
r = tf.argmin(tf.abs(props_rgb_mean - energy_factor)) + 1
report("r", r)
report("r.dtype", r.dtype)
actual_ef = props_rgb_mean[r]
report("actual_ef", actual_ef, tol=1e-4)
I_r, I_r_prop = compress_image(I, r)
report("energy_prop", float(I_r_prop), tol=1e-6)

s, U, V = tf.linalg.svd(A)
A_10, A_10_size = rank_r_approx(s, U, V, 10)
squared_norm = tf.norm(A - A_10) ** 2
s_squared_sum = tf.reduce_sum(s[10:] ** 2)
report("squared_norm", squared_norm, tol=1e-3)
report("s_squared_sum", s_squared_sum, tol=1e-3)
report("formatted", [f"{squared_norm:.3f}", f"{s_squared_sum:.3f}"])
