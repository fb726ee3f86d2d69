"""The rest of tf.image, run unchanged by TensorFlow (record.py) and capas (tests/test_tfimage2.py).

Deterministic ops report values; random ops only shapes, dtypes, ranges and seed-determinism.
"""

import numpy as np


def _rng(seed=7):
    return np.random.default_rng(seed)


def _v(t):
    return np.asarray(t).astype("float64").round(5).tolist()


def _dt(t):
    return str(t.dtype.name if hasattr(t.dtype, "name") else t.dtype).replace("torch.", "")


def _rec(v):
    return {"shape": list(np.asarray(v).shape), "dtype": _dt(v), "values": _v(v)}


def deterministic(tf):
    rng = _rng()
    img = rng.uniform(size=(5, 6, 3)).astype("float32")
    x = tf.constant(img)
    batch = tf.constant(rng.uniform(size=(2, 6, 7, 3)).astype("float32"))
    noisy = tf.constant(np.clip(np.asarray(batch) + rng.normal(0, 0.1, size=(2, 6, 7, 3)), 0, 1).astype("float32"))
    big = rng.uniform(size=(1, 24, 20, 2)).astype("float32")
    big_noisy = np.clip(big + rng.normal(0, 0.2, size=big.shape), 0, 1).astype("float32")
    smooth = np.cumsum(np.cumsum(rng.uniform(size=(1, 180, 183, 3)), 1), 2)
    smooth = (smooth / smooth.max()).astype("float32")
    smooth_noisy = np.clip(smooth + rng.normal(0, 0.05, size=smooth.shape), 0, 1).astype("float32")
    u8 = tf.constant((img * 255).astype("uint8"))
    u8b = tf.constant((np.clip(img + 0.05, 0, 1) * 255).astype("uint8"))
    grid = tf.reshape(tf.range(2 * 7 * 8 * 2, dtype=tf.float32), [2, 7, 8, 2])
    boxes = tf.constant([[0.1, 0.2, 0.8, 0.9], [0.0, 0.0, 1.0, 1.0], [0.5, 0.5, 0.5, 0.5], [-0.2, 0.3, 0.6, 1.3]])
    dy, dx = tf.image.image_gradients(batch)
    out = {
        "rgb_to_yiq": tf.image.rgb_to_yiq(x),
        "yiq_to_rgb": tf.image.yiq_to_rgb(x),
        "rgb_to_yuv": tf.image.rgb_to_yuv(x),
        "yuv_to_rgb": tf.image.yuv_to_rgb(x),
        "adjust_hue": tf.image.adjust_hue(x, 0.2),
        "adjust_hue_neg": tf.image.adjust_hue(batch, -0.7),
        "adjust_hue_uint8": tf.image.adjust_hue(u8, 0.3),
        "sobel_edges": tf.image.sobel_edges(batch),
        "image_gradients_dy": dy,
        "image_gradients_dx": dx,
        "total_variation": tf.image.total_variation(x),
        "total_variation_batch": tf.image.total_variation(batch),
        "psnr": tf.image.psnr(batch, noisy, max_val=1.0),
        "psnr_uint8": tf.image.psnr(u8, u8b, max_val=255),
        "ssim": tf.image.ssim(tf.constant(big), tf.constant(big_noisy), max_val=1.0),
        "ssim_filter5": tf.image.ssim(batch, noisy, max_val=1.0, filter_size=5, filter_sigma=1.0),
        "ssim_uint8": tf.image.ssim(
            tf.constant((big * 255).astype("uint8")), tf.constant((big_noisy * 255).astype("uint8")), 255
        ),
        "ssim_multiscale": tf.image.ssim_multiscale(tf.constant(smooth), tf.constant(smooth_noisy), max_val=1.0),
        "ssim_multiscale_3": tf.image.ssim_multiscale(
            tf.constant(big), tf.constant(big_noisy), 1.0, power_factors=(0.3, 0.3, 0.4), filter_size=3
        ),
        "extract_patches_valid": tf.image.extract_patches(grid, [1, 3, 2, 1], [1, 2, 3, 1], [1, 1, 1, 1], "VALID"),
        "extract_patches_same": tf.image.extract_patches(grid, [1, 3, 3, 1], [1, 2, 2, 1], [1, 1, 1, 1], "SAME"),
        "extract_patches_rates": tf.image.extract_patches(grid, [1, 2, 2, 1], [1, 1, 2, 1], [1, 2, 3, 1], "SAME"),
        "crop_and_resize": tf.image.crop_and_resize(grid, boxes, [0, 1, 1, 0], [4, 5]),
        "crop_and_resize_nearest": tf.image.crop_and_resize(
            grid, boxes, [1, 0, 0, 1], [3, 3], method="nearest", extrapolation_value=-1.0
        ),
        "crop_and_resize_1x1": tf.image.crop_and_resize(grid, boxes, [0, 0, 1, 1], [1, 1]),
        "resize_with_pad_wide": tf.image.resize_with_pad(x, 8, 4),
        "resize_with_pad_tall": tf.image.resize_with_pad(batch, 5, 12),
        "resize_with_pad_nearest": tf.image.resize_with_pad(u8, 7, 7, method=tf.image.ResizeMethod.NEAREST_NEIGHBOR),
        "draw_bounding_boxes": tf.image.draw_bounding_boxes(
            tf.zeros([2, 6, 7, 3]),
            tf.constant([[[0.1, 0.2, 0.8, 0.9], [-0.2, 0.3, 0.6, 1.3]], [[0.0, 0.0, 1.0, 1.0], [0.9, 0.5, 0.2, 0.7]]]),
            tf.constant([[1.0, 0.5, 0.25, 1.0], [0.0, 1.0, 0.0, 1.0]]),
        ),
        "draw_bounding_boxes_default_colors": tf.image.draw_bounding_boxes(
            tf.zeros([1, 5, 5, 4]), tf.constant([[[0.0, 0.0, 0.5, 0.5], [0.25, 0.25, 1.0, 1.0]]]), None
        ),
    }
    res = {k: _rec(v) for k, v in out.items()}
    res["resize_method_names"] = sorted(n for n in dir(tf.image.ResizeMethod) if n.isupper())
    res["resize_method_values"] = [
        getattr(tf.image.ResizeMethod, n) for n in sorted(dir(tf.image.ResizeMethod)) if n.isupper()
    ]
    return res


