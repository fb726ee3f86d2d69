"""tf.keras (Keras 2) names that Keras 3 dropped, kept so tutorial code runs unchanged.

`tf.keras.losses.Reduction.NONE` and friends (`'auto'` means
`'sum_over_batch_size'`, as it did in tf.keras; see `loss.standardize_reduction`),
and the short function aliases `tf.keras.losses.mse`, `.mae`, `.kld`, `.logcosh`, ...
"""

from capas.keras.losses.losses import kl_divergence
from capas.keras.losses.losses import log_cosh
from capas.keras.losses.losses import mean_absolute_error
from capas.keras.losses.losses import mean_absolute_percentage_error
from capas.keras.losses.losses import mean_squared_error
from capas.keras.losses.losses import mean_squared_logarithmic_error

mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error
mape = MAPE = mean_absolute_percentage_error
msle = MSLE = mean_squared_logarithmic_error
kld = KLD = kullback_leibler_divergence = kl_divergence
logcosh = log_cosh


class Reduction:
    """tf.keras's reduction names, as strings Keras 3 understands.

    Example:

    >>> Reduction.SUM_OVER_BATCH_SIZE
    'sum_over_batch_size'
    """

    AUTO = "auto"
    NONE = "none"
    SUM = "sum"
    SUM_OVER_BATCH_SIZE = "sum_over_batch_size"

    @classmethod
    def all(cls):
        return (cls.AUTO, cls.NONE, cls.SUM, cls.SUM_OVER_BATCH_SIZE)

    @classmethod
    def validate(cls, key):
        if key not in cls.all():
            raise ValueError(f'Invalid Reduction Key: {key}. Expected keys are "{cls.all()}"')
