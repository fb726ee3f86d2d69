"""`Discretization`: buckets continuous values by boundaries (given, or adapted as quantiles)."""

import numpy as np
import torch

from capas.keras.layers._dtype_policy import serialize_policy
from capas.keras.layers.layer import Layer
from capas.keras.layers.preprocessing import _encoding
from capas.keras.saving.object_registration import register_builtin


@register_builtin("layers")
class Discretization(Layer):
    """A preprocessing layer which buckets continuous features by ranges.

    Value `x` goes to bucket `i` when `bin_boundaries[i-1] <= x <
    bin_boundaries[i]` (bucket 0 below the first boundary). `adapt(data)`
    computes `num_bins - 1` boundaries from approximate quantiles of the
    data, with Keras's summary algorithm (same boundaries as Keras).

    Args:
        bin_boundaries: sorted list of boundaries, or None to `adapt()`.
        num_bins: number of bins to adapt to.
        epsilon: error tolerance of the quantile summary (default 0.01).
        output_mode: 'int' (default, int32 as Keras on torch), 'one_hot', 'multi_hot' or 'count' (float32).
        sparse: must be False.

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> layer = layers.Discretization(bin_boundaries=[0.0, 1.0, 2.0])
    >>> layer(tf.constant([[-1.5, 1.0, 3.4, 0.5], [0.0, 3.0, 1.3, 0.0]])).tolist()
    [[0, 2, 3, 1], [1, 3, 2, 1]]
    """

    def __init__(
        self, bin_boundaries=None, num_bins=None, epsilon=0.01, output_mode="int", sparse=False, dtype=None, name=None
    ):
        super().__init__(name=name, dtype=dtype)
        if output_mode not in _encoding.OUTPUT_MODES:
            raise ValueError(
                f"Discretization '{self.name}': unknown output_mode {output_mode!r}; expected one of "
                f"{list(_encoding.OUTPUT_MODES)}."
            )
        if sparse:
            raise ValueError(f"Discretization '{self.name}': sparse=True is not supported by capas.")
        if num_bins is not None and num_bins < 0:
            raise ValueError(f"Discretization '{self.name}': `num_bins` must be >= 0; received {num_bins}.")
        if bin_boundaries is not None and num_bins is not None and len(bin_boundaries) != num_bins - 1:
            raise ValueError(
                f"Discretization '{self.name}': both `num_bins` ({num_bins}) and `bin_boundaries` "
                f"({len(bin_boundaries)} values) were given and disagree; pass only one."
            )
        self.bin_boundaries = list(bin_boundaries) if bin_boundaries is not None else None
        self.num_bins = num_bins
        self.epsilon = epsilon
        self.output_mode = output_mode
        self.sparse = False
        self.reset_state()

    @property
    def input_dtype(self):
        return "float32"

    @property
    def output_dtype(self):
        return self.compute_dtype if self.output_mode != "int" else "int32"

    def adapt(self, data, steps=None):
        """Compute quantile boundaries of `data` (an array, or an iterable of batches)."""
        if self.num_bins is None:
            raise ValueError(
                f"Discretization '{self.name}' was created with `bin_boundaries`, so it cannot adapt; create it "
                "with `num_bins=` instead."
            )
        self.reset_state()
        if isinstance(data, (np.ndarray, torch.Tensor)) or np.isscalar(data):
            self.update_state(data)
        else:
            for i, batch in enumerate(data):
                if steps is not None and i >= steps:
                    break
                self.update_state(batch)
        self.finalize_state()

    def update_state(self, data):
        if isinstance(data, torch.Tensor):
            data = data.detach().cpu().numpy()
        summary = _summarize(np.asarray(data, dtype="float32"), self.epsilon)
        self.summary = _merge(summary, self.summary, self.epsilon)

    def finalize_state(self):
        if self.num_bins is not None:
            self.bin_boundaries = _compress(self.summary, 1.0 / self.num_bins)[0, :-1].tolist()

    def reset_state(self):
        if self.num_bins is not None:
            self.summary = np.zeros((2, 0), dtype="float32")

    def call(self, inputs):
        if self.bin_boundaries is None:
            raise ValueError(
                f"Discretization '{self.name}' has no bin boundaries: pass `bin_boundaries=` when creating it, "
                "or call `adapt(data)` before using it."
            )
        boundaries = torch.as_tensor(self.bin_boundaries, dtype=torch.float32, device=inputs.device)
        values = inputs.to(torch.float32) if not inputs.is_floating_point() else inputs
        ids = torch.bucketize(values, boundaries.to(values.dtype), right=True)
        depth = len(self.bin_boundaries) + 1
        return _encoding.encode(ids, self.output_mode, depth, self.output_dtype)

    def get_config(self):
        return {
            "bin_boundaries": self.bin_boundaries,
            "num_bins": self.num_bins,
            "epsilon": self.epsilon,
            "output_mode": self.output_mode,
            "sparse": False,
            "name": self.name,
            "dtype": serialize_policy(self._dtype_policy),
        }

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        boundaries = config.get("bin_boundaries")
        if boundaries is not None and config.get("num_bins") is not None:
            config.pop("bin_boundaries")
            layer = cls(**config)
            layer.bin_boundaries = boundaries
            return layer
        return cls(**config)


def _summarize(values, epsilon):
    """Every `step`-th sorted value, each standing for `step` values (step = size * epsilon, at least 1)."""
    values = np.sort(values.reshape(-1))
    step = max(values.size * epsilon, 1)
    picked = values[int(step - 1) :: int(step)]
    return np.stack([picked, np.full_like(picked, step)])


def _merge(first, second, epsilon):
    merged = np.concatenate([first, second], axis=1)
    merged = merged[:, np.argsort(merged[0])]
    return _compress(merged, epsilon)


def _compress(summary, epsilon):
    """Re-bin a summary at the cumulative-weight fractions epsilon, 2*epsilon, ..., 1."""
    if summary.shape[1] * epsilon < 1:
        return summary
    fractions = epsilon + np.arange(0.0, 1.0, epsilon)
    cumulative = summary[1].cumsum()
    position = cumulative / cumulative[-1]
    values = np.interp(fractions, position, summary[0])
    weights = np.diff(np.interp(fractions, position, cumulative), prepend=0.0)
    return np.stack([values, weights]).astype("float32")
