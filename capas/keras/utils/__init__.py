"""keras.utils: data loading tools, progress bar, model plots and small helpers."""

from capas.keras.utils.image_dataset import image_dataset_from_directory as image_dataset_from_directory
from capas.keras.utils.image_utils import array_to_img as array_to_img
from capas.keras.utils.image_utils import img_to_array as img_to_array
from capas.keras.utils.image_utils import load_img as load_img
from capas.keras.utils.image_utils import save_img as save_img
from capas.keras.utils.misc import normalize as normalize
from capas.keras.utils.misc import set_random_seed as set_random_seed
from capas.keras.utils.misc import to_categorical as to_categorical
from capas.keras.utils.progbar import Progbar as Progbar
