"""tf.nn cases (transposed/depthwise convolutions, pooling 3-d, CTC, small ops) run by TF (record.py) and capas (tests/ops/test_nn_tfcore2.py)."""

import numpy as np


def _out(value):
    if isinstance(value, (list, tuple)):
        return [_out(v) for v in value]
    if value is None:
        return None
    a = np.asarray(value)
    return {"value": np.round(a.astype("float64"), 6).tolist(), "dtype": str(a.dtype), "shape": list(a.shape)}


def _r(*shape, seed=0):
    return np.random.default_rng(seed + sum(shape)).normal(size=shape).astype("float32")


def convs(tf):
    out = {}
    x2 = tf.constant(_r(2, 3, 4, 3))
    w2 = tf.constant(_r(3, 3, 5, 3))  # [kh, kw, out, in]
    for stride in (1, 2, 3):
        for padding in ("SAME", "VALID"):
            size_h = 3 * stride if padding == "SAME" else (3 - 1) * stride + 3
            size_w = 4 * stride if padding == "SAME" else (4 - 1) * stride + 3
            out[f"conv2d_t_s{stride}_{padding}"] = tf.nn.conv2d_transpose(
                x2, w2, [2, size_h, size_w, 5], stride, padding
            )
    out["conv2d_t_odd"] = tf.nn.conv2d_transpose(x2, w2, [2, 5, 7, 5], 2, "SAME")
    out["conv2d_t_valid_extra"] = tf.nn.conv2d_transpose(x2, w2, [2, 8, 10, 5], 2, "VALID")
    out["conv2d_t_strides_hw"] = tf.nn.conv2d_transpose(x2, w2, [2, 6, 4, 5], [1, 2, 1, 1], "SAME")
    x1 = tf.constant(_r(2, 5, 3))
    w1 = tf.constant(_r(4, 2, 3))
    out["conv1d_t"] = tf.nn.conv1d_transpose(x1, w1, [2, 10, 2], 2, "SAME")
    out["conv1d_t_dilated"] = tf.nn.conv1d_transpose(x1, w1, [2, 11, 2], 1, "VALID", dilations=2)
    x3 = tf.constant(_r(1, 2, 3, 2, 2))
    w3 = tf.constant(_r(2, 2, 2, 3, 2))
    out["conv3d_t"] = tf.nn.conv3d_transpose(x3, w3, [1, 4, 6, 4, 3], 2, "SAME")
    out["conv_transpose"] = tf.nn.conv_transpose(x2, w2, [2, 6, 8, 5], 2)
    image = tf.constant(_r(2, 7, 6, 3))
    dw = tf.constant(_r(3, 3, 3, 2))
    out["depthwise"] = tf.nn.depthwise_conv2d(image, dw, [1, 1, 1, 1], "SAME")
    out["depthwise_s2_valid"] = tf.nn.depthwise_conv2d(image, dw, [1, 2, 2, 1], "VALID")
    out["depthwise_dilated"] = tf.nn.depthwise_conv2d(image, dw, [1, 1, 1, 1], "SAME", dilations=[2, 2])
    out["separable"] = tf.nn.separable_conv2d(image, dw, tf.constant(_r(1, 1, 6, 4)), [1, 1, 1, 1], "SAME")
    out["atrous"] = tf.nn.atrous_conv2d(image, tf.constant(_r(3, 3, 3, 4)), 2, "SAME")
    out["atrous_transpose"] = tf.nn.atrous_conv2d_transpose(x2, w2, [2, 3, 4, 5], 2, "SAME")
    out["atrous_transpose_valid"] = tf.nn.atrous_conv2d_transpose(x2, w2, [2, 7, 8, 5], 2, "VALID")
    dy = tf.constant(_r(2, 4, 3, 6))
    out["depthwise_backprop_input"] = tf.nn.depthwise_conv2d_backprop_input([2, 7, 6, 3], dw, dy, [1, 2, 2, 1], "SAME")
    out["depthwise_backprop_filter"] = tf.nn.depthwise_conv2d_backprop_filter(
        image, [3, 3, 3, 2], dy, [1, 2, 2, 1], "SAME"
    )
    vol = tf.constant(_r(2, 5, 4, 6, 3))
    out["avg_pool3d"] = tf.nn.avg_pool3d(vol, 2, 2, "SAME")
    out["max_pool3d"] = tf.nn.max_pool3d(vol, [1, 3, 2, 2, 1], [1, 2, 1, 2, 1], "VALID")
    depth = tf.reshape(tf.range(2 * 2 * 3 * 12, dtype=tf.float32), [2, 2, 3, 12])
    out["depth_to_space"] = tf.nn.depth_to_space(depth, 2)
    out["space_to_depth"] = tf.nn.space_to_depth(tf.reshape(tf.range(2 * 4 * 6 * 3), [2, 4, 6, 3]), 2)
    out["space_to_depth_3"] = tf.nn.space_to_depth(tf.reshape(tf.range(6 * 6 * 2), [1, 6, 6, 2]), 3)
    return {k: _out(v) for k, v in out.items()}


