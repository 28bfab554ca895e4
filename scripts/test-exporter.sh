#!/usr/bin/env bash
# The Python exporter's own tests: a venv in .tmp/exporter-venv (kept between runs), pytest and
# the build tools installed once with pip as configured, the package installed from examples/python.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=.tmp/exporter-venv
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
py="$venv/bin/python"
"$py" -c "import pytest, setuptools, wheel" 2>/dev/null || "$py" -m pip install -q pytest setuptools wheel
# Installed, not imported from the tree, so the pyproject is tested too; no build isolation needs no network.
"$py" -m pip install -q --no-build-isolation --no-deps --force-reinstall ./examples/python
rm -rf examples/python/build examples/python/*.egg-info
# From another folder, so the source tree is not on sys.path.
cd "$venv" && exec bin/pytest -q -p no:cacheprovider "$OLDPWD/examples/python/tests" "$@"
