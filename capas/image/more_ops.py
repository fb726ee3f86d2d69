"""More of `tf.image`: colour spaces, hue, edges, image quality metrics, patches, boxes and NMS.

Deterministic ops are tested against TF 2.21 (`tests/goldens/tfimage2/record.py`); the random
ones (`random_hue`, `stateless_random_hue`, `*_jpeg_quality`) draw from torch generators, so they
give TF's shapes, dtypes and ranges, not TF's numbers.
"""

import heapq
import math

import numpy as np
import torch
import torch.nn.functional as F

from capas.image.image_ops import (
    _image,
    _in_float,
    _random,
    _rgb_to_hsv,
    _hsv_to_rgb,
    _stateless_generator,
    _stateless_uniform,
    convert_image_dtype,
    pad_to_bounding_box,
    resize,
)
from capas.io.image_codecs import decode_jpeg, encode_jpeg
from capas.ops._convert import convert_to_tensor


class ResizeMethod:
    """The names of `tf.image.resize`'s methods, as `tf.image.ResizeMethod`.

    >>> import capas as tf
    >>> tf.image.ResizeMethod.BILINEAR
    'bilinear'
    """

    BILINEAR = "bilinear"
    NEAREST_NEIGHBOR = "nearest"
    BICUBIC = "bicubic"
    AREA = "area"
    LANCZOS3 = "lanczos3"
    LANCZOS5 = "lanczos5"
    GAUSSIAN = "gaussian"
    MITCHELLCUBIC = "mitchellcubic"


def resize_with_pad(image, target_height, target_width, method=ResizeMethod.BILINEAR, antialias=False):
    """Resize keeping the aspect ratio so the image fits, then zero-pad (centred) to the target size.

    >>> import capas as tf
    >>> tf.image.resize_with_pad(tf.ones([4, 8, 3]), 8, 8).shape
    torch.Size([8, 8, 3])
    """
    x = _image(image, "resize_with_pad")
    if target_height <= 0 or target_width <= 0:
        raise ValueError(
            f"tf.image.resize_with_pad: target_height and target_width must be > 0; "
            f"received {target_height} and {target_width}."
        )
    f32 = np.float32
    h, w = f32(x.shape[-3]), f32(x.shape[-2])
    ratio = max(w / f32(target_width), h / f32(target_height))
    rh_f, rw_f = h / ratio, w / ratio
    rh, rw = int(math.floor(rh_f)), int(math.floor(rw_f))
    p_h = max(0, int(math.floor((f32(target_height) - rh_f) / f32(2))))
    p_w = max(0, int(math.floor((f32(target_width) - rw_f) / f32(2))))
    resized = resize(x, [rh, rw], method=method, antialias=antialias)
    return pad_to_bounding_box(resized, p_h, p_w, int(target_height), int(target_width))


# -- colour spaces -------------------------------------------------------------------------------
_RGB_TO_YIQ = [[0.299, 0.59590059, 0.2115], [0.587, -0.27455667, -0.52273617], [0.114, -0.32134392, 0.31119955]]
_YIQ_TO_RGB = [[1, 1, 1], [0.95598634, -0.27201283, -1.10674021], [0.6208248, -0.64720424, 1.70423049]]
_RGB_TO_YUV = [[0.299, -0.14714119, 0.61497538], [0.587, -0.28886916, -0.51496512], [0.114, 0.43601035, -0.10001026]]
_YUV_TO_RGB = [[1, 1, 1], [0, -0.394642334, 2.03206185], [1.13988303, -0.58062185, 0]]


def _colour(images, kernel, what):
    x = convert_to_tensor(images)
    if not x.is_floating_point():
        raise TypeError(
            f"tf.image.{what}: expected a float image; received dtype {x.dtype}. Convert it first "
            "with tf.image.convert_image_dtype(image, tf.float32)."
        )
    if x.dim() == 0 or x.shape[-1] != 3:
        raise ValueError(f"tf.image.{what}: the last dimension must be 3 (channels); received shape {tuple(x.shape)}.")
    return x @ torch.tensor(kernel, dtype=x.dtype, device=x.device)


def rgb_to_yiq(images):
    """RGB to YIQ (float images, last axis the 3 channels).

    >>> import capas as tf
    >>> [round(v, 3) + 0.0 for v in tf.image.rgb_to_yiq(tf.constant([1.0, 0.0, 0.0])).numpy().tolist()]
    [0.299, 0.596, 0.212]
    """
    return _colour(images, _RGB_TO_YIQ, "rgb_to_yiq")


def yiq_to_rgb(images):
    """YIQ to RGB, the inverse of `rgb_to_yiq`."""
    return _colour(images, _YIQ_TO_RGB, "yiq_to_rgb")


def rgb_to_yuv(images):
    """RGB to YUV (float images, last axis the 3 channels)."""
    return _colour(images, _RGB_TO_YUV, "rgb_to_yuv")


def yuv_to_rgb(images):
    """YUV to RGB, the inverse of `rgb_to_yuv`."""
    return _colour(images, _YUV_TO_RGB, "yuv_to_rgb")


def adjust_hue(image, delta, name=None):
    """Rotate the hue of RGB images by `delta` (a fraction of the colour wheel, in [-1, 1]).

    >>> import capas as tf
    >>> [round(v, 4) for v in tf.image.adjust_hue(tf.constant([[[1.0, 0.0, 0.0]]]), 1 / 3).numpy().ravel().tolist()]
    [0.0, 1.0, 0.0]
    """
    x = _image(image, "adjust_hue") if convert_to_tensor(image).dim() >= 3 else convert_to_tensor(image)
    delta = float(delta)
    if not -1.0 <= delta <= 1.0:
        raise ValueError(f"tf.image.adjust_hue: delta must be in [-1, 1]; received {delta}.")

    def fn(f):
        hsv = _rgb_to_hsv(f.to(torch.float32))
        hue = torch.remainder(hsv[..., 0] + delta, 1.0)
        return _hsv_to_rgb(torch.stack([hue, hsv[..., 1], hsv[..., 2]], -1)).to(f.dtype)

    return _in_float(x, fn)


