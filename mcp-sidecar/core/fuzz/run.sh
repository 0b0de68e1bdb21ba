#!/usr/bin/env bash
# Builds the core's fuzz targets with cargo-fuzz and runs each for a bounded time.
#
#   mcp-sidecar/core/fuzz/run.sh [SECONDS_PER_TARGET] [TARGET...]
#
# Stable Rust is enough: with `--sanitizer none` cargo-fuzz passes only stable `-C`
# flags (libFuzzer's coverage instrumentation). The code under test is safe Rust
# (`unsafe_code = "forbid"`), so an address sanitizer would have nothing to find;
# panics, overflows (`--debug-assertions`), hangs (`-timeout`) and runaway memory
# (`-rss_limit_mb`) are what a run looks for. New inputs go to a temporary copy of
# the corpus: the one kept in the repository (corpus/) is only read, so a run leaves
# the working tree as it was. A failing input is kept under the target dir and
# printed, to be turned into a regular test.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
seconds=${1:-45}
shift || true
target_dir=${CARGO_TARGET_DIR:-$(cd "$here/../../.." && pwd)/target}/fuzz
artifacts=$target_dir/artifacts
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$artifacts"

fuzz=(cargo fuzz)
options=(--fuzz-dir "$here" --sanitizer none --debug-assertions --target-dir "$target_dir")
cd "$here/.."
# cargo-fuzz has no --locked: check the committed Cargo.lock first, so a run never
# changes the working tree.
if ! cargo metadata --locked --format-version 1 --manifest-path "$here/Cargo.toml" >/dev/null 2>"$work/lock.log"; then
  cat "$work/lock.log"
  echo "fuzz: $here/Cargo.lock is out of date: run \`cargo update --workspace --manifest-path $here/Cargo.toml\` and commit it"
  exit 1
fi
# Warnings in the fuzz targets fail the run (found in the build's output: a
# RUSTFLAGS of -D warnings would rebuild every dependency).
if ! "${fuzz[@]}" build "${options[@]}" >"$work/build.log" 2>&1; then
  cat "$work/build.log"
  echo "fuzz: the build failed"
  exit 1
fi
if grep -q '^warning' "$work/build.log"; then
  grep -A8 '^warning' "$work/build.log"
  echo "fuzz: the build has warnings"
  exit 1
fi
targets=("$@")
[ ${#targets[@]} -gt 0 ] || mapfile -t targets < <("${fuzz[@]}" list --fuzz-dir "$here")

failed=()
for target in "${targets[@]}"; do
  mkdir -p "$work/$target"
  log=$work/$target.log
  started=$SECONDS
  if "${fuzz[@]}" run "${options[@]}" "$target" "$work/$target" "$here/corpus/$target" -- \
      -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=8192 \
      -artifact_prefix="$artifacts/$target-" -print_final_stats=1 >"$log" 2>&1; then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    corpus=$(find "$work/$target" "$here/corpus/$target" -type f | wc -l)
    printf 'fuzz %-14s %10s runs in %3d s, %4d inputs in the corpus, no failure\n' \
      "$target" "${runs:-?}" $((SECONDS - started)) "$corpus"
  else
    failed+=("$target")
    printf 'fuzz %s FAILED after %d s:\n' "$target" $((SECONDS - started))
    grep -E 'panicked|ERROR: libFuzzer|Test unit written|SUMMARY' "$log" | head -20 || tail -40 "$log"
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: ${#failed[@]} target(s) failed: ${failed[*]} (inputs in $artifacts)"
  exit 1
fi