def small(tf):
    x = tf.constant(_r(3, 4, 7))
    preds = tf.constant([[0.1, 0.5, 0.5, 0.2], [0.3, 0.3, 0.3, 0.1], [np.inf, 0.0, 1.0, 2.0], [0.0, 0.1, np.nan, 0.2]])
    targets = tf.constant(np.abs(_r(3, 5)) * 3)
    log_input = tf.constant(_r(3, 5, seed=1))
    counts, mean_ss, var_ss, shift = tf.nn.sufficient_statistics(x, [0, 1])
    counts_s, mean_ss_s, var_ss_s, shift_s = tf.nn.sufficient_statistics(x, [2], shift=0.5, keepdims=True)
    weights = tf.constant(np.abs(_r(3, 4, 1, seed=2)))
    out = {
        "crelu": tf.nn.crelu(x),
        "crelu_axis0": tf.nn.crelu(x, axis=0),
        "lrn": tf.nn.local_response_normalization(tf.reshape(x, [1, 3, 4, 7])),
        "lrn_args": tf.nn.lrn(tf.reshape(x, [3, 4, 1, 7]), depth_radius=2, bias=2.0, alpha=0.5, beta=0.75),
        "log_poisson": tf.nn.log_poisson_loss(targets, log_input),
        "log_poisson_full": tf.nn.log_poisson_loss(targets, log_input, compute_full_loss=True),
        "in_top_k_1": tf.nn.in_top_k(tf.constant([1, 0, 0, 3]), preds, 1),
        "in_top_k_2": tf.nn.in_top_k(tf.constant([2, 3, 3, 2]), preds, 2),
        "sufficient": [counts, mean_ss, var_ss],
        "sufficient_shift": [counts_s, mean_ss_s, var_ss_s, shift_s],
        "normalize": tf.nn.normalize_moments(counts, mean_ss, var_ss, None),
        "normalize_shift": tf.nn.normalize_moments(counts_s, mean_ss_s, var_ss_s, shift_s),
        "weighted": tf.nn.weighted_moments(x, [0, 2], weights),
        "weighted_keepdims": tf.nn.weighted_moments(x, [1], weights, keepdims=True),
        "zero_fraction": tf.nn.zero_fraction(tf.constant([[0.0, 1.0, 0.0], [2.0, 0.0, 3.0]])),
        "zero_fraction_int": tf.nn.zero_fraction(tf.constant([0, 1, 2, 0])),
    }
    return {k: _out(v) for k, v in out.items()}


