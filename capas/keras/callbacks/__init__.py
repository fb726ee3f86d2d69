"""Callbacks: hooks into fit, evaluate and predict."""

from capas.keras.callbacks.callback import Callback as Callback
from capas.keras.callbacks.callback_list import CallbackList as CallbackList
from capas.keras.callbacks.history import History as History
from capas.keras.callbacks.progbar_logger import ProgbarLogger as ProgbarLogger
