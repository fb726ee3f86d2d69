"""keras.preprocessing.image: load_img, img_to_array, array_to_img, save_img (from keras.utils)."""

from capas.keras.utils import array_to_img as array_to_img
from capas.keras.utils import img_to_array as img_to_array
from capas.keras.utils import load_img as load_img
from capas.keras.utils import save_img as save_img
