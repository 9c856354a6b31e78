#!/usr/bin/env bash
# Does a dictate binary run on an x86-64 CPU without AVX-512 and AMX? Lists every function of the
# binary holding an AVX-512 instruction (EVEX-encoded: first byte 0x62; or naming a zmm or opmask
# register) or an AMX one (ldtilecfg, tileloadd, tdpbf16ps, ...), with its count, and fails when
# one of them is not chosen at run time. The run-time chosen ones (they check CPUID first):
#   - the AMX BF16 kernel (vendor/.../ggml-cpu/amx/bf16.cpp, `(anonymous namespace)::mul_mat`);
#   - crc32fast's AVX-512 CRC (`crc32fast::specialized::pclmulqdq::calculate_avx512`, chosen
#     with `is_x86_feature_detected!("avx512f")` and `("vpclmulqdq")`; zip's checksums).
# Another crate's feature-detected path would be listed as not chosen at run time: read its
# source, and add it below by name if it checks the CPU first.
# A native build (-march=native on an AVX-512 machine) fails this check by design.
#
# usage: bench/portable-check.sh [BINARY]   (default: target-portable/release/dictate)
# See vendor/README.md ("A portable build") and BENCHMARKS.md ("A portable build (issue 20)").
set -euo pipefail

bin="${1:-target-portable/release/dictate}"
[ -f "$bin" ] || { echo "portable-check: $bin not found (build it with DICTATE_PORTABLE=1)" >&2; exit 2; }
command -v objdump >/dev/null || { echo "portable-check: objdump not found (apt-get install binutils)" >&2; exit 2; }

# Functions allowed to hold such instructions: each checks the CPU before it is called.
allowed='^(_ZN12_GLOBAL__N_17mul_matEPK19ggml_compute_paramsP11ggml_tensorRKNS_5shapeE|_ZN9crc32fast11specialized9pclmulqdq16calculate_avx512.*)$'

report="$(objdump -d -w "$bin" | awk '
  /^[0-9a-f]+ <.*>:$/ { fn = substr($2, 2, length($2) - 3); next }
  /^ *[0-9a-f]+:\t/ {
    n = split($0, f, "\t")
    if (n < 3) next
    bytes = f[2]; insn = f[3]
    sub(/^ +/, "", bytes)
    # skip address-size and segment prefixes; an EVEX instruction then starts with 62
    while (bytes ~ /^(67|64|65) /) bytes = substr(bytes, 4)
    evex = (bytes ~ /^62 /)
    if (evex || insn ~ /%zmm|%k[0-7]|\{%k|tilecfg|tileload|tilestore|tilezero|tilerelease|^tdp/) {
      count[fn]++; total++
    }
  }
  END {
    for (g in count) printf "%d\t%s\n", count[g], g
    printf "%d\tTOTAL\n", total + 0
  }' | sort -rn)"

total="$(printf '%s\n' "$report" | awk -F'\t' '$2 == "TOTAL" { print $1 }')"
bad=0
echo "AVX-512 / AMX instructions in $bin: $total"
while IFS=$'\t' read -r n fn; do
  [ "$fn" = TOTAL ] && continue
  shown="$(c++filt "$fn")"
  if [[ "$fn" =~ $allowed ]]; then
    echo "  $n in $shown (chosen at run time)"
  else
    echo "  $n in $shown: NOT chosen at run time"
    bad=$((bad + 1))
  fi
done <<<"$report"
if [ "$bad" -gt 0 ]; then
  echo "portable-check: $bad function(s) use AVX-512 or AMX unconditionally: the binary may stop with SIGILL on a CPU without them" >&2
  exit 1
fi
echo "portable-check: ok (no AVX-512 or AMX instruction outside the functions chosen at run time)"
