#!/usr/bin/env bash
# GPU check for issue 16 point 6, run on a machine with one CUDA GPU (never in CI).
# Prints the device, then the seed/wide/predict table on CUDA (capas eager and jit against the
# reference loop); stays under 8 minutes (each run has its own timeout). Usage, from the repo root:
#     bash benchmarks/gpu_check.sh [python]
# Not yet run: no GPU was lent while this was written.
set -u
PY=${1:-python}
export PYTHONPATH=${PYTHONPATH:-$PWD}
$PY -c "import torch; print(torch.__version__, torch.cuda.is_available(), torch.cuda.get_device_name(0) if torch.cuda.is_available() else '-')"
timeout 240 $PY -m benchmarks --device cuda --smoke || echo "smoke run failed (rc=$?)"
timeout 200 $PY -m benchmarks --device cuda --workloads seed wide predict --repeats 3 --threads 1 --no-keras \
    --json bench_results/gpu.json || echo "table run failed or timed out (rc=$?)"
