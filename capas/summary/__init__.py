"""`tf.summary`: write scalars, histograms, images, text and audio for TensorBoard (docs/summary.md)."""

from capas.summary import experimental as experimental
from capas.summary._ops import audio as audio
from capas.summary._ops import graph as graph
from capas.summary._ops import histogram as histogram
from capas.summary._ops import image as image
from capas.summary._ops import scalar as scalar
from capas.summary._ops import text as text
from capas.summary._ops import trace_export as trace_export
from capas.summary._ops import trace_off as trace_off
from capas.summary._ops import trace_on as trace_on
from capas.summary._ops import write as write
from capas.summary._writer import SummaryWriter as SummaryWriter
from capas.summary._writer import create_file_writer as create_file_writer
from capas.summary._writer import create_noop_writer as create_noop_writer
from capas.summary._writer import flush as flush
from capas.summary._writer import record_if as record_if
from capas.summary._writer import should_record_summaries as should_record_summaries