def ctc(tf):
    rng = np.random.default_rng(5)
    logits = tf.constant(rng.normal(size=(8, 3, 5)).astype("float32"))
    labels = tf.constant([[1, 2, 2, 0], [3, 1, 0, 0], [4, 4, 4, 1]])
    label_length = tf.constant([3, 2, 4])
    logit_length = tf.constant([8, 6, 8])
    out = {
        "loss": tf.nn.ctc_loss(labels, logits, label_length, logit_length),
        "loss_batch_major": tf.nn.ctc_loss(
            labels, tf.transpose(logits, [1, 0, 2]), label_length, logit_length, logits_time_major=False
        ),
        "loss_blank_last": tf.nn.ctc_loss(
            tf.constant([[1, 2, 2, 0], [3, 1, 0, 0], [0, 3, 3, 1]]), logits, label_length, logit_length, blank_index=-1
        ),
    }
    with tf.GradientTape() as tape:
        tape.watch(logits)
        loss = tf.reduce_sum(tf.nn.ctc_loss(labels, logits, label_length, logit_length))
    out["loss_grad"] = tape.gradient(loss, logits)
    decoded, neg = tf.nn.ctc_greedy_decoder(logits, tf.constant([8, 6, 8]))
    decoded_all, _ = tf.nn.ctc_greedy_decoder(logits, tf.constant([8, 6, 8]), merge_repeated=False)
    decoded_b0, _ = tf.nn.ctc_greedy_decoder(logits, tf.constant([8, 6, 8]), blank_index=0)
    result = {k: _out(v) for k, v in out.items()}
    for name, d in (("greedy", decoded), ("greedy_no_merge", decoded_all), ("greedy_blank0", decoded_b0)):
        result[name] = {
            "indices": np.asarray(d[0].indices).tolist(),
            "values": np.asarray(d[0].values).tolist(),
            "dense_shape": np.asarray(d[0].dense_shape).tolist(),
        }
    result["greedy_neg_sum"] = _out(neg)
    return result


def gradients(tf):
    x = tf.Variable(_r(1, 3, 3, 2))
    w = tf.Variable(_r(3, 3, 4, 2))
    dw = tf.Variable(_r(3, 3, 2, 2))
    out = {}
    with tf.GradientTape(persistent=True) as tape:
        y = tf.reduce_sum(tf.nn.conv2d_transpose(x, w, [1, 6, 6, 4], 2) ** 2)
        z = tf.reduce_sum(tf.nn.depthwise_conv2d(x, dw, [1, 1, 1, 1], "SAME") ** 2)
        s = tf.reduce_sum(
            tf.nn.depth_to_space(tf.nn.crelu(x), 2) * tf.reshape(tf.range(36, dtype=tf.float32), [1, 6, 6, 1])
        )
    out["conv2d_t_dx"], out["conv2d_t_dw"] = tape.gradient(y, [x, w])
    out["depthwise_dx"], out["depthwise_dw"] = tape.gradient(z, [x, dw])
    out["depth_to_space_dx"] = tape.gradient(s, x)
    return {k: _out(v) for k, v in out.items()}