def nms(tf):
    rng = _rng(11)
    centers = rng.uniform(0, 1, size=(30, 2))
    sizes = rng.uniform(0.1, 0.4, size=(30, 2))
    boxes_np = np.concatenate([centers - sizes / 2, centers + sizes / 2], 1).astype("float32")
    boxes_np[3] = boxes_np[3][[2, 3, 0, 1]]  # flipped corners
    scores_np = rng.permutation(30).astype("float32") / 30 + 0.01
    boxes, scores = tf.constant(boxes_np), tf.constant(scores_np)
    over = tf.constant(rng.uniform(size=(30, 30)).astype("float32"))
    sel_s = tf.image.non_max_suppression_with_scores(boxes, scores, 10, 0.4, 0.1)
    soft = tf.image.non_max_suppression_with_scores(boxes, scores, 12, 1.0, 0.05, soft_nms_sigma=0.5)
    pad = tf.image.non_max_suppression_padded(boxes, scores, 20, 0.3, 0.5, pad_to_max_output_size=True)
    bboxes = tf.constant(boxes_np.reshape(2, 15, 1, 4))
    bscores = tf.constant(rng.permutation(90).astype("float32").reshape(2, 15, 3) / 90)
    comb = tf.image.combined_non_max_suppression(bboxes, bscores, 4, 9, 0.5, 0.2)
    tie_boxes = tf.constant(
        [[0, 0, 1, 1], [0, 0.05, 1, 1.05], [0, 0.1, 1, 1.1], [2, 2, 3, 3], [2, 2.1, 3, 3.1], [5, 5, 6, 6]], tf.float32
    )
    tie_scores = tf.constant([0.5, 0.5, 0.5, 0.7, 0.7, 0.5])
    tie_soft = tf.image.non_max_suppression_with_scores(tie_boxes, tie_scores, 6, 0.5, soft_nms_sigma=0.3)
    out = {
        "nms_ties": tf.image.non_max_suppression(tie_boxes, tie_scores, 6, 0.5),
        "soft_nms_ties_idx": tie_soft[0],
        "soft_nms_ties_scores": tie_soft[1],
        "soft_nms_threshold_ignored": tf.image.non_max_suppression_with_scores(
            boxes, scores, 30, 0.1, 0.2, soft_nms_sigma=0.2
        )[0],
        "nms": tf.image.non_max_suppression(boxes, scores, 10, 0.5),
        "nms_threshold": tf.image.non_max_suppression(boxes, scores, 30, 0.2, score_threshold=0.3),
        "nms_with_scores_idx": sel_s[0],
        "nms_with_scores_scores": sel_s[1],
        "soft_nms_idx": soft[0],
        "soft_nms_scores": soft[1],
        "nms_overlaps": tf.image.non_max_suppression_overlaps(over, scores, 8, 0.7, 0.2),
        "nms_padded_idx": pad[0],
        "nms_padded_valid": pad[1],
        "combined_boxes": comb[0],
        "combined_scores": comb[1],
        "combined_classes": comb[2],
        "combined_valid": comb[3],
    }
    return {k: _rec(v) for k, v in out.items()}


