"""Fan-scaled initializers: VarianceScaling and its Glorot, He and LeCun presets."""

import math

from capas.keras.initializers import _random
from capas.keras.initializers.random_initializers import RandomInitializer
from capas.keras.saving.object_registration import register_builtin

# Standard deviation of a standard normal truncated to [-2, 2]: dividing by it
# makes the truncated samples have the intended variance.
_TRUNCATED_STDDEV = 0.87962566103423978


def compute_fans(shape, input_axes=None, output_axes=None):
    """Computes the number of input and output units for a weight shape.

    Kernels are laid out channels-last, as in Keras: `(units_in, units_out)`
    for Dense and `(*receptive_field, channels_in, channels_out)` for
    convolutions, whose fans are multiplied by the receptive field size.

    Args:
        shape: Integer shape tuple.
        input_axes: Optional list of ints, the axes holding input units.
        output_axes: Optional list of ints, the axes holding output units.

    Returns:
        A tuple of ints: `(fan_in, fan_out)`.

    Example:

    >>> from capas.keras.initializers.variance_scaling_initializers import compute_fans
    >>> compute_fans((3, 3, 16, 32))
    (144, 288)
    """
    shape = tuple(shape)
    if input_axes is not None and output_axes is not None:
        fan_in = math.prod(shape[axis] for axis in input_axes)
        fan_out = math.prod(shape[axis] for axis in output_axes)
        return int(fan_in), int(fan_out)
    if len(shape) == 0:
        return 1, 1
    if len(shape) == 1:
        return int(shape[0]), int(shape[0])
    receptive_field_size = math.prod(shape[:-2])
    return int(shape[-2] * receptive_field_size), int(shape[-1] * receptive_field_size)


@register_builtin("initializers", "variance_scaling")
class VarianceScaling(RandomInitializer):
    """Initializer that adapts its scale to the shape of its input tensors.

    With `distribution="truncated_normal"` or `"untruncated_normal"`, samples
    are drawn from a (truncated) normal distribution with mean zero and
    standard deviation (after truncation, if used) `stddev = sqrt(scale / n)`,
    where `n` is the number of input units (`mode="fan_in"`), output units
    (`"fan_out"`) or their average (`"fan_avg"`). With
    `distribution="uniform"`, samples are drawn from `[-limit, limit]` with
    `limit = sqrt(3 * scale / n)`.

    Args:
        scale: Scaling factor (positive float).
        mode: One of `"fan_in"`, `"fan_out"`, `"fan_avg"`.
        distribution: One of `"truncated_normal"` (alias `"normal"`),
            `"untruncated_normal"` and `"uniform"`.
        seed: A Python integer, to make the initializer deterministic, or None.
        input_axes: Optional list of ints, the axes counted for the fan-in.
        output_axes: Optional list of ints, the axes counted for the fan-out.

    Example:

    >>> from capas.keras import initializers
    >>> init = initializers.VarianceScaling(scale=0.1, mode="fan_in", distribution="uniform")
    >>> init((4, 3)).shape
    torch.Size([4, 3])
    """

    def __init__(
        self,
        scale=1.0,
        mode="fan_in",
        distribution="truncated_normal",
        seed=None,
        input_axes=None,
        output_axes=None,
    ):
        name = type(self).__name__
        if not scale > 0.0:
            raise ValueError(f"{name}: argument `scale` must be a positive float. Received: scale={scale}")
        modes = ("fan_in", "fan_out", "fan_avg")
        if mode not in modes:
            raise ValueError(f"{name}: invalid `mode` argument {mode!r}. Use one of {modes}.")
        distributions = ("truncated_normal", "untruncated_normal", "uniform")
        distribution = str(distribution).lower()
        if distribution == "normal":
            distribution = "truncated_normal"
        if distribution not in distributions:
            raise ValueError(
                f"{name}: invalid `distribution` argument {distribution!r}. "
                f"Use one of {distributions} (or 'normal', meaning 'truncated_normal')."
            )
        self.scale = scale
        self.mode = mode
        self.distribution = distribution
        self.input_axes = input_axes
        self.output_axes = output_axes
        super().__init__(seed=seed)

    def __call__(self, shape, dtype=None):
        name = type(self).__name__
        shape = _random.standardize_shape(shape, name)
        dtype = _random.standardize_dtype(dtype, name, floating=True)
        fan_in, fan_out = compute_fans(shape, self.input_axes, self.output_axes)
        if self.mode == "fan_in":
            n = fan_in
        elif self.mode == "fan_out":
            n = fan_out
        else:
            n = (fan_in + fan_out) / 2.0
        scale = self.scale / max(1.0, n)
        if self.distribution == "truncated_normal":
            stddev = math.sqrt(scale) / _TRUNCATED_STDDEV
            return _random.truncated_normal(shape, 0.0, stddev, dtype, self.seed)
        if self.distribution == "untruncated_normal":
            return _random.normal(shape, 0.0, math.sqrt(scale), dtype, self.seed)
        limit = math.sqrt(3.0 * scale)
        return _random.uniform(shape, -limit, limit, dtype, self.seed)

    def get_config(self):
        return {
            **super().get_config(),
            "scale": self.scale,
            "mode": self.mode,
            "distribution": self.distribution,
            "input_axes": self.input_axes,
            "output_axes": self.output_axes,
        }


