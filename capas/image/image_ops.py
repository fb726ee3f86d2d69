"""`tf.image`: image ops on NHWC tensors (`(height, width, channels)` or a batch of them).

Images are torch tensors in TensorFlow's layout (channels last). Float images
hold values in [0, 1]; integer images the full range of their dtype, as TF's
`convert_image_dtype` defines. Values are tested against TF 2.21
(`tests/goldens/image/record.py`); the random ops draw from torch generators,
so they give TF's shapes, dtypes and ranges, not TF's numbers.
"""

import torch
import torch.nn.functional as F

from capas.ops import random as _random
from capas.ops._convert import as_torch_dtype, convert_to_tensor

_GRAY_WEIGHTS = (0.2989, 0.5870, 0.1140)
_RESIZE_MODES = {"bilinear": "bilinear", "nearest": "nearest-exact", "bicubic": "bicubic", "area": "area"}


def _image(image, what):
    x = convert_to_tensor(image)
    if x.dim() not in (3, 4):
        raise ValueError(
            f"tf.image.{what}: expected an image of shape (height, width, channels) or a batch "
            f"(batch, height, width, channels); received shape {tuple(x.shape)}."
        )
    return x


def _as_float(x):
    return x if x.is_floating_point() else x.to(torch.float32)


def _max_value(dtype):
    return 1.0 if dtype.is_floating_point else float(torch.iinfo(dtype).max)