def pools(tf):
    img = tf.constant(_r(2, 7, 6, 3))
    ties = tf.constant(np.array([[1, 3, 3], [3, 2, 0], [1, 1, 1]], "float32").reshape(1, 3, 3, 1))
    out = {}
    for padding in ("SAME", "VALID"):
        values, argmax = tf.nn.max_pool_with_argmax(img, 3, 2, padding)
        out[f"argmax_{padding}"] = [values, argmax]
    out["argmax_batch"] = list(tf.nn.max_pool_with_argmax(img, 2, 2, "SAME", include_batch_in_index=True))
    out["argmax_ties"] = list(tf.nn.max_pool_with_argmax(ties, 2, 1, "VALID"))
    filters = tf.constant(_r(3, 2, 3, seed=3))
    for padding in ("SAME", "VALID"):
        out[f"dilation_{padding}"] = tf.nn.dilation2d(img, filters, [1, 1, 1, 1], padding, "NHWC", [1, 1, 1, 1])
        out[f"erosion_{padding}"] = tf.nn.erosion2d(img, filters, [1, 2, 1, 1], padding, "NHWC", [1, 1, 2, 1])
    out["dilation_strided_dilated"] = tf.nn.dilation2d(img, filters, [1, 2, 2, 1], "SAME", "NHWC", [1, 2, 1, 1])
    out["pool_max"] = tf.nn.pool(img, [2, 3], "MAX", strides=[2, 1], padding="SAME")
    out["pool_avg"] = tf.nn.pool(img, [3, 3], "AVG", padding="SAME")
    out["space_to_batch"] = tf.nn.space_to_batch(
        tf.reshape(tf.range(2 * 4 * 3 * 2), [2, 4, 3, 2]), [2, 2], [[0, 0], [1, 0]]
    )
    out["space_to_batch_1d"] = tf.nn.space_to_batch(tf.reshape(tf.range(10), [2, 5]), [3], [[1, 0]])
    scores = tf.constant(_r(3, 8))
    out["approx_max_k"] = list(tf.nn.approx_max_k(scores, 3))
    x = tf.constant(_r(4, 3))
    m, v, b, g = (tf.constant(_r(3, seed=s)) for s in (4, 5, 6, 7))
    v = tf.abs(v)
    out["bn_global"] = tf.nn.batch_norm_with_global_normalization(x, m, v, b, g, 0.001, True)
    out["bn_global_noscale"] = tf.nn.batch_norm_with_global_normalization(x, m, v, b, g, 0.001, False)
    out["collapse"] = list(
        tf.nn.collapse_repeated(
            tf.constant([[1, 1, 2, 2, 3], [4, 4, 4, 0, 0], [5, 6, 6, 5, 5]]), tf.constant([5, 3, 4])
        )
    )
    return {k: _out(v) for k, v in out.items()}


def embeddings(tf):
    params = tf.constant(_r(6, 3, seed=9))
    ids = tf.sparse.SparseTensor(
        [[0, 0], [0, 1], [1, 0], [3, 0], [3, 2]], tf.constant([1, 4, 2, 5, 1], tf.int64), [5, 3]
    )
    weights = tf.sparse.SparseTensor([[0, 0], [0, 1], [1, 0], [3, 0], [3, 2]], [2.0, 0.5, 1.0, 3.0, -1.0], [5, 3])
    bad = tf.sparse.SparseTensor([[0, 0], [0, 1], [2, 0], [2, 1]], tf.constant([1, -1, 3, 2], tf.int64), [3, 2])
    bad_w = tf.sparse.SparseTensor([[0, 0], [0, 1], [2, 0], [2, 1]], [1.0, 1.0, 0.0, 2.0], [3, 2])
    deep = tf.sparse.SparseTensor([[0, 0, 0], [1, 1, 0], [1, 1, 1]], tf.constant([0, 2, 3], tf.int64), [2, 2, 2])
    out = {}
    for combiner in ("sum", "mean", "sqrtn"):
        out[f"lookup_{combiner}"] = tf.nn.embedding_lookup_sparse(params, ids, None, combiner=combiner)
        out[f"lookup_{combiner}_weighted"] = tf.nn.embedding_lookup_sparse(params, ids, weights, combiner=combiner)
        out[f"safe_{combiner}"] = tf.nn.safe_embedding_lookup_sparse(params, bad, bad_w, combiner=combiner)
    out["lookup_max_norm"] = tf.nn.embedding_lookup_sparse(params, ids, None, max_norm=0.5)
    out["safe_default"] = tf.nn.safe_embedding_lookup_sparse(params, bad, None, default_id=4)
    out["safe_deep"] = tf.nn.safe_embedding_lookup_sparse(params, deep, None, combiner="sum")
    return {k: _out(v) for k, v in out.items()}


CASES = {"convs": convs, "small": small, "ctc": ctc, "gradients": gradients, "pools": pools, "embeddings": embeddings}
