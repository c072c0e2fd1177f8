#!/usr/bin/env bash
# Sets up what is missing, builds, runs every test project (FFTW and OpenBLAS), runs the engine test projects once
# more on the managed FFT (EPHYS_FFT=managed, FftSharp), then the Slurm integration test against a real single-node
# Slurm (scripts/slurm-integration.sh). Prints "N passed, N failed" last.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh || exit 1
# Test-only: xarray and h5netcdf read spectra.h5 back, hdmf reads ephys_metrics.nwb back (never runtime dependencies).
if ! /usr/bin/python3 -c "import xarray, h5netcdf, hdmf" >/dev/null 2>&1; then
  echo "test: installing python3-xarray python3-h5netcdf python3-hdmf (test-only)"
  apt-get update -qq && apt-get install -y -qq --no-install-recommends python3-xarray python3-h5netcdf python3-hdmf >/dev/null || exit 1
fi
dotnet build EphysPipeline.sln -c Release --no-restore --nologo -v q -clp:ErrorsOnly || exit 1

log=$(mktemp)
dotnet test EphysPipeline.sln -c Release --no-build --nologo 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# The same engine tests, built once, on the other FFT provider (tests/EphysPipeline.TestSupport/TestBackends.cs).
for engine in Spectral Preprocessing Phase Entropy; do
  EPHYS_FFT=managed dotnet test "tests/EphysPipeline.$engine.Tests" -c Release --no-build --nologo 2>&1 | sed "s/^/[managed fft] /" | tee -a "$log"
  managed_status=${PIPESTATUS[0]}
  if [ "$managed_status" -ne 0 ]; then status=$managed_status; fi
done
passed=$(grep -oE 'Passed: +[0-9]+' "$log" | awk '{s += $2} END {print s + 0}')
failed=$(grep -oE 'Failed: +[0-9]+' "$log" | awk '{s += $2} END {print s + 0}')

bash scripts/slurm-integration.sh 2>&1 | tee "$log"
slurm_status=${PIPESTATUS[0]}
summary=$(grep -E '^slurm-integration: [0-9]+ passed, [0-9]+ failed' "$log" | tail -1)
slurm_passed=$(echo "$summary" | grep -oE '[0-9]+ passed' | grep -oE '[0-9]+' || echo 0)
slurm_failed=$(echo "$summary" | grep -oE '[0-9]+ failed' | grep -oE '[0-9]+' || echo 1)
rm -f "$log"

passed=$((passed + ${slurm_passed:-0}))
failed=$((failed + ${slurm_failed:-1}))
echo "tests: $passed passed, $failed failed"
if [ "$status" -ne 0 ] || [ "$slurm_status" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ]; then exit 1; fi
