"""Image kernels of the preprocessing layers: resize and affine transforms, batched, on torch.

Conventions are Keras's (torch backend): `resize` is `F.interpolate` with
half-pixel centers ('nearest' is 'nearest-exact'); `affine_transform` takes
TF-style transforms `[a0, a1, a2, b0, b1, b2, c0, c1]` mapping an output
pixel `(x, y)` to the input point `(a0*x + a1*y + a2, b0*x + b1*y + b2)`,
interpolated over the four (or one) nearest pixels with Keras's fill modes.
"""

import torch
import torch.nn.functional as F

RESIZE_MODES = {"bilinear": "bilinear", "nearest": "nearest-exact", "bicubic": "bicubic", "area": "area"}
FILL_MODES = ("reflect", "wrap", "constant", "nearest", "mirror")
INTERPOLATIONS = ("nearest", "bilinear")


def to_channels_first(images, data_format):
    """(batch, C, H, W) view of 3-D or 4-D images, and how to undo it."""
    squeeze = images.dim() == 3
    x = images.unsqueeze(0) if squeeze else images
    if data_format == "channels_last":
        x = x.permute(0, 3, 1, 2)

    def undo(y):
        if data_format == "channels_last":
            y = y.permute(0, 2, 3, 1)
        return y.squeeze(0) if squeeze else y

    return x, undo


def crop_to_aspect(x, size):
    """Central crop of NCHW `x` with the aspect ratio of `size` (Keras's smart_resize box)."""
    height, width = x.shape[-2], x.shape[-1]
    th, tw = size
    crop_h = max(min(height, int(float(width * th) / tw)), 1)
    crop_w = max(min(width, int(float(height * tw) / th)), 1)
    h0 = int(float(height - crop_h) / 2)
    w0 = int(float(width - crop_w) / 2)
    return x[:, :, h0 : h0 + crop_h, w0 : w0 + crop_w]


def pad_to_aspect(x, size, fill_value):
    """Pad NCHW `x` symmetrically with `fill_value` to the aspect ratio of `size`."""
    height, width = x.shape[-2], x.shape[-1]
    th, tw = size
    pad_h = max(height, int(float(width * th) / tw))
    pad_w = max(width, int(float(height * tw) / th))
    h0 = int(float(pad_h - height) / 2)
    w0 = int(float(pad_w - width) / 2)
    if h0 > 0 or w0 > 0:
        x = F.pad(x, (w0, w0, h0, h0), value=float(fill_value))
    return x


def resize(x, size, interpolation="bilinear", antialias=False):
    """Resize NCHW float `x` to `size` = (height, width)."""
    if antialias and interpolation not in ("bilinear", "bicubic"):
        antialias = False
    align = False if interpolation in ("bilinear", "bicubic") else None
    return F.interpolate(
        x, size=tuple(size), mode=RESIZE_MODES[interpolation], align_corners=align, antialias=antialias
    )


def _fix_index(index, size, fill_mode):
    if fill_mode in ("constant", "nearest"):
        return index.clamp(0, size - 1)
    if fill_mode == "wrap":
        return torch.remainder(index, size)
    if fill_mode == "mirror":
        if size == 1:
            return torch.zeros_like(index)
        s = size - 1
        return (torch.remainder(index + s, 2 * s) - s).abs()
    # reflect: (d c b a | a b c d | d c b a)
    s = 2 * size
    folded = torch.remainder(2 * index + 1 + s, 2 * s) - s
    return torch.div(folded.abs() - 1, 2, rounding_mode="floor")


def affine_transform(images, transforms, interpolation="bilinear", fill_mode="constant", fill_value=0.0):
    """Apply per-image transforms `(batch, 8)` to NHWC float `images`."""
    batch, height, width, _ = images.shape
    dtype = transforms.dtype
    rows = torch.arange(height, dtype=dtype, device=images.device).view(1, height, 1)
    cols = torch.arange(width, dtype=dtype, device=images.device).view(1, 1, width)
    t = transforms.view(batch, 8, 1, 1)
    x_in = t[:, 0] * cols + t[:, 1] * rows + t[:, 2]
    y_in = t[:, 3] * cols + t[:, 4] * rows + t[:, 5]
    return sample(images, x_in, y_in, interpolation, fill_mode, fill_value)


def sample(images, x_in, y_in, interpolation="bilinear", fill_mode="constant", fill_value=0.0):
    """NHWC float `images` read at the input points `(x_in, y_in)`, each `(batch, height, width)`."""
    batch, height, width, _ = images.shape
    if interpolation == "nearest":
        nodes_y = [(torch.round(y_in).long(), None)]
        nodes_x = [(torch.round(x_in).long(), None)]
    else:
        y0, x0 = torch.floor(y_in), torch.floor(x_in)
        wy, wx = (y_in - y0).to(images.dtype), (x_in - x0).to(images.dtype)
        nodes_y = [(y0.long(), 1 - wy), (y0.long() + 1, wy)]
        nodes_x = [(x0.long(), 1 - wx), (x0.long() + 1, wx)]
    flat = images.reshape(batch, height * width, -1)
    out = 0
    for iy, wy_ in nodes_y:
        for ix, wx_ in nodes_x:
            fy, fx = _fix_index(iy, height, fill_mode), _fix_index(ix, width, fill_mode)
            index = (fy * width + fx).reshape(batch, -1, 1).expand(-1, -1, flat.shape[-1])
            values = flat.gather(1, index).reshape(images.shape)
            if fill_mode == "constant":
                valid = ((iy >= 0) & (iy < height) & (ix >= 0) & (ix < width)).unsqueeze(-1)
                values = torch.where(valid, values, torch.full_like(values, float(fill_value)))
            weight = 1
            if wy_ is not None:
                weight = (wy_ * wx_).unsqueeze(-1)
            out = out + weight * values
    return out
