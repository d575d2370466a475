#!/usr/bin/env bash
# Installs the PyTorch reference (Debian's torch with multithreaded OpenBLAS) that `npm run bench` compares against.
set -euo pipefail
if /usr/bin/python3 -c 'import torch' 2>/dev/null; then
  echo "torch already importable: $(/usr/bin/python3 -c 'import torch; print(torch.__version__)')"
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update
# Without an optimized BLAS Debian's torch falls back to a reference BLAS and runs ~40x slower.
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends python3-torch libopenblas0-pthread
/usr/bin/python3 -c 'import torch; print("torch", torch.__version__)'
