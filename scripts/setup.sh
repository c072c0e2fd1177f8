#!/usr/bin/env bash
# Installs what EphysPipeline needs on Debian 12 (run as root): the native libraries and the NuGet packages.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(libhdf5-103-1 libhdf5-hl-100 libfftw3-double3 libfftw3-single3 libopenblas0)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! command -v dotnet >/dev/null 2>&1; then
  echo "setup: the .NET 10 SDK is required (dotnet not found on PATH)" >&2
  exit 1
fi
dotnet restore EphysPipeline.sln --verbosity quiet