class _Preset(VarianceScaling):
    """A VarianceScaling with fixed scale, mode and distribution (config: seed and axes)."""

    _scale = 1.0
    _mode = "fan_in"
    _distribution = "truncated_normal"

    def __init__(self, seed=None, input_axes=None, output_axes=None):
        super().__init__(
            scale=self._scale,
            mode=self._mode,
            distribution=self._distribution,
            seed=seed,
            input_axes=input_axes,
            output_axes=output_axes,
        )

    def get_config(self):
        return {"seed": self.seed, "input_axes": self.input_axes, "output_axes": self.output_axes}


@register_builtin("initializers", "glorot_uniform")
class GlorotUniform(_Preset):
    """The Glorot uniform initializer, also called Xavier uniform initializer.

    Draws samples from a uniform distribution within `[-limit, limit]`, where
    `limit = sqrt(6 / (fan_in + fan_out))`.

    Args:
        seed: A Python integer, to make the initializer deterministic, or None.
        input_axes: Optional list of ints, the axes counted for the fan-in.
        output_axes: Optional list of ints, the axes counted for the fan-out.

    Example:

    >>> from capas.keras import initializers
    >>> w = initializers.GlorotUniform(seed=0)((12, 12))  # limit sqrt(6 / 24)
    >>> bool(w.abs().max() <= 0.5 + 1e-7)
    True

    Reference:

    - [Glorot et al., 2010](http://proceedings.mlr.press/v9/glorot10a.html)
    """

    _mode = "fan_avg"
    _distribution = "uniform"


@register_builtin("initializers", "glorot_normal")
class GlorotNormal(_Preset):
    """The Glorot normal initializer, also called Xavier normal initializer.

    Draws samples from a truncated normal distribution centered on 0 with
    `stddev = sqrt(2 / (fan_in + fan_out))`.

    Args:
        seed: A Python integer, to make the initializer deterministic, or None.
        input_axes: Optional list of ints, the axes counted for the fan-in.
        output_axes: Optional list of ints, the axes counted for the fan-out.

    Example:

    >>> from capas.keras import initializers
    >>> initializers.GlorotNormal(seed=0)((2, 3)).shape
    torch.Size([2, 3])

    Reference:

    - [Glorot et al., 2010](http://proceedings.mlr.press/v9/glorot10a.html)
    """

    _mode = "fan_avg"


@register_builtin("initializers", "lecun_normal")
class LecunNormal(_Preset):
    """Lecun normal initializer.

    Draws samples from a truncated normal distribution centered on 0 with
    `stddev = sqrt(1 / fan_in)`.

    Args:
        seed: A Python integer, to make the initializer deterministic, or None.
        input_axes: Optional list of ints, the axes counted for the fan-in.
        output_axes: Optional list of ints, the axes counted for the fan-out.

    Example:

    >>> from capas.keras import initializers
    >>> initializers.LecunNormal(seed=0)((2, 3)).shape
    torch.Size([2, 3])

    Reference:

    - [Klambauer et al., 2017](https://arxiv.org/abs/1706.02515)
    """


@register_builtin("initializers", "lecun_uniform")
class LecunUniform(_Preset):
    """Lecun uniform initializer.

    Draws samples from a uniform distribution within `[-limit, limit]`, where
    `limit = sqrt(3 / fan_in)`.

    Args:
        seed: A Python integer, to make the initializer deterministic, or None.
        input_axes: Optional list of ints, the axes counted for the fan-in.
        output_axes: Optional list of ints, the axes counted for the fan-out.

    Example:

    >>> from capas.keras import initializers
    >>> initializers.LecunUniform(seed=0)((2, 3)).shape
    torch.Size([2, 3])

    Reference:

    - [Klambauer et al., 2017](https://arxiv.org/abs/1706.02515)
    """

    _distribution = "uniform"


@register_builtin("initializers", "he_normal")
class HeNormal(_Preset):
    """He normal initializer.

    Draws samples from a truncated normal distribution centered on 0 with
    `stddev = sqrt(2 / fan_in)`.

    Args:
        seed: A Python integer, to make the initializer deterministic, or None.
        input_axes: Optional list of ints, the axes counted for the fan-in.
        output_axes: Optional list of ints, the axes counted for the fan-out.

    Example:

    >>> from capas.keras import initializers
    >>> initializers.HeNormal(seed=0)((3, 3, 8, 16)).shape
    torch.Size([3, 3, 8, 16])

    Reference:

    - [He et al., 2015](https://arxiv.org/abs/1502.01852)
    """

    _scale = 2.0


@register_builtin("initializers", "he_uniform")
class HeUniform(_Preset):
    """He uniform variance scaling initializer.

    Draws samples from a uniform distribution within `[-limit, limit]`, where
    `limit = sqrt(6 / fan_in)`.

    Args:
        seed: A Python integer, to make the initializer deterministic, or None.
        input_axes: Optional list of ints, the axes counted for the fan-in.
        output_axes: Optional list of ints, the axes counted for the fan-out.

    Example:

    >>> from capas.keras import initializers
    >>> initializers.HeUniform(seed=0)((2, 3)).shape
    torch.Size([2, 3])

    Reference:

    - [He et al., 2015](https://arxiv.org/abs/1502.01852)
    """

    _scale = 2.0
    _distribution = "uniform"