def random(tf):
    rng = _rng(3)
    img = rng.uniform(size=(6, 5, 3)).astype("float32")
    x = tf.constant(img)
    tf.random.set_seed(4)
    out = {
        "random_hue": tf.image.random_hue(x, 0.2, seed=1),
        "stateless_random_hue": tf.image.stateless_random_hue(x, 0.2, seed=(1, 2)),
        "random_jpeg_quality": tf.image.random_jpeg_quality(x, 30, 90, seed=1),
        "stateless_random_jpeg_quality": tf.image.stateless_random_jpeg_quality(
            tf.constant((img * 255).astype("uint8")), 30, 90, seed=(1, 2)
        ),
    }
    res = {k: {"shape": list(v.shape), "dtype": _dt(v)} for k, v in out.items()}
    # the drawn hue delta lies in [-0.2, 0.2]: the result is adjust_hue by some such delta
    hue = np.asarray(out["stateless_random_hue"])
    res["hue_is_some_adjust_hue"] = any(
        np.allclose(hue, np.asarray(tf.image.adjust_hue(x, d)), atol=1e-3) for d in np.linspace(-0.2, 0.2, 4001)
    )
    a = np.asarray(tf.image.stateless_random_hue(x, 0.2, seed=(1, 2)))
    res["stateless_hue_repeatable"] = bool(np.array_equal(a, hue))
    jq = np.asarray(out["random_jpeg_quality"])
    res["jpeg_in_range"] = bool(jq.min() >= 0 and jq.max() <= 1)
    smooth = np.broadcast_to(np.linspace(0, 1, 16, dtype="float32")[:, None, None], (16, 16, 3)).copy()
    sq = np.asarray(tf.image.stateless_random_jpeg_quality(tf.constant(smooth), 70, 95, seed=(3, 4)))
    res["jpeg_of_a_smooth_image_is_close"] = bool(np.abs(sq - smooth).max() < 0.05)
    return res


def _crop_ok(begin, size, box, hw, boxes, min_cover, aspect, area):
    (y, x, _), (h, w, last) = np.asarray(begin).tolist(), np.asarray(size).tolist()
    H, W = hw
    whole = (y, x, h, w) == (0, 0, H, W)
    inside = y >= 0 and x >= 0 and y + h <= H and x + w <= W and last == -1
    box_ok = np.allclose(np.asarray(box).reshape(-1), [y / H, x / W, (y + h) / H, (x + w) / W], atol=1e-6)
    ratio_ok = aspect[0] - 0.05 <= w / h <= aspect[1] + 0.05 and area[0] - 1e-6 <= w * h / (H * W) <= area[1] + 1e-6
    cover = max(
        max(0, min(b[3] * W, x + w) - max(b[1] * W, x))
        * max(0, min(b[2] * H, y + h) - max(b[0] * H, y))
        / ((b[3] - b[1]) * W * (b[2] - b[0]) * H)
        for b in boxes
    )
    return bool(inside and box_ok and (whole or (ratio_ok and cover >= min_cover - 0.02)))