def convert_image_dtype(image, dtype, saturate=False, name=None):
    """Convert `image` to `dtype`, rescaling: floats in [0, 1], integers over their whole range.

    Example:

    >>> import capas as tf
    >>> tf.image.convert_image_dtype(tf.constant([0, 255], dtype=tf.uint8), tf.float32).numpy().tolist()
    [0.0, 1.0]
    """
    x = convert_to_tensor(image)
    dtype = as_torch_dtype(dtype)
    if x.dtype == dtype:
        return x
    if x.is_floating_point() and dtype.is_floating_point:
        return x.to(dtype)
    if not x.is_floating_point() and not dtype.is_floating_point:
        in_max, out_max = torch.iinfo(x.dtype).max, torch.iinfo(dtype).max
        if in_max > out_max:
            return torch.div(x.to(torch.int64), (in_max + 1) // (out_max + 1), rounding_mode="floor").to(dtype)
        return (x.to(torch.int64) * ((out_max + 1) // (in_max + 1))).to(dtype)
    if dtype.is_floating_point:  # int -> float
        return (
            (x.to(torch.float64) / torch.iinfo(x.dtype).max).to(dtype)
            if dtype == torch.float64
            else x.to(dtype) * (1.0 / torch.iinfo(x.dtype).max)
        )
    info = torch.iinfo(dtype)  # float -> int
    scaled = x * (info.max + 0.5)
    if saturate:
        scaled = scaled.clamp(info.min, info.max)
    return scaled.to(dtype)


def flip_left_right(image):
    """Mirror the width axis."""
    return torch.flip(_image(image, "flip_left_right"), dims=(-2,))


def flip_up_down(image):
    """Mirror the height axis."""
    return torch.flip(_image(image, "flip_up_down"), dims=(-3,))


def transpose(image, name=None):
    """Swap the height and width axes."""
    return _image(image, "transpose").transpose(-3, -2)


def rot90(image, k=1, name=None):
    """Rotate by `k` quarter turns counter-clockwise."""
    return torch.rot90(_image(image, "rot90"), int(k), dims=(-3, -2))


def rgb_to_grayscale(images, name=None):
    """Luma of RGB images (weights 0.2989, 0.5870, 0.1140): the channel axis becomes 1."""
    x = _image(images, "rgb_to_grayscale")
    flt = convert_image_dtype(x, torch.float32)
    weights = torch.tensor(_GRAY_WEIGHTS, dtype=torch.float32, device=x.device)
    gray = torch.tensordot(flt, weights, dims=([-1], [0])).unsqueeze(-1)
    return convert_image_dtype(gray, x.dtype)


def grayscale_to_rgb(images, name=None):
    """Repeat the single channel three times."""
    x = _image(images, "grayscale_to_rgb")
    return x.expand(*x.shape[:-1], 3).clone()


def _rgb_to_hsv(rgb):
    r, g, b = rgb.unbind(-1)
    v, _ = rgb.max(-1)
    c = v - rgb.min(-1).values
    s = torch.where(v > 0, c / torch.where(v > 0, v, torch.ones_like(v)), torch.zeros_like(v))
    safe_c = torch.where(c > 0, c, torch.ones_like(c))
    h = torch.where(v == r, (g - b) / safe_c, torch.where(v == g, (b - r) / safe_c + 2.0, (r - g) / safe_c + 4.0))
    h = torch.where(c > 0, (h / 6.0) % 1.0, torch.zeros_like(h))
    return torch.stack([h, s, v], -1)


def _hsv_to_rgb(hsv):
    h, s, v = hsv.unbind(-1)

    def channel(n):
        k = (n + h * 6.0) % 6.0
        return v - v * s * torch.clamp(torch.minimum(k, 4.0 - k), 0.0, 1.0)

    return torch.stack([channel(5.0), channel(3.0), channel(1.0)], -1)


def rgb_to_hsv(images, name=None):
    """RGB float images to HSV (hue, saturation, value in [0, 1])."""
    return _rgb_to_hsv(_image(images, "rgb_to_hsv"))


def hsv_to_rgb(images, name=None):
    """HSV float images back to RGB."""
    return _hsv_to_rgb(_image(images, "hsv_to_rgb"))


def _in_float(x, fn):
    """Run `fn` on the image as float (TF converts integer images and converts back)."""
    if x.is_floating_point():
        return fn(x)
    return convert_image_dtype(fn(convert_image_dtype(x, torch.float32)), x.dtype, saturate=True)


def adjust_brightness(image, delta):
    """Add `delta` to every pixel (no clipping for floats, as TF).

    Example:

    >>> import capas as tf
    >>> tf.image.adjust_brightness(tf.constant([[[0.5, 0.25, 1.0]]]), 0.25).numpy().tolist()
    [[[0.75, 0.5, 1.25]]]
    """
    x = _image(image, "adjust_brightness")
    return _in_float(x, lambda f: f + float(delta))


def adjust_contrast(images, contrast_factor):
    """`(x - mean) * contrast_factor + mean`, with the mean of each channel over height and width."""
    x = _image(images, "adjust_contrast")

    def fn(f):
        mean = f.mean(dim=(-3, -2), keepdim=True)
        return (f - mean) * float(contrast_factor) + mean

    return _in_float(x, fn)


def adjust_saturation(image, saturation_factor, name=None):
    """Scale the HSV saturation of RGB images by `saturation_factor` (clipped to [0, 1])."""
    x = _image(image, "adjust_saturation")

    def fn(f):
        hsv = _rgb_to_hsv(f.to(torch.float32))
        hsv = torch.stack([hsv[..., 0], (hsv[..., 1] * float(saturation_factor)).clamp(0.0, 1.0), hsv[..., 2]], -1)
        return _hsv_to_rgb(hsv).to(f.dtype)

    return _in_float(x, fn)


def adjust_gamma(image, gamma=1, gain=1):
    """`gain * image ** gamma` (on [0, 1] floats)."""
    x = _image(image, "adjust_gamma")
    return _in_float(x, lambda f: float(gain) * f ** float(gamma))


def per_image_standardization(image):
    """`(x - mean) / max(std, 1/sqrt(N))` over each image."""
    x = _as_float(_image(image, "per_image_standardization"))
    dims = (-3, -2, -1)
    n = x.shape[-3] * x.shape[-2] * x.shape[-1]
    mean = x.mean(dim=dims, keepdim=True)
    std = x.std(dim=dims, keepdim=True, unbiased=False)
    return (x - mean) / torch.clamp(std, min=1.0 / n**0.5)


def central_crop(image, central_fraction):
    """The central `central_fraction` of the height and width."""
    x = _image(image, "central_crop")
    if not 0.0 < central_fraction <= 1.0:
        raise ValueError(f"tf.image.central_crop: central_fraction must be in (0, 1]; received {central_fraction}.")
    if central_fraction == 1.0:
        return x
    h, w = x.shape[-3], x.shape[-2]
    top = int(h / 2 - h / 2 * central_fraction)
    left = int(w / 2 - w / 2 * central_fraction)
    return x[..., top : h - top, left : w - left, :]


def crop_to_bounding_box(image, offset_height, offset_width, target_height, target_width):
    """The `target_height x target_width` window whose top-left corner is at the offsets."""
    x = _image(image, "crop_to_bounding_box")
    h, w = x.shape[-3], x.shape[-2]
    if offset_height + target_height > h or offset_width + target_width > w:
        raise ValueError(
            f"tf.image.crop_to_bounding_box: the box ({offset_height}, {offset_width}, {target_height}, "
            f"{target_width}) does not fit in an image of height {h} and width {w}."
        )
    return x[..., offset_height : offset_height + target_height, offset_width : offset_width + target_width, :]


def pad_to_bounding_box(image, offset_height, offset_width, target_height, target_width):
    """Zero-pad to `target_height x target_width`, the image's top-left corner at the offsets."""
    x = _image(image, "pad_to_bounding_box")
    h, w = x.shape[-3], x.shape[-2]
    bottom, right = target_height - offset_height - h, target_width - offset_width - w
    if min(offset_height, offset_width, bottom, right) < 0:
        raise ValueError(
            f"tf.image.pad_to_bounding_box: an image of height {h} and width {w} at offset "
            f"({offset_height}, {offset_width}) does not fit in ({target_height}, {target_width})."
        )
    return F.pad(x, (0, 0, offset_width, right, offset_height, bottom))


def resize_with_crop_or_pad(image, target_height, target_width):
    """Center-crop and/or zero-pad to `target_height x target_width`."""
    x = _image(image, "resize_with_crop_or_pad")
    h, w = x.shape[-3], x.shape[-2]
    top, left = max((h - target_height) // 2, 0), max((w - target_width) // 2, 0)
    x = x[..., top : top + min(h, target_height), left : left + min(w, target_width), :]
    h, w = x.shape[-3], x.shape[-2]
    pad_top, pad_left = max((target_height - h) // 2, 0), max((target_width - w) // 2, 0)
    return F.pad(x, (0, 0, pad_left, target_width - w - pad_left, pad_top, target_height - h - pad_top))


def resize(images, size, method="bilinear", preserve_aspect_ratio=False, antialias=False, name=None):
    """Resize to `size = (height, width)`: bilinear (default), nearest, bicubic or area; float32 out.

    Bilinear and nearest use half-pixel centers, as TF 2. Nearest keeps the dtype.
    """
    x = _image(images, "resize")
    method = getattr(method, "value", method)
    if method not in _RESIZE_MODES:
        raise ValueError(f"tf.image.resize: unknown method {method!r}; expected one of {sorted(_RESIZE_MODES)}.")
    size = [int(s) for s in (size.tolist() if isinstance(size, torch.Tensor) else size)]
    h, w = x.shape[-3], x.shape[-2]
    if preserve_aspect_ratio:
        scale = min(size[0] / h, size[1] / w)
        size = [max(int(round(h * scale)), 1), max(int(round(w * scale)), 1)]
    batch = x if x.dim() == 4 else x.unsqueeze(0)
    nchw = batch.permute(0, 3, 1, 2)
    if method != "nearest":
        nchw = nchw.to(torch.float32)
        align = False if method in ("bilinear", "bicubic") else None
        out = F.interpolate(
            nchw,
            size=tuple(size),
            mode=_RESIZE_MODES[method],
            align_corners=align,
            antialias=bool(antialias) and method in ("bilinear", "bicubic"),
        )
    else:
        out = F.interpolate(nchw.to(torch.float32), size=tuple(size), mode="nearest-exact").to(x.dtype)
    out = out.permute(0, 2, 3, 1)
    return out if x.dim() == 4 else out[0]


# -- random ops: TF's shapes, dtypes and ranges, torch's numbers ---------------------------------------


def _uniform(shape, seed, device):
    return _random.uniform(shape, seed=seed).to(device)


def _stateless_generator(seed):
    values = seed.tolist() if isinstance(seed, torch.Tensor) else list(seed)
    if len(values) != 2:
        raise ValueError(f"tf.image.stateless_random_*: seed must be a shape [2] tensor; received {seed!r}.")
    gen = torch.Generator()
    gen.manual_seed((int(values[0]) * 1_000_003 + int(values[1])) & 0x7FFF_FFFF_FFFF_FFFF)
    return gen


def _stateless_uniform(shape, seed, device):
    return torch.rand(shape, generator=_stateless_generator(seed)).to(device)


def _random_flip(x, axis, draw):
    if x.dim() == 3:
        return torch.flip(x, dims=(axis,)) if float(draw(())) < 0.5 else x
    mask = (draw((x.shape[0],)) < 0.5).view(-1, 1, 1, 1)
    return torch.where(mask, torch.flip(x, dims=(axis,)), x)


def random_flip_left_right(image, seed=None):
    """Flip the width axis with probability 1/2 (per image of a batch)."""
    x = _image(image, "random_flip_left_right")
    return _random_flip(x, -2, lambda s: _uniform(s, seed, x.device))


def random_flip_up_down(image, seed=None):
    """Flip the height axis with probability 1/2 (per image of a batch)."""
    x = _image(image, "random_flip_up_down")
    return _random_flip(x, -3, lambda s: _uniform(s, seed, x.device))


def stateless_random_flip_left_right(image, seed):
    """`random_flip_left_right` whose draw depends only on `seed` (a pair of ints)."""
    x = _image(image, "stateless_random_flip_left_right")
    return _random_flip(x, -2, lambda s: _stateless_uniform(s, seed, x.device))


def stateless_random_flip_up_down(image, seed):
    """`random_flip_up_down` whose draw depends only on `seed` (a pair of ints)."""
    x = _image(image, "stateless_random_flip_up_down")
    return _random_flip(x, -3, lambda s: _stateless_uniform(s, seed, x.device))


def _factor(u, lower, upper):
    return lower + float(u) * (upper - lower)


def random_brightness(image, max_delta, seed=None):
    """`adjust_brightness` by a delta drawn uniformly from [-max_delta, max_delta)."""
    if max_delta < 0:
        raise ValueError(f"tf.image.random_brightness: max_delta must be non-negative; received {max_delta}.")
    return adjust_brightness(image, _factor(_random.uniform((), seed=seed), -max_delta, max_delta))


def stateless_random_brightness(image, max_delta, seed):
    """`random_brightness` whose delta depends only on `seed`."""
    return adjust_brightness(image, _factor(_stateless_uniform((), seed, "cpu"), -max_delta, max_delta))


def _check_range(what, lower, upper):
    if upper <= lower or lower < 0:
        raise ValueError(f"tf.image.{what}: expected 0 <= lower < upper; received lower={lower}, upper={upper}.")


def random_contrast(image, lower, upper, seed=None):
    """`adjust_contrast` by a factor drawn uniformly from [lower, upper)."""
    _check_range("random_contrast", lower, upper)
    return adjust_contrast(image, _factor(_random.uniform((), seed=seed), lower, upper))


def stateless_random_contrast(image, lower, upper, seed):
    """`random_contrast` whose factor depends only on `seed`."""
    _check_range("stateless_random_contrast", lower, upper)
    return adjust_contrast(image, _factor(_stateless_uniform((), seed, "cpu"), lower, upper))


def random_saturation(image, lower, upper, seed=None):
    """`adjust_saturation` by a factor drawn uniformly from [lower, upper)."""
    _check_range("random_saturation", lower, upper)
    return adjust_saturation(image, _factor(_random.uniform((), seed=seed), lower, upper))


def stateless_random_saturation(image, lower, upper, seed):
    """`random_saturation` whose factor depends only on `seed`."""
    _check_range("stateless_random_saturation", lower, upper)
    return adjust_saturation(image, _factor(_stateless_uniform((), seed, "cpu"), lower, upper))


def _crop(value, size, draw, what):
    x = convert_to_tensor(value)
    size = [int(s) for s in (size.tolist() if isinstance(size, torch.Tensor) else size)]
    if len(size) != x.dim() or any(s > d for s, d in zip(size, x.shape)):
        raise ValueError(f"tf.image.{what}: cannot crop a tensor of shape {tuple(x.shape)} to size {size}.")
    index = []
    for s, d in zip(size, x.shape):
        start = int(float(draw()) * (d - s + 1)) if d > s else 0
        index.append(slice(start, start + s))
    return x[tuple(index)]


def random_crop(value, size, seed=None, name=None):
    """A window of `size` (one entry per axis) at a uniformly drawn offset."""
    return _crop(value, size, lambda: _random.uniform((), seed=seed), "random_crop")


def stateless_random_crop(value, size, seed, name=None):
    """`random_crop` whose offset depends only on `seed`."""
    gen = _stateless_generator(seed)
    return _crop(value, size, lambda: torch.rand((), generator=gen), "stateless_random_crop")
