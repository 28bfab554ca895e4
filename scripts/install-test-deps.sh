#!/usr/bin/env bash
# What the tests need beyond npm packages: dockerd (docker.io), busybox-static for the stub
# image, Debian's Chromium for Playwright, poppler-utils, prometheus, postgresql, and python3 with
# venv and pip for the exporter's pytest. Installed with apt when missing and root.
set -euo pipefail
need=()
command -v dockerd >/dev/null 2>&1 || need+=(docker.io)
[ -x /bin/busybox ] || need+=(busybox-static)
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
# Prometheus and promtool: the shipped rules are checked, and an alert is seen firing.
command -v promtool >/dev/null 2>&1 || need+=(prometheus)
# PostgreSQL: the history suites run again on a private server (issue 14).
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
# The exporter's tests make a venv (ensurepip is Debian's python3-venv; pip comes with it).
command -v python3 >/dev/null 2>&1 || need+=(python3)
python3 -c "import ensurepip" >/dev/null 2>&1 || need+=(python3-venv python3-pip)
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" != "0" ]; then
  echo "The tests need: ${need[*]}. Install them as root: apt-get update && apt-get install -y ${need[*]}" >&2
  exit 1
fi
echo "Installing ${need[*]} from Debian's archive…"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