def _check_hue(max_delta, what):
    if not 0 <= max_delta <= 0.5:
        raise ValueError(f"tf.image.{what}: max_delta must be in [0, 0.5]; received {max_delta}.")


def random_hue(image, max_delta, seed=None):
    """`adjust_hue` by a delta drawn uniformly from [-max_delta, max_delta] (`max_delta` in [0, 0.5])."""
    _check_hue(max_delta, "random_hue")
    u = float(_random.uniform((), seed=seed))
    return adjust_hue(image, -max_delta + u * 2 * max_delta)


def stateless_random_hue(image, max_delta, seed):
    """`random_hue` whose delta depends only on `seed` (a pair of ints)."""
    _check_hue(max_delta, "stateless_random_hue")
    u = float(_stateless_uniform((), seed, "cpu"))
    return adjust_hue(image, -max_delta + u * 2 * max_delta)


# -- edges and gradients ---------------------------------------------------------------------------
def _batch4(image, what):
    x = convert_to_tensor(image)
    if x.dim() != 4:
        raise ValueError(
            f"tf.image.{what}: expected a 4-D batch (batch, height, width, channels); received shape {tuple(x.shape)}."
        )
    return x


def sobel_edges(image):
    """Sobel edge maps: shape `(batch, h, w, channels, 2)`, `[..., 0]` the dy map and `[..., 1]` dx.

    >>> import capas as tf
    >>> tf.image.sobel_edges(tf.ones([1, 4, 5, 3])).shape
    torch.Size([1, 4, 5, 3, 2])
    """
    x = _batch4(image, "sobel_edges")
    x = x if x.is_floating_point() else x.to(torch.float32)
    b, h, w, c = x.shape
    ky = torch.tensor([[-1, -2, -1], [0, 0, 0], [1, 2, 1]], dtype=x.dtype, device=x.device)
    kernels = torch.stack([ky, ky.t()])  # (2, 3, 3)
    nchw = F.pad(x.permute(0, 3, 1, 2), (1, 1, 1, 1), mode="reflect")
    flat = nchw.reshape(b * c, 1, h + 2, w + 2)
    out = F.conv2d(flat, kernels.unsqueeze(1))  # (b*c, 2, h, w)
    return out.reshape(b, c, 2, h, w).permute(0, 3, 4, 1, 2)


def image_gradients(image):
    """`(dy, dx)`: forward differences along height and width, zero in the last row / column.

    >>> import capas as tf
    >>> dy, dx = tf.image.image_gradients(tf.reshape(tf.range(9.0), [1, 3, 3, 1]))
    >>> dy[0, :, :, 0].numpy().tolist()
    [[3.0, 3.0, 3.0], [3.0, 3.0, 3.0], [0.0, 0.0, 0.0]]
    """
    x = _batch4(image, "image_gradients")
    dy = F.pad(x[:, 1:] - x[:, :-1], (0, 0, 0, 0, 0, 1))
    dx = F.pad(x[:, :, 1:] - x[:, :, :-1], (0, 0, 0, 1))
    return dy, dx


def total_variation(images, name=None):
    """The sum of absolute differences of neighbouring pixels: a scalar for one image, `[batch]` for 4-D.

    >>> import capas as tf
    >>> float(tf.image.total_variation(tf.constant([[[0.0], [1.0]], [[1.0], [3.0]]])))
    6.0
    """
    x = _image(images, "total_variation")
    dims = (-3, -2, -1)
    dh = (x[..., 1:, :, :] - x[..., :-1, :, :]).abs().sum(dim=dims)
    dw = (x[..., :, 1:, :] - x[..., :, :-1, :]).abs().sum(dim=dims)
    return dh + dw


# -- image quality ---------------------------------------------------------------------------------
def _to_float_pair(a, b, max_val, what):
    a, b = convert_to_tensor(a), convert_to_tensor(b)
    if a.shape[-3:] != b.shape[-3:]:
        raise ValueError(f"tf.image.{what}: the two images differ in shape: {tuple(a.shape)} and {tuple(b.shape)}.")
    if a.dtype != b.dtype:
        raise TypeError(f"tf.image.{what}: the two images differ in dtype: {a.dtype} and {b.dtype}.")
    mv = torch.tensor(max_val).to(a.dtype)
    mv = convert_image_dtype(mv, torch.float32)
    return convert_image_dtype(a, torch.float32), convert_image_dtype(b, torch.float32), mv


def psnr(a, b, max_val, name=None):
    """Peak signal-to-noise ratio of `a` against `b`, per image (`max_val`: the dynamic range).

    >>> import capas as tf
    >>> round(float(tf.image.psnr(tf.zeros([2, 2, 1]), tf.fill([2, 2, 1], 0.1), max_val=1.0)), 4)
    20.0
    """
    a, b, mv = _to_float_pair(a, b, max_val, "psnr")
    mse = ((a - b) ** 2).mean(dim=(-3, -2, -1))
    return 20 * torch.log(mv) / math.log(10.0) - np.float32(10 / np.log(10)) * torch.log(mse)


def _gauss_kernel(size, sigma, channels, dtype, device):
    coords = torch.arange(size, dtype=dtype, device=device) - (size - 1) / 2.0
    g = coords**2 * (-0.5 / sigma**2)
    g = (g.reshape(1, -1) + g.reshape(-1, 1)).reshape(-1)
    g = torch.softmax(g, 0).reshape(1, 1, size, size)
    return g.expand(channels, 1, size, size)


