"""`ContrastLimitedAdaptiveHistogramEqualization`: tile-wise, contrast-limited histogram equalization."""

import torch

from capas.keras.layers.preprocessing._augment import _AugmentLayer, to_range
from capas.keras.layers.preprocessing._image_layer import to_nhwc
from capas.keras.saving.object_registration import register_builtin


def _symmetric_rows(length, padded, device):
    """Indices reading `padded` positions from `length` ones, mirrored past the end with the edge repeated."""
    i = torch.arange(padded, device=device) % (2 * length)
    return torch.where(i < length, i, 2 * length - 1 - i)


def _cell_coordinates(size, tile, grid, device):
    """Lower and upper cell index (in the edge-padded grid) and the weight of the upper, per position."""
    position = (torch.arange(size, dtype=torch.float32, device=device) - tile / 2.0) / tile + 1.0
    low = torch.floor(position)
    weight = position - low
    return low.clamp(0, grid + 1).long(), (low + 1.0).clamp(0, grid + 1).long(), weight


@register_builtin("layers")
class ContrastLimitedAdaptiveHistogramEqualization(_AugmentLayer):
    """Contrast Limited Adaptive Histogram Equalization (CLAHE) layer.

    Values are mapped from `value_range` to [0, 255]; the image is split into
    `tile_grid_size` tiles (padded at the bottom and right by mirroring);
    each tile's 256-bin histogram per channel is clipped at
    `clip_limit * tile_pixels / 256` with the excess spread evenly over the
    bins; each pixel is mapped through the tiles' normalized cumulative
    histograms, bilinearly interpolated between the four nearest tile
    centres; the result is mapped back. Deterministic, and applied at
    inference too (as in Keras).

    Args:
        value_range: the `(min, max)` range of the images (default (0, 255)).
        clip_limit: the contrast limit (default 4.0; 0 or less: no clipping).
        tile_grid_size: `(rows, columns)` of tiles (default (8, 8)).
        data_format: 'channels_last' (default) or 'channels_first'.

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> clahe = layers.ContrastLimitedAdaptiveHistogramEqualization(tile_grid_size=(2, 2))
    >>> clahe(tf.random.uniform((2, 16, 16, 3), maxval=255.0)).shape
    torch.Size([2, 16, 16, 3])
    """

    _APPLY_AT_INFERENCE = True

    def __init__(self, value_range=(0, 255), clip_limit=4.0, tile_grid_size=(8, 8), data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        if (
            not isinstance(tile_grid_size, (tuple, list))
            or len(tile_grid_size) != 2
            or any(isinstance(t, bool) or not isinstance(t, int) or t < 1 for t in tile_grid_size)
        ):
            raise ValueError(
                f"ContrastLimitedAdaptiveHistogramEqualization '{self.name}': `tile_grid_size` must be a pair of "
                f"positive integers (rows, columns); received tile_grid_size={tile_grid_size!r}."
            )
        self.value_range = value_range
        self.clip_limit = clip_limit
        self.tile_grid_size = tile_grid_size

    def _transform(self, images, transformation):
        x, undo = to_nhwc(images, self.data_format)
        x = to_range(x.to(torch.float32), self.value_range, (0, 255))
        batch, height, width, channels = x.shape
        grid_h, grid_w = self.tile_grid_size
        tile_h, tile_w = -(-height // grid_h), -(-width // grid_w)
        padded_h, padded_w = tile_h * grid_h, tile_w * grid_w
        if padded_h != height or padded_w != width:
            x = x[:, _symmetric_rows(height, padded_h, x.device)][:, :, _symmetric_rows(width, padded_w, x.device)]
        # Histograms of each tile and channel: (batch, grid_h, grid_w, channels, 256).
        tiles = x.reshape(batch, grid_h, tile_h, grid_w, tile_w, channels).permute(0, 1, 3, 5, 2, 4)
        bins = tiles.reshape(batch, grid_h, grid_w, channels, tile_h * tile_w).to(torch.int32).clamp(0, 255).long()
        hists = torch.zeros(batch, grid_h, grid_w, channels, 256, device=x.device)
        hists.scatter_add_(-1, bins, torch.ones_like(bins, dtype=torch.float32))
        area = tile_h * tile_w
        if self.clip_limit > 0:
            clipped = hists.clamp(0, float(self.clip_limit * area / 256.0))
            hists = clipped + (hists - clipped).sum(-1, keepdim=True) / 256.0
        cdf = torch.cumsum(hists, -1)
        cdf_min = cdf.amin(-1, keepdim=True)
        denominator = float(area) - cdf_min
        denominator = torch.where(denominator == 0, torch.ones_like(denominator), denominator)
        cdf = ((cdf - cdf_min) * 255.0 / denominator).clamp(0, 255)
        # Edge-repeat the grid of mappings, then interpolate between the four nearest tile centres.
        cdf = torch.cat([cdf[:, :1], cdf, cdf[:, -1:]], dim=1)
        cdf = torch.cat([cdf[:, :, :1], cdf, cdf[:, :, -1:]], dim=2)
        y0, y1, wy = _cell_coordinates(padded_h, tile_h, grid_h, x.device)
        x0, x1, wx = _cell_coordinates(padded_w, tile_w, grid_w, x.device)
        pixels = x.clamp(0, 255).to(torch.int32).long()
        b = torch.arange(batch, device=x.device).view(-1, 1, 1, 1)
        c = torch.arange(channels, device=x.device).view(1, 1, 1, -1)
        y0, y1, wy = y0.view(1, -1, 1, 1), y1.view(1, -1, 1, 1), wy.view(1, -1, 1, 1)
        x0, x1, wx = x0.view(1, 1, -1, 1), x1.view(1, 1, -1, 1), wx.view(1, 1, -1, 1)
        top = cdf[b, y0, x0, c, pixels] * (1.0 - wx) + cdf[b, y0, x1, c, pixels] * wx
        bottom = cdf[b, y1, x0, c, pixels] * (1.0 - wx) + cdf[b, y1, x1, c, pixels] * wx
        out = (top * (1.0 - wy) + bottom * wy)[:, :height, :width, :]
        return undo(to_range(out, (0, 255), self.value_range).to(images.dtype))

    def get_config(self):
        config = super().get_config()
        config.update(
            {"value_range": self.value_range, "clip_limit": self.clip_limit, "tile_grid_size": self.tile_grid_size}
        )
        return config