def boxes(tf):
    """extract_glimpse (noise='zero': deterministic), crop sampling properties, more NMS forms, JPEG quality."""
    x = tf.reshape(tf.range(2 * 9 * 10 * 2, dtype=tf.float32), [2, 9, 10, 2])
    res = {}
    for i, kw in enumerate(
        [{}, {"centered": False, "normalized": False}, {"centered": False, "normalized": True},
         {"centered": True, "normalized": False}]
    ):  # fmt: skip
        offs = [[0.1, -0.3], [0.35, 0.2]] if kw.get("normalized", True) else [[3.3, -2.5], [4.5, 1.7]]
        res[f"glimpse_{i}"] = _rec(tf.image.extract_glimpse(x, [3, 4], offs, noise="zero", **kw))
    inside = tf.image.extract_glimpse(x, [2, 2], [[0.0, 0.0], [0.1, 0.1]])  # uniform noise unused: inside
    res["glimpse_inside_uniform"] = _rec(inside)
    gb = [[[0.1, 0.2, 0.5, 0.6], [0.3, 0.3, 0.9, 0.8]]]
    oks, whole = [], 0
    for seed in range(1, 31):
        b, s, bb = tf.image.stateless_sample_distorted_bounding_box(
            [40, 60, 3], gb, seed=[seed, 3], min_object_covered=0.5, aspect_ratio_range=(0.5, 2.0),
            area_range=(0.1, 0.8))  # fmt: skip
        oks.append(_crop_ok(b, s, bb, (40, 60), gb[0], 0.5, (0.5, 2.0), (0.1, 0.8)))
        whole += int(np.asarray(s).tolist()[:2] == [40, 60])
    b, s, bb = tf.image.sample_distorted_bounding_box([40, 60, 3], gb, seed=5)
    res["sample_distorted_bounding_box"] = {
        "structure": [_sd(t) for t in (b, s, bb)], "all_ok": all(oks), "mostly_not_whole": whole < 10,
        "stateless_repeat": _eq(tf.image.stateless_sample_distorted_bounding_box([40, 60, 3], gb, seed=[1, 2])[0],
                                tf.image.stateless_sample_distorted_bounding_box([40, 60, 3], gb, seed=[1, 2])[0]),
        "impossible_gives_whole_image": [np.asarray(t).tolist() for t in tf.image.stateless_sample_distorted_bounding_box(
            [40, 60, 3], [[[0.0, 0.0, 0.01, 0.01]]], seed=[1, 2], min_object_covered=1.0, area_range=(0.9, 1.0))[:2]],
        "no_boxes_whole_image": _crop_ok(*tf.image.stateless_sample_distorted_bounding_box(
            [40, 60, 3], tf.zeros([1, 0, 4]), seed=[4, 5], use_image_if_no_bounding_boxes=True),
            (40, 60), [[0.0, 0.0, 1.0, 1.0]], 0.1, (0.75, 1.33), (0.05, 1.0)),
    }  # fmt: skip
    rng = _rng(5)
    bx = rng.uniform(-0.1, 1.1, size=(2, 12, 3, 4)).astype("float32")
    bx = np.concatenate([np.minimum(bx[..., :2], bx[..., 2:]), np.maximum(bx[..., :2], bx[..., 2:])], -1)
    sc = (rng.permutation(72).astype("float32") / 72).reshape(2, 12, 3)
    for name, kw in {"per_class_boxes": {}, "pad_per_class": {"pad_per_class": True},
                     "no_clip": {"clip_boxes": False}}.items():  # fmt: skip
        out = tf.image.combined_non_max_suppression(tf.constant(bx), tf.constant(sc), 3, 20, 0.3, 0.25, **kw)
        res[f"combined_{name}"] = [_rec(t) for t in out]
    img = rng.uniform(size=(16, 16, 3))
    smooth = (np.cumsum(np.cumsum(img, 0), 1) / np.cumsum(np.cumsum(img, 0), 1).max() * 255).astype("uint8")
    res["adjust_jpeg_quality_uint8"] = _rec(tf.image.adjust_jpeg_quality(tf.constant(smooth), 60))
    res["adjust_jpeg_quality_float"] = _rec(tf.image.adjust_jpeg_quality(tf.constant(smooth / 255.0, tf.float32), 90))
    return res


CASES = {"deterministic": deterministic, "nms": nms, "random": random, "boxes": boxes}


def _sd(t):
    return {"shape": list(t.shape), "dtype": _dt(t)}


def _eq(a, b):
    return bool(np.array_equal(np.asarray(a), np.asarray(b)))


def _tries_consistent(plain, uniq, num_sampled):
    """With unique=True TF reports 1 - (1 - p)**tries (p*num_sampled when no draw repeated): one `tries` for all."""
    p = np.asarray(plain.true_expected_count, dtype="float64") / num_sampled
    e = np.asarray(uniq.true_expected_count, dtype="float64")
    if np.allclose(e, p * num_sampled, rtol=1e-5):
        return True
    if not np.all(e[p == 0] == 0):
        return False
    tries = np.log1p(-e[p > 0]) / np.log1p(-p[p > 0])
    return bool(np.allclose(tries, np.round(tries[0]), atol=1e-2) and tries[0] > num_sampled - 0.01)