def _ssim_per_channel(x, y, mv, filter_size, filter_sigma, k1, k2, what):
    h, w, c = x.shape[-3:]
    if h < filter_size or w < filter_size:
        raise ValueError(
            f"tf.image.{what}: the images ({h}x{w}) are smaller than filter_size={filter_size}; "
            "use larger images or a smaller filter_size."
        )
    kernel = _gauss_kernel(filter_size, float(filter_sigma), c, x.dtype, x.device)
    head = x.shape[:-3]

    def reduce(t):
        t4 = t.reshape(-1, h, w, c).permute(0, 3, 1, 2)
        out = F.conv2d(t4, kernel, groups=c).permute(0, 2, 3, 1)
        return out.reshape(*head, *out.shape[1:])

    c1, c2 = (k1 * mv) ** 2, (k2 * mv) ** 2
    mean0, mean1 = reduce(x), reduce(y)
    num0 = mean0 * mean1 * 2.0
    den0 = mean0**2 + mean1**2
    luminance = (num0 + c1) / (den0 + c1)
    num1 = reduce(x * y) * 2.0
    den1 = reduce(x**2 + y**2)
    cs = (num1 - num0 + c2) / (den1 - den0 + c2)
    return luminance * cs, cs


def ssim(img1, img2, max_val, filter_size=11, filter_sigma=1.5, k1=0.01, k2=0.03, return_index_map=False):
    """Structural similarity of two images (or batches), Gaussian window as TF; one value per image.

    >>> import capas as tf
    >>> x = tf.random.stateless_uniform([16, 16, 3], seed=[1, 2])
    >>> round(float(tf.image.ssim(x, x, max_val=1.0)), 4)
    1.0
    """
    x, y, mv = _to_float_pair(img1, img2, max_val, "ssim")
    smap, _ = _ssim_per_channel(x, y, mv, filter_size, filter_sigma, k1, k2, "ssim")
    if return_index_map:
        return smap.mean(dim=-1)
    return smap.mean(dim=(-3, -2)).mean(dim=-1)


_MSSSIM_WEIGHTS = (0.0448, 0.2856, 0.3001, 0.2363, 0.1333)


def ssim_multiscale(
    img1, img2, max_val, power_factors=_MSSSIM_WEIGHTS, filter_size=11, filter_sigma=1.5, k1=0.01, k2=0.03
):
    """Multi-scale SSIM: SSIM at full scale and contrast-structure at `len(power_factors) - 1` halvings.

    The images must be at least `filter_size * 2 ** (len(power_factors) - 1)` pixels high and wide
    (176 for the defaults).
    """
    x, y, mv = _to_float_pair(img1, img2, max_val, "ssim_multiscale")
    head = x.shape[:-3]
    imgs = [x, y]
    mcs = []
    for k in range(len(power_factors)):
        if k > 0:
            flat = [t.reshape(-1, *t.shape[-3:]) for t in imgs]
            rh, rw = flat[0].shape[1] % 2, flat[0].shape[2] % 2
            if rh or rw:  # TF pads the end symmetrically (repeats the last row / column)
                flat = [torch.cat([t, t[:, -1:]], 1) if rh else t for t in flat]
                flat = [torch.cat([t, t[:, :, -1:]], 2) if rw else t for t in flat]
            down = [F.avg_pool2d(t.permute(0, 3, 1, 2), 2, 2).permute(0, 2, 3, 1) for t in flat]
            imgs = [t.reshape(*head, *t.shape[1:]) for t in down]
        smap, cs = _ssim_per_channel(*imgs, mv, filter_size, filter_sigma, k1, k2, "ssim_multiscale")
        ssim_pc = smap.mean(dim=(-3, -2))
        mcs.append(torch.relu(cs.mean(dim=(-3, -2))))
    mcs.pop()
    stacked = torch.stack(mcs + [torch.relu(ssim_pc)], dim=-1)
    weights = torch.tensor(power_factors, dtype=stacked.dtype, device=stacked.device)
    return torch.prod(stacked**weights, dim=-1).mean(dim=-1)


# -- patches and crops -----------------------------------------------------------------------------
def _pair(v, what, arg):
    v = [int(t) for t in (v.tolist() if isinstance(v, torch.Tensor) else v)]
    if len(v) != 4 or v[0] != 1 or v[3] != 1:
        raise ValueError(f"tf.image.{what}: {arg} must be [1, rows, cols, 1]; received {v}.")
    return v[1], v[2]


