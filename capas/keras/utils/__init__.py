"""keras.utils: progress bar and small helpers."""

from capas.keras.utils.misc import normalize as normalize
from capas.keras.utils.misc import set_random_seed as set_random_seed
from capas.keras.utils.misc import to_categorical as to_categorical
from capas.keras.utils.progbar import Progbar as Progbar
