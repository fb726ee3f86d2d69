"""`RandomPerspective`: moves each image's corners by random amounts and warps it to match (training only)."""

import torch

from capas.keras.layers.preprocessing import _image_ops
from capas.keras.layers.preprocessing._augment import _AugmentLayer, keras_factor, per_image, uniform
from capas.keras.layers.preprocessing._image_layer import to_nhwc
from capas.keras.saving.object_registration import register_builtin


def homography(start_points, end_points):
    """The 8 coefficients mapping each `end_points` quad onto its `start_points` quad, `(batch, 8)`."""
    start = torch.as_tensor(start_points, dtype=torch.float32)
    end = torch.as_tensor(end_points, dtype=torch.float32, device=start.device)
    rows, target = [], []
    zero, one = torch.zeros_like(end[:, 0, 0]), torch.ones_like(end[:, 0, 0])
    for k in range(4):
        ex, ey, sx, sy = end[:, k, 0], end[:, k, 1], start[:, k, 0], start[:, k, 1]
        rows.append(torch.stack([ex, ey, one, zero, zero, zero, -sx * ex, -sx * ey], dim=-1))
        rows.append(torch.stack([zero, zero, zero, ex, ey, one, -sy * ex, -sy * ey], dim=-1))
        target += [sx, sy]
    solution = torch.linalg.solve(torch.stack(rows, dim=1), torch.stack(target, dim=-1).unsqueeze(-1))
    return solution.reshape(-1, 8)


@register_builtin("layers")
class RandomPerspective(_AugmentLayer):
    """A preprocessing layer that applies random perspective transformations during training.

    Each image is warped with probability `p`, drawn per image from
    `[lower, upper]` (`factor=f` gives `[0, f]`): each corner `c` moves to
    `c * (1 + d)`, `d` drawn per coordinate from `[-scale/2, scale/2]`, and
    the image follows the homography between the two quads. Points falling
    outside the image read `fill_value`. Identity at inference.

    Args:
        factor: a float in [0, 1] or a pair: the range of the warp probability (default 1.0).
        scale: a float in [0, 1], the corners' displacement (default 1.0).
        interpolation: 'bilinear' (default) or 'nearest'.
        fill_value: the value outside the image (default 0.0).
        seed: seed of the random draws.
        data_format: 'channels_last' (default) or 'channels_first'.

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> layers.RandomPerspective(scale=0.3, seed=1)(tf.ones((2, 8, 8, 3))).shape
    torch.Size([2, 8, 8, 3])
    """

    def __init__(
        self, factor=1.0, scale=1.0, interpolation="bilinear", fill_value=0.0, seed=None, data_format=None, **kwargs
    ):
        super().__init__(data_format=data_format, **kwargs)
        self.factor = keras_factor(self, factor, bounds=(0, 1))
        if isinstance(scale, bool) or not isinstance(scale, (int, float)) or not 0 <= scale <= 1:
            raise ValueError(
                f"RandomPerspective '{self.name}': `scale` must be a number in [0, 1]; received {scale!r}."
            )
        if interpolation not in _image_ops.INTERPOLATIONS:
            raise ValueError(
                f"RandomPerspective '{self.name}': unknown interpolation {interpolation!r}; expected 'nearest' or "
                "'bilinear'."
            )
        self.scale = scale
        self.interpolation = interpolation
        self.fill_value = fill_value
        self.seed = seed

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        n = data.shape[0] if data.dim() == 4 else 1
        height, width = self._hw(data)
        probability = uniform(self, (n,), self.factor[0], self.factor[1], data.device, seed=seed)
        threshold = uniform(self, (n,), 0.0, 1.0, data.device, seed=seed)
        shift = uniform(self, (n, 4, 2), -0.5 * self.scale, 0.5 * self.scale, data.device, seed=seed)
        corners = [[0.0, 0.0], [width - 1.0, 0.0], [0.0, height - 1.0], [width - 1.0, height - 1.0]]
        start = torch.tensor([corners], dtype=torch.float32, device=data.device).repeat(n, 1, 1)
        return {
            "apply_perspective": threshold < probability,
            "start_points": start,
            "end_points": start + start * shift,
            "input_shape": tuple(data.shape),
        }

    def _transform(self, images, transformation):
        if transformation is None:
            return images
        x, undo = to_nhwc(images, self.data_format)
        batch, height, width, _ = x.shape
        h = homography(transformation["start_points"], transformation["end_points"]).to(x.device)
        h = h.expand(batch, 8).reshape(batch, 8, 1, 1)
        cols = torch.arange(width, dtype=torch.float32, device=x.device).view(1, 1, width)
        rows = torch.arange(height, dtype=torch.float32, device=x.device).view(1, height, 1)
        denominator = h[:, 6] * cols + h[:, 7] * rows + 1.0
        x_in = (h[:, 0] * cols + h[:, 1] * rows + h[:, 2]) / denominator
        y_in = (h[:, 3] * cols + h[:, 4] * rows + h[:, 5]) / denominator
        warped = _image_ops.sample(x.to(torch.float32), x_in, y_in, self.interpolation, "constant", self.fill_value)
        warped = undo(warped.to(images.dtype))
        apply = per_image(transformation["apply_perspective"], images).to(torch.bool)
        return torch.where(apply, warped, images)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "factor": self.factor,
                "scale": self.scale,
                "interpolation": self.interpolation,
                "fill_value": self.fill_value,
                "seed": self.seed,
            }
        )
        return config