def extract_patches(images, sizes, strides, rates, padding):
    """Patches of `sizes=[1, rows, cols, 1]` laid out in the depth axis, as `tf.image.extract_patches`.

    Output `(batch, out_rows, out_cols, rows * cols * channels)`, each patch row-major then channels.

    >>> import capas as tf
    >>> x = tf.reshape(tf.range(16.0), [1, 4, 4, 1])
    >>> tf.image.extract_patches(x, [1, 2, 2, 1], [1, 2, 2, 1], [1, 1, 1, 1], "VALID")[0, 0, 0].numpy().tolist()
    [0.0, 1.0, 4.0, 5.0]
    """
    x = _batch4(images, "extract_patches")
    kh, kw = _pair(sizes, "extract_patches", "sizes")
    sh, sw = _pair(strides, "extract_patches", "strides")
    rh, rw = _pair(rates, "extract_patches", "rates")
    padding = str(padding).upper()
    if padding not in ("VALID", "SAME"):
        raise ValueError(f"tf.image.extract_patches: padding must be 'VALID' or 'SAME'; received {padding!r}.")
    b, h, w, c = x.shape
    ekh, ekw = (kh - 1) * rh + 1, (kw - 1) * rw + 1
    nchw = x.permute(0, 3, 1, 2)
    if padding == "SAME":
        oh, ow = -(-h // sh), -(-w // sw)
        ph, pw = max((oh - 1) * sh + ekh - h, 0), max((ow - 1) * sw + ekw - w, 0)
        nchw = F.pad(nchw, (pw // 2, pw - pw // 2, ph // 2, ph - ph // 2))
    else:
        oh, ow = (h - ekh) // sh + 1, (w - ekw) // sw + 1
    if oh <= 0 or ow <= 0:
        return x.new_zeros((b, max(oh, 0), max(ow, 0), kh * kw * c))
    src = nchw if nchw.is_floating_point() else nchw.to(torch.float64)
    cols = F.unfold(src, (kh, kw), dilation=(rh, rw), stride=(sh, sw))  # (b, c*kh*kw, L)
    cols = cols.reshape(b, c, kh * kw, oh, ow).permute(0, 3, 4, 2, 1).reshape(b, oh, ow, kh * kw * c)
    return cols.to(x.dtype)


def crop_and_resize(image, boxes, box_indices, crop_size, method="bilinear", extrapolation_value=0.0, name=None):
    """Crop normalised boxes `(y1, x1, y2, x2)` out of a batch and resize each to `crop_size`; float32.

    >>> import capas as tf
    >>> x = tf.reshape(tf.range(16.0), [1, 4, 4, 1])
    >>> tf.image.crop_and_resize(x, [[0.0, 0.0, 1.0, 1.0]], [0], [2, 2])[0, :, :, 0].numpy().tolist()
    [[0.0, 3.0], [12.0, 15.0]]
    """
    x = _batch4(image, "crop_and_resize").to(torch.float32)
    boxes = convert_to_tensor(boxes).to(torch.float32).reshape(-1, 4)
    idx = convert_to_tensor(box_indices).reshape(-1).long()
    if idx.numel() != boxes.shape[0]:
        raise ValueError(f"tf.image.crop_and_resize: {boxes.shape[0]} boxes but {idx.numel()} box_indices.")
    if method not in ("bilinear", "nearest"):
        raise ValueError(f"tf.image.crop_and_resize: method must be 'bilinear' or 'nearest'; received {method!r}.")
    ch, cw = [int(s) for s in (crop_size.tolist() if isinstance(crop_size, torch.Tensor) else crop_size)]
    b, h, w, c = x.shape
    if idx.numel() and (int(idx.min()) < 0 or int(idx.max()) >= b):
        raise ValueError(f"tf.image.crop_and_resize: box_indices must be in [0, {b}); received {idx.tolist()}.")
    y1, x1, y2, x2 = boxes.unbind(-1)

    def coords(a1, a2, n, size):
        steps = torch.arange(n, dtype=torch.float32, device=x.device)
        if n > 1:
            scale = (a2 - a1) * (size - 1) / (n - 1)
            return a1[:, None] * (size - 1) + steps[None] * scale[:, None]
        return (0.5 * (a1 + a2) * (size - 1))[:, None].expand(-1, n)

    ys, xs = coords(y1, y2, ch, h), coords(x1, x2, cw, w)  # (n, ch), (n, cw)
    valid = ((ys >= 0) & (ys <= h - 1))[:, :, None] & ((xs >= 0) & (xs <= w - 1))[:, None, :]
    imgs = x[idx]  # (n, h, w, c)
    n = idx.numel()
    ar = torch.arange(n, device=x.device)[:, None, None]

    def gather(yi, xi):
        yi = yi.clamp(0, h - 1).long()[:, :, None].expand(-1, -1, cw)
        xi = xi.clamp(0, w - 1).long()[:, None, :].expand(-1, ch, -1)
        return imgs[ar, yi, xi]  # (n, ch, cw, c)

    if method == "nearest":
        out = gather(torch.round(ys), torch.round(xs))
    else:
        ty, by = torch.floor(ys), torch.ceil(ys)
        lx, rx = torch.floor(xs), torch.ceil(xs)
        yl = (ys - ty)[:, :, None, None]
        xl = (xs - lx)[:, None, :, None]
        tl, tr, bl, br = gather(ty, lx), gather(ty, rx), gather(by, lx), gather(by, rx)
        top = tl + (tr - tl) * xl
        bottom = bl + (br - bl) * xl
        out = top + (bottom - top) * yl
    return torch.where(valid[..., None], out, torch.tensor(float(extrapolation_value), device=x.device))


_DEFAULT_COLORS = [
    [1, 1, 0, 1], [0, 0, 1, 1], [1, 0, 0, 1], [0, 1, 0, 1], [0.5, 0, 0.5, 1],
    [0.5, 0.5, 0, 1], [0.5, 0, 0, 1], [0, 0, 0.5, 1], [0, 1, 1, 1], [1, 0, 1, 1],
]  # fmt: skip


def draw_bounding_boxes(images, boxes, colors, name=None):
    """Draw 1-pixel box outlines (normalised `(y1, x1, y2, x2)` per image) on a float image batch.

    `colors` is a `(num_colors, 4)` table (box `i` gets row `i % num_colors`); `None` uses TF's
    default table.

    >>> import capas as tf
    >>> out = tf.image.draw_bounding_boxes(tf.zeros([1, 3, 3, 1]), [[[0.0, 0.0, 1.0, 1.0]]], [[1.0, 0, 0, 1]])
    >>> out[0, :, :, 0].numpy().tolist()
    [[1.0, 1.0, 1.0], [1.0, 0.0, 1.0], [1.0, 1.0, 1.0]]
    """
    x = _batch4(images, "draw_bounding_boxes")
    if not x.is_floating_point():
        raise TypeError(f"tf.image.draw_bounding_boxes: expected float images; received dtype {x.dtype}.")
    if x.shape[-1] not in (1, 3, 4):
        raise ValueError(f"tf.image.draw_bounding_boxes: images need 1, 3 or 4 channels; received {x.shape[-1]}.")
    bx = convert_to_tensor(boxes).to(torch.float32)
    if bx.dim() != 3 or bx.shape[0] != x.shape[0] or bx.shape[-1] != 4:
        raise ValueError(
            f"tf.image.draw_bounding_boxes: boxes must be (batch={x.shape[0]}, num_boxes, 4); "
            f"received shape {tuple(bx.shape)}."
        )
    table = _DEFAULT_COLORS if colors is None else convert_to_tensor(colors).to(torch.float32).tolist()
    if not table:
        table = _DEFAULT_COLORS
    out = x.clone()
    b, h, w, c = x.shape
    f32 = np.float32
    for i in range(b):
        for j, box in enumerate(bx[i].tolist()):
            color = (list(table[j % len(table)]) + [1.0] * 4)[:c]
            color_t = torch.tensor(color, dtype=x.dtype, device=x.device)
            r0 = int(f32(box[0]) * f32(h - 1))
            r1 = int(f32(box[2]) * f32(h - 1))
            c0 = int(f32(box[1]) * f32(w - 1))
            c1 = int(f32(box[3]) * f32(w - 1))
            if r0 > r1 or c0 > c1 or r0 >= h or r1 < 0 or c0 >= w or c1 < 0:
                continue
            r0c, r1c, c0c, c1c = max(r0, 0), min(r1, h - 1), max(c0, 0), min(c1, w - 1)
            if r0 >= 0:
                out[i, r0, c0c : c1c + 1] = color_t
            if r1 < h:
                out[i, r1, c0c : c1c + 1] = color_t
            if c0 >= 0:
                out[i, r0c : r1c + 1, c0] = color_t
            if c1 < w:
                out[i, r0c : r1c + 1, c1] = color_t
    return out


# -- non-maximum suppression ---------------------------------------------------------------------
def _iou_matrix(boxes):
    y1 = torch.minimum(boxes[:, 0], boxes[:, 2])
    y2 = torch.maximum(boxes[:, 0], boxes[:, 2])
    x1 = torch.minimum(boxes[:, 1], boxes[:, 3])
    x2 = torch.maximum(boxes[:, 1], boxes[:, 3])
    area = (y2 - y1) * (x2 - x1)
    ih = (torch.minimum(y2[:, None], y2[None]) - torch.maximum(y1[:, None], y1[None])).clamp(min=0)
    iw = (torch.minimum(x2[:, None], x2[None]) - torch.maximum(x1[:, None], x1[None])).clamp(min=0)
    inter = ih * iw
    union = area[:, None] + area[None] - inter
    return torch.where((area[:, None] > 0) & (area[None] > 0), inter / union, torch.zeros_like(inter))


def _greedy(overlaps, scores, max_output_size, threshold, score_threshold, soft_sigma=0.0):
    # TF's lazy greedy NMS: a max-heap of (score, lower index first); a popped candidate is
    # re-scored against the boxes selected since it was last looked at, kept if its score did
    # not change, pushed back if it dropped (Soft-NMS) and stays above score_threshold.
    ov = overlaps.to(torch.float32).cpu().numpy()
    sc = scores.to(torch.float32).cpu().numpy()
    f32 = np.float32
    score_threshold = f32(score_threshold)
    threshold = f32(threshold)
    soft = soft_sigma > 0
    scale = f32(-0.5 / soft_sigma) if soft else f32(0.0)
    heap = [(-sc[i], i, 0) for i in range(sc.shape[0]) if sc[i] > score_threshold]
    heapq.heapify(heap)
    keep, kept_scores = [], []
    max_out = int(max_output_size)
    while len(keep) < max_out and heap:
        neg, idx, begin = heapq.heappop(heap)
        original = score = f32(-neg)
        hard = False
        for j in range(len(keep) - 1, begin - 1, -1):
            sim = f32(ov[idx, keep[j]])  # TF compares overlaps[candidate, selected]
            weight = np.exp(scale * sim * sim, dtype=np.float32)
            if not soft and sim > threshold:
                weight = f32(0.0)
            score = f32(score * weight)
            if not soft and sim > threshold:
                hard = True
                break
            if score <= score_threshold:
                break
        if hard:
            continue
        if score == original:
            keep.append(idx)
            kept_scores.append(float(score))
        elif score > score_threshold:
            heapq.heappush(heap, (-score, idx, len(keep)))
    return torch.tensor(keep, dtype=torch.int32), torch.tensor(kept_scores, dtype=torch.float32)


def _nms_inputs(boxes, scores, what):
    boxes = convert_to_tensor(boxes).to(torch.float32)
    scores = convert_to_tensor(scores).to(torch.float32)
    if boxes.dim() != 2 or boxes.shape[-1] != 4:
        raise ValueError(f"tf.image.{what}: boxes must be (num_boxes, 4); received shape {tuple(boxes.shape)}.")
    if scores.shape != (boxes.shape[0],):
        raise ValueError(f"tf.image.{what}: scores must be ({boxes.shape[0]},); received shape {tuple(scores.shape)}.")
    return boxes.cpu(), scores.cpu()


def non_max_suppression(boxes, scores, max_output_size, iou_threshold=0.5, score_threshold=float("-inf"), name=None):
    """Greedy NMS: indices (int32) of at most `max_output_size` boxes by falling score, none of which
    overlaps a kept box by IoU > `iou_threshold`.

    >>> import capas as tf
    >>> boxes = [[0, 0, 1, 1], [0, 0.1, 1, 1.1], [0, 2, 1, 3]]
    >>> tf.image.non_max_suppression(boxes, [0.9, 0.8, 0.7], 3).numpy().tolist()
    [0, 2]
    """
    boxes, scores = _nms_inputs(boxes, scores, "non_max_suppression")
    return _greedy(_iou_matrix(boxes), scores, max_output_size, float(iou_threshold), score_threshold)[0]


def non_max_suppression_with_scores(
    boxes, scores, max_output_size, iou_threshold=0.5, score_threshold=float("-inf"), soft_nms_sigma=0.0, name=None
):
    """`(selected_indices, selected_scores)`; with `soft_nms_sigma > 0`, Soft-NMS (Gaussian) rescoring."""
    boxes, scores = _nms_inputs(boxes, scores, "non_max_suppression_with_scores")
    return _greedy(
        _iou_matrix(boxes), scores, max_output_size, float(iou_threshold), score_threshold, float(soft_nms_sigma)
    )


def non_max_suppression_overlaps(
    overlaps, scores, max_output_size, overlap_threshold=0.5, score_threshold=float("-inf"), name=None
):
    """Greedy NMS over a given `(n, n)` overlap matrix instead of box IoUs."""
    overlaps = convert_to_tensor(overlaps).to(torch.float32).cpu()
    scores = convert_to_tensor(scores).to(torch.float32).cpu()
    if overlaps.dim() != 2 or overlaps.shape[0] != overlaps.shape[1] or overlaps.shape[0] != scores.shape[0]:
        raise ValueError(
            f"tf.image.non_max_suppression_overlaps: overlaps must be (n, n) with n = len(scores) = "
            f"{scores.shape[0]}; received shape {tuple(overlaps.shape)}."
        )
    return _greedy(overlaps, scores, max_output_size, float(overlap_threshold), score_threshold)[0]


def _padded_one(boxes, scores, max_out, threshold):
    # TF's tiled algorithm (non_max_suppression_padded_v2) in its greedy form: stable sort by score,
    # suppress on IoU >= threshold, and count only kept boxes with a coordinate > 0.
    order = torch.sort(scores, descending=True, stable=True).indices
    bs = boxes[order]
    y1, x1, y2, x2 = bs.unbind(-1)
    area = (y2 - y1) * (x2 - x1)
    ih = (torch.minimum(y2[:, None], y2[None]) - torch.maximum(y1[:, None], y1[None])).clamp(min=0)
    iw = (torch.minimum(x2[:, None], x2[None]) - torch.maximum(x1[:, None], x1[None])).clamp(min=0)
    inter = ih * iw
    iou = inter / (area[:, None] + area[None] - inter + 1e-8)
    n = bs.shape[0]
    suppressed = torch.zeros(n, dtype=torch.bool, device=bs.device)
    selected = []
    for i in range(n):
        if suppressed[i]:
            continue
        if bool((bs[i] > 0).any()):
            selected.append(int(order[i]))
        later = torch.arange(n, device=bs.device) > i
        suppressed |= later & (iou[i] >= threshold)
    selected = selected[:max_out]
    return torch.tensor(selected + [0] * (max_out - len(selected)), dtype=torch.int32), len(selected)


def non_max_suppression_padded(
    boxes,
    scores,
    max_output_size,
    iou_threshold=0.5,
    score_threshold=float("-inf"),
    pad_to_max_output_size=False,
    name=None,
    sorted_input=False,
    canonicalized_coordinates=False,
    tile_size=512,
):
    """`(selected_indices, valid_outputs)`; batched inputs `(..., n, 4)` are handled per batch entry.

    As TF: boxes whose score is `<= score_threshold` are zeroed, boxes are suppressed at
    IoU `>= iou_threshold`, all-zero (or all-negative) boxes are never selected, and the corner
    order is taken from the first box. With `pad_to_max_output_size=True` the indices are
    zero-padded to `max_output_size` (required for batches).
    """
    boxes = convert_to_tensor(boxes).to(torch.float32).cpu()
    scores = convert_to_tensor(scores).to(torch.float32).cpu()
    if boxes.dim() > 2 and not pad_to_max_output_size:
        raise ValueError(
            f"tf.image.non_max_suppression_padded: 'pad_to_max_output_size' (value False) must be "
            f"True for batched input (boxes of shape {tuple(boxes.shape)})."
        )
    max_out = int(max_output_size)
    lead = boxes.shape[:-2]
    fb, fs = boxes.reshape(-1, *boxes.shape[-2:]), scores.reshape(-1, scores.shape[-1])
    if score_threshold != float("-inf"):
        mask = (fs > float(score_threshold)).to(fs.dtype)
        fs, fb = fs * mask, fb * mask[..., None]
    if not canonicalized_coordinates and fb.shape[1]:
        y1, x1, y2, x2 = fb.unbind(-1)
        if not bool(fb[0, 0, 0] <= fb[0, 0, 2]):
            y1, y2 = y2, y1
        if not bool(fb[0, 0, 1] <= fb[0, 0, 3]):
            x1, x2 = x2, x1
        fb = torch.stack([y1, x1, y2, x2], -1)
    if sorted_input:
        fs = torch.arange(fs.shape[-1], 0, -1, dtype=torch.float32, device="cpu").expand_as(fs)
    results = [_padded_one(bb, ss, max_out, float(iou_threshold)) for bb, ss in zip(fb, fs)]
    idx = torch.stack([r[0] for r in results]).reshape(*lead, max_out)
    valid = torch.tensor([r[1] for r in results], dtype=torch.int32).reshape(lead)
    if boxes.dim() == 2 and not pad_to_max_output_size:
        idx = idx[: int(valid)]
    return idx, valid


def combined_non_max_suppression(
    boxes,
    scores,
    max_output_size_per_class,
    max_total_size,
    iou_threshold=0.5,
    score_threshold=float("-inf"),
    pad_per_class=False,
    clip_boxes=True,
    name=None,
):
    """Per-class greedy NMS over a batch, then the best `max_total_size` across classes.

    `boxes`: `(batch, n, q, 4)` with `q` 1 (shared) or `num_classes`; `scores`: `(batch, n, num_classes)`.
    Returns `(nmsed_boxes, nmsed_scores, nmsed_classes, valid_detections)`, zero-padded.
    """
    boxes = convert_to_tensor(boxes).to(torch.float32).cpu()
    scores = convert_to_tensor(scores).to(torch.float32).cpu()
    if boxes.dim() != 4 or scores.dim() != 3:
        raise ValueError(
            "tf.image.combined_non_max_suppression: boxes must be (batch, num_boxes, q, 4) and scores "
            f"(batch, num_boxes, num_classes); received {tuple(boxes.shape)} and {tuple(scores.shape)}."
        )
    batch, _, q, _ = boxes.shape
    num_classes = scores.shape[-1]
    per_class = int(max_output_size_per_class)
    total = int(max_total_size)
    if pad_per_class:
        total = min(total, per_class * num_classes)
    out_b = torch.zeros(batch, total, 4, device="cpu")
    out_s = torch.zeros(batch, total, device="cpu")
    out_c = torch.zeros(batch, total, device="cpu")
    valid = torch.zeros(batch, dtype=torch.int32, device="cpu")
    for i in range(batch):
        cands = []
        for k in range(num_classes):
            bk = boxes[i, :, 0 if q == 1 else k]
            sk = scores[i, :, k]
            idx, sc = _greedy(_iou_matrix(bk), sk, per_class, float(iou_threshold), score_threshold)
            cands += [(float(s), k, int(j)) for j, s in zip(idx.tolist(), sc.tolist())]
        cands.sort(key=lambda t: -t[0])  # stable: class order, then selection order among ties
        cands = cands[:total]
        for r, (s, k, j) in enumerate(cands):
            bb = boxes[i, j, 0 if q == 1 else k]
            out_b[i, r] = bb.clamp(0, 1) if clip_boxes else bb
            out_s[i, r], out_c[i, r] = s, k
        valid[i] = len(cands)
    return out_b, out_s, out_c, valid


# -- JPEG quality ----------------------------------------------------------------------------------
def adjust_jpeg_quality(image, jpeg_quality, dct_method="", name=None):
    """Re-encode as JPEG with quality `jpeg_quality` (0-100) and decode back (needs Pillow).

    Float images are converted to uint8 for the codec and back, as TF. The JPEG codec is Pillow's
    (libjpeg), so pixel values may differ slightly from TF's.
    """
    x = _image(image, "adjust_jpeg_quality")
    q = int(jpeg_quality)
    if not 0 <= q <= 100:
        raise ValueError(f"tf.image.adjust_jpeg_quality: jpeg_quality must be in [0, 100]; received {q}.")
    if x.shape[-1] not in (1, 3):
        raise ValueError(f"tf.image.adjust_jpeg_quality: images need 1 or 3 channels; received {x.shape[-1]}.")
    u8 = convert_image_dtype(x, torch.uint8, saturate=True)

    def one(img):
        return decode_jpeg(encode_jpeg(img, quality=q), channels=img.shape[-1])

    out = one(u8) if u8.dim() == 3 else torch.stack([one(t) for t in u8])
    return convert_image_dtype(out, x.dtype, saturate=True)


def _check_quality(lo, hi, what):
    if not 0 <= lo < hi <= 100:
        raise ValueError(
            f"tf.image.{what}: expected 0 <= min_jpeg_quality < max_jpeg_quality <= 100; received {lo} and {hi}."
        )


def random_jpeg_quality(image, min_jpeg_quality, max_jpeg_quality, seed=None):
    """`adjust_jpeg_quality` with a quality drawn uniformly from [min, max)."""
    _check_quality(min_jpeg_quality, max_jpeg_quality, "random_jpeg_quality")
    u = float(_random.uniform((), seed=seed))
    return adjust_jpeg_quality(image, int(min_jpeg_quality + u * (max_jpeg_quality - min_jpeg_quality)))


def stateless_random_jpeg_quality(image, min_jpeg_quality, max_jpeg_quality, seed):
    """`random_jpeg_quality` whose quality depends only on `seed`."""
    _check_quality(min_jpeg_quality, max_jpeg_quality, "stateless_random_jpeg_quality")
    u = float(_stateless_uniform((), seed, "cpu"))
    return adjust_jpeg_quality(image, int(min_jpeg_quality + u * (max_jpeg_quality - min_jpeg_quality)))


# -- sample_distorted_bounding_box -----------------------------------------------------------------
def _uniform_int(gen, n):
    """An int in [0, n) from a torch generator."""
    return int(torch.randint(0, int(n), (), generator=gen, device="cpu"))


def _uniform_float(gen, lo, hi):
    return lo + float(torch.rand((), dtype=torch.float64, generator=gen, device="cpu")) * (hi - lo)


def _random_crop_rect(gen, width, height, min_rel, max_rel, aspect):
    # TF's GenerateRandomCrop: pick a height between the ones that give the area bounds.
    min_area, max_area = min_rel * width * height, max_rel * width * height
    h = int(round(math.sqrt(min_area / aspect)))
    max_h = int(round(math.sqrt(max_area / aspect)))
    if round(max_h * aspect) > width:
        max_h = int((width + 0.5 - 1e-7) / aspect)
    max_h = min(max_h, height)
    h = min(h, max_h)
    if h < max_h:
        h += _uniform_int(gen, max_h - h + 1)
    w = int(round(h * aspect))
    area = w * h
    if area < min_area:
        h += 1
        w = int(round(h * aspect))
        area = w * h
    if area > max_area:
        h -= 1
        w = int(round(h * aspect))
        area = w * h
    if area < min_area or area > max_area or w > width or h > height or w <= 0 or h <= 0:
        return None
    y = _uniform_int(gen, height - h) if h < height else 0
    x = _uniform_int(gen, width - w) if w < width else 0
    return y, x, h, w


def _sample_box(
    image_size,
    bounding_boxes,
    gen,
    min_object_covered,
    aspect_ratio_range,
    area_range,
    max_attempts,
    use_image_if_no_bounding_boxes,
    what,
):
    size = [int(v) for v in convert_to_tensor(image_size).reshape(-1).tolist()]
    if len(size) != 3:
        raise ValueError(f"tf.image.{what}: image_size must be [height, width, channels]; received {size}.")
    height, width = size[0], size[1]
    boxes = convert_to_tensor(bounding_boxes).to(torch.float32).reshape(-1, 4).tolist()
    if float(area_range[0]) <= 0 or float(area_range[1]) > 1 or float(area_range[0]) > float(area_range[1]):
        raise ValueError(f"tf.image.{what}: area_range must satisfy 0 < low <= high <= 1; received {area_range}.")
    if float(aspect_ratio_range[0]) <= 0 or float(aspect_ratio_range[0]) > float(aspect_ratio_range[1]):
        raise ValueError(f"tf.image.{what}: aspect_ratio_range must be 0 < low <= high; received {aspect_ratio_range}.")
    rects = [
        (int(b[1] * width), int(b[0] * height), int(b[3] * width), int(b[2] * height))  # (xmin, ymin, xmax, ymax)
        for b in boxes
    ]
    if not rects:
        if not use_image_if_no_bounding_boxes:
            raise ValueError(
                f"tf.image.{what}: no bounding boxes were given; pass use_image_if_no_bounding_boxes=True to "
                "use the whole image as the box."
            )
        rects = [(0, 0, width, height)]
    min_cover = float(min_object_covered)
    crop = None
    for _ in range(int(max_attempts)):
        aspect = _uniform_float(gen, float(aspect_ratio_range[0]), float(aspect_ratio_range[1]))
        rect = _random_crop_rect(gen, width, height, float(area_range[0]), float(area_range[1]), aspect)
        if rect is None:
            continue
        y, x, h, w = rect
        for xmin, ymin, xmax, ymax in rects:
            inter = max(0, min(xmax, x + w) - max(xmin, x)) * max(0, min(ymax, y + h) - max(ymin, y))
            area = (xmax - xmin) * (ymax - ymin)
            if area > 0 and inter / area >= min_cover:
                crop = rect
                break
        if crop is not None:
            break
    y, x, h, w = crop if crop is not None else (0, 0, height, width)
    begin = torch.tensor([y, x, 0], dtype=torch.int32)
    size_out = torch.tensor([h, w, -1], dtype=torch.int32)
    box = torch.tensor([[[y / height, x / width, (y + h) / height, (x + w) / width]]], dtype=torch.float32)
    return begin, size_out, box


def sample_distorted_bounding_box(
    image_size,
    bounding_boxes,
    seed=0,
    min_object_covered=0.1,
    aspect_ratio_range=None,
    area_range=None,
    max_attempts=None,
    use_image_if_no_bounding_boxes=None,
    name=None,
):
    """A random crop `(begin, size, bboxes)` that covers at least `min_object_covered` of one of
    `bounding_boxes` (normalised `(y1, x1, y2, x2)`, shape `(batch, n, 4)`), as TF's crop sampler.

    `begin` is `[y, x, 0]`, `size` `[h, w, -1]` (int32; feed them to `tf.slice`), `bboxes` the crop
    as a `(1, 1, 4)` normalised box. After `max_attempts` failures the whole image is returned.

    >>> import capas as tf
    >>> begin, size, box = tf.image.sample_distorted_bounding_box([40, 60, 3], [[[0.1, 0.1, 0.9, 0.9]]], seed=1)
    >>> begin.dtype, size.tolist()[2], box.shape
    (torch.int32, -1, torch.Size([1, 1, 4]))
    """
    gen = _random._generator(int(seed), "cpu") if seed else None
    return _sample_box(
        image_size,
        bounding_boxes,
        gen,
        min_object_covered,
        aspect_ratio_range or (0.75, 1.33),
        area_range or (0.05, 1.0),
        max_attempts or 100,
        bool(use_image_if_no_bounding_boxes),
        "sample_distorted_bounding_box",
    )


def stateless_sample_distorted_bounding_box(
    image_size,
    bounding_boxes,
    seed,
    min_object_covered=0.1,
    aspect_ratio_range=None,
    area_range=None,
    max_attempts=None,
    use_image_if_no_bounding_boxes=None,
    name=None,
):
    """`sample_distorted_bounding_box` whose crop depends only on `seed` (a pair of ints)."""
    return _sample_box(
        image_size,
        bounding_boxes,
        _stateless_generator(seed),
        min_object_covered,
        aspect_ratio_range or (0.75, 1.33),
        area_range or (0.05, 1.0),
        max_attempts or 100,
        bool(use_image_if_no_bounding_boxes),
        "stateless_sample_distorted_bounding_box",
    )


# -- extract_glimpse ---------------------------------------------------------------------------------
def extract_glimpse(input, size, offsets, centered=True, normalized=True, noise="uniform", name=None):  # noqa: A002
    """Windows of `size = (h, w)` around `offsets` (`(batch, 2)`, `(y, x)`) from a batch of images.

    As TF 2's kernel: with `centered` and `normalized` (the defaults) an offset in [-1, 1] is the
    glimpse's centre relative to the image centre; otherwise it is the glimpse's top-left corner,
    from the image centre (`centered`) or the top-left (not), in pixels or, `normalized`, as
    fractions of the image size. Pixels outside the image are filled per `noise`: `'uniform'`,
    `'gaussian'` or `'zero'`.
    """
    x = _batch4(input, "extract_glimpse").to(torch.float32)
    gh, gw = [int(v) for v in (size.tolist() if isinstance(size, torch.Tensor) else size)]
    offs = convert_to_tensor(offsets).to(torch.float32).reshape(-1, 2).tolist()
    b, h, w, c = x.shape
    if len(offs) != b:
        raise ValueError(f"tf.image.extract_glimpse: offsets must be (batch={b}, 2); received {len(offs)} rows.")
    if noise not in ("uniform", "gaussian", "zero", ""):
        raise ValueError(
            f"tf.image.extract_glimpse: noise must be 'uniform', 'gaussian' or 'zero'; received {noise!r}."
        )
    f32 = np.float32
    out = []
    for i, (oy, ox) in enumerate(offs):
        oy, ox = f32(oy), f32(ox)
        if normalized:
            ox, oy = ox * f32(w), oy * f32(h)
            if centered:  # TF's v2 kernel: only here is the offset the glimpse's centre
                ox, oy = ox / f32(2) + f32(w) / f32(2), oy / f32(2) + f32(h) / f32(2)
                ox, oy = ox - f32(gw) / f32(2), oy - f32(gh) / f32(2)
        elif centered:
            ox, oy = ox + f32(w) / f32(2), oy + f32(h) / f32(2)
        top, left = int(oy), int(ox)  # truncation, as TF's C++ cast
        if noise == "zero":
            fill = x.new_zeros((gh, gw, c))
        elif noise == "gaussian":
            fill = torch.randn(gh, gw, c, device=x.device)
        else:
            fill = torch.rand(gh, gw, c, device=x.device)
        y0, y1 = max(top, 0), min(top + gh, h)
        x0, x1 = max(left, 0), min(left + gw, w)
        if y0 < y1 and x0 < x1:
            fill[y0 - top : y1 - top, x0 - left : x1 - left] = x[i, y0:y1, x0:x1]
        out.append(fill)
    return torch.stack(out)
