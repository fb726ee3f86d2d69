#!/usr/bin/env bash
# Data-parallel benchmark on the GPUs of one node (NCCL, one process per GPU).
# Usage: bash benchmarks/distributed_gpu.sh   (from the repository root)
set -euo pipefail
n=$(python -c "import torch; print(torch.cuda.device_count())")
procs="1"; p=2; while [ "$p" -le "$n" ]; do procs="$procs $p"; p=$((p * 2)); done
python -m benchmarks.distributed --device cuda --nproc $procs --samples 61440 --epochs 3 --threads 4