def tfrandom(tf):
    """tf.random: TF's structure, dtypes, ranges, statistics and the deterministic values it defines."""
    res = {"algorithm": [[a.name, a.value] for a in tf.random.Algorithm]}
    res["create_rng_state"] = {
        f"{seed}-{alg}": _v(tf.random.create_rng_state(seed, alg))
        for seed, alg in [(1234, "philox"), (1234, "threefry"), (1234, "auto_select"), (2**70 + 5, "philox"),
                          (-1, "threefry"), (3, 1), (3, tf.random.Algorithm.THREEFRY)]
    }  # fmt: skip
    res["create_rng_state_list"] = _v(tf.random.create_rng_state([1, 2], "philox"))
    res["create_rng_state_dtype"] = _dt(tf.random.create_rng_state(7, "philox"))
    f = tf.random.fold_in([1, 2], 7)
    f64 = tf.random.fold_in(tf.constant([1, 2], tf.int64), tf.constant(7, tf.int64))
    res["fold_in"] = {**_sd(f), "data": int(f[1]), "repeat": _eq(f, tf.random.fold_in([1, 2], 7)),
                      "first_from_seed_only": _eq(f[0], tf.random.fold_in([1, 2], 8)[0]), "int64": _sd(f64)}  # fmt: skip
    s = tf.random.split([1, 2], 3)
    res["split"] = {**_sd(s), "repeat": _eq(s, tf.random.split([1, 2], 3)), "default": _sd(tf.random.split([1, 2])),
                    "int64": _sd(tf.random.split(tf.constant([1, 2], tf.int64))), "distinct": len({tuple(r) for r in np.asarray(s).tolist()}) == 3}  # fmt: skip
    tf.random.set_seed(3)
    g = tf.random.gamma([20000, 2], alpha=[0.5, 3.0], beta=[[1.0], [2.0]][0], seed=1)
    g2 = tf.random.gamma([3, 2], alpha=[0.5, 1.5], beta=[[1.0], [2.0], [3.0]], seed=1)
    p = tf.random.poisson([20000], lam=[1.0, 5.0], seed=2)
    res["gamma"] = {**_sd(g), "broadcast": _sd(g2), "f64": _dt(tf.random.gamma([2], 2.0, dtype=tf.float64)),
                    "positive": bool(np.all(np.asarray(g) > 0)),
                    "mean_close": bool(np.allclose(np.asarray(g).mean(0), [0.5, 3.0], rtol=0.05))}  # fmt: skip
    pn = np.asarray(p)
    res["poisson"] = {**_sd(p), "int32": _dt(tf.random.poisson([3], [1.0], dtype=tf.int32)),
                      "integral": bool(np.all(pn == np.round(pn)) and pn.min() >= 0),
                      "mean_close": bool(np.allclose(pn.mean(0), [1.0, 5.0], rtol=0.05))}  # fmt: skip
    sg = tf.random.stateless_gamma([20000, 2], seed=[1, 2], alpha=[0.5, 3.0], beta=2.0)
    sp = tf.random.stateless_poisson([20000, 2], seed=[1, 2], lam=[0.5, 4.0])
    sb = tf.random.stateless_binomial([20000, 2], seed=[1, 2], counts=[3, 10], probs=[0.5, 0.2])
    st = tf.random.stateless_parameterized_truncated_normal([20000, 2], [1, 2], means=[0.0, 5.0], stddevs=[1.0, 2.0],
                                                            minvals=[-0.5, 4.0], maxvals=[1.0, 20.0])  # fmt: skip
    sgn, spn, sbn, stn = (np.asarray(t) for t in (sg, sp, sb, st))
    res["stateless_gamma"] = {**_sd(sg), "repeat": _eq(sg, tf.random.stateless_gamma([20000, 2], [1, 2], [0.5, 3.0], 2.0)),
                              "mean_close": bool(np.allclose(sgn.mean(0), [0.25, 1.5], rtol=0.05)),
                              "f64": _dt(tf.random.stateless_gamma([2], [1, 2], 1.0, dtype=tf.float64))}  # fmt: skip
    res["stateless_poisson"] = {**_sd(sp), "repeat": _eq(sp, tf.random.stateless_poisson([20000, 2], [1, 2], [0.5, 4.0])),
                                "mean_close": bool(np.allclose(spn.mean(0), [0.5, 4.0], rtol=0.05)),
                                "float": _dt(tf.random.stateless_poisson([2], [1, 2], 1.0, dtype=tf.float32))}  # fmt: skip
    res["stateless_binomial"] = {**_sd(sb), "bounded": bool(sbn.min() >= 0 and np.all(sbn <= [3, 10])),
                                 "mean_close": bool(np.allclose(sbn.mean(0), [1.5, 2.0], rtol=0.05)),
                                 "int64": _dt(tf.random.stateless_binomial([2], [1, 2], 5, 0.5, output_dtype=tf.int64))}  # fmt: skip
    res["stateless_parameterized_truncated_normal"] = {
        **_sd(st), "bounded": bool(np.all(stn >= [-0.5, 4.0]) and np.all(stn <= [1.0, 20.0])),
        "repeat": _eq(st, tf.random.stateless_parameterized_truncated_normal([20000, 2], [1, 2], [0.0, 5.0], [1.0, 2.0], [-0.5, 4.0], [1.0, 20.0])),
        "default_bounded": bool(np.all(np.abs(np.asarray(tf.random.stateless_parameterized_truncated_normal([1000], [3, 4]))) <= 2.0)),
    }  # fmt: skip
    tc = tf.constant([[1, 2], [3, 4], [5, 6]], tf.int64)
    samplers = {
        "uniform": lambda u: tf.random.uniform_candidate_sampler(tc, 2, 5, u, 10, seed=1),
        "log_uniform": lambda u: tf.random.log_uniform_candidate_sampler(tc, 2, 5, u, 10, seed=1),
        "learned_unigram": lambda u: tf.random.learned_unigram_candidate_sampler(tc, 2, 5, u, 10, seed=1),
        "fixed_unigram": lambda u: tf.random.fixed_unigram_candidate_sampler(
            tc, 2, 5, u, 10, distortion=0.5, unigrams=list(range(1, 11)), seed=1
        ),
        "fixed_unigram_reserved": lambda u: tf.random.fixed_unigram_candidate_sampler(
            tc, 2, 5, u, 10, num_reserved_ids=2, unigrams=[3, 1, 4, 1, 5, 9, 2, 6], seed=1
        ),
    }
    for name, fn in samplers.items():
        plain, uniq = fn(False), fn(True)
        cand = np.asarray(uniq.sampled_candidates)
        res[f"sampler_{name}"] = {
            "type": type(plain).__name__, "fields": list(plain._fields),
            "structure": [_sd(t) for t in plain],
            "true_expected_count": _v(plain.true_expected_count),
            "in_range": bool(cand.min() >= 0 and cand.max() < 10), "unique": len(set(cand.tolist())) == 5,
            "unique_counts_follow_tries": _tries_consistent(plain, uniq, 5),
        }  # fmt: skip
    a = tf.random.all_candidate_sampler(tf.constant([[0, 2], [1, 3]], tf.int64), 2, 4, True)
    res["sampler_all"] = {"type": type(a).__name__, "values": [_v(t) for t in a], "structure": [_sd(t) for t in a]}
    return res


CASES["tfrandom"] = tfrandom


def tfrandom_experimental(tf):
    ex = tf.random.experimental
    x = tf.reshape(tf.range(12), [6, 2])
    sh = ex.stateless_shuffle(x, seed=[1, 2])
    rows = sorted(map(tuple, np.asarray(sh).tolist()))
    return {
        "names": sorted(
            n
            for n in ("Algorithm", "create_rng_state", "stateless_fold_in", "stateless_shuffle", "stateless_split")
            if hasattr(ex, n)
        ),  # fmt: skip
        "fold_in_same": _eq(ex.stateless_fold_in([1, 2], 3), tf.random.fold_in([1, 2], 3)),
        "algorithm_same": ex.Algorithm.PHILOX.value == tf.random.Algorithm.PHILOX.value,
        "shuffle": {
            **_sd(sh),
            "permutes_rows": rows == sorted(map(tuple, np.asarray(x).tolist())),
            "repeat": _eq(sh, ex.stateless_shuffle(x, seed=[1, 2])),
        },  # fmt: skip
        "create_rng_state": _v(ex.create_rng_state(5, "threefry")),
    }


CASES["tfrandom_experimental"] = tfrandom_experimental
