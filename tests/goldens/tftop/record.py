"""Record the tftop goldens from real TensorFlow: `/work/tfvenv/bin/python tests/goldens/tftop/record.py`."""

import os
import sys

import tensorflow as tf

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [HERE, os.path.dirname(HERE)]

from _exec_cases import record  # noqa: E402
from cases import CASES, run_case  # noqa: E402

if __name__ == "__main__":
    record(tf, HERE, CASES, run_case)
