"""Callbacks: hooks into fit, evaluate and predict."""

from capas.keras.callbacks.backup_and_restore import BackupAndRestore as BackupAndRestore
from capas.keras.callbacks.callback import Callback as Callback
from capas.keras.callbacks.callback_list import CallbackList as CallbackList
from capas.keras.callbacks.csv_logger import CSVLogger as CSVLogger
from capas.keras.callbacks.early_stopping import EarlyStopping as EarlyStopping
from capas.keras.callbacks.history import History as History
from capas.keras.callbacks.lambda_callback import LambdaCallback as LambdaCallback
from capas.keras.callbacks.learning_rate_scheduler import LearningRateScheduler as LearningRateScheduler
from capas.keras.callbacks.model_checkpoint import ModelCheckpoint as ModelCheckpoint
from capas.keras.callbacks.orbax_checkpoint import OrbaxCheckpoint as OrbaxCheckpoint
from capas.keras.callbacks.progbar_logger import ProgbarLogger as ProgbarLogger
from capas.keras.callbacks.reduce_lr_on_plateau import ReduceLROnPlateau as ReduceLROnPlateau
from capas.keras.callbacks.remote_monitor import RemoteMonitor as RemoteMonitor
from capas.keras.callbacks.swap_ema_weights import SwapEMAWeights as SwapEMAWeights
from capas.keras.callbacks.tensorboard import TensorBoard as TensorBoard
from capas.keras.callbacks.terminate_on_nan import TerminateOnNaN as TerminateOnNaN
