#!/usr/bin/env bash
# Throughput of the shared PostgreSQL queue with 1, 2 and 3 workers on this machine: a throwaway
# PostgreSQL cluster (Debian's postgresql, as `nobody` when run as root), N distinct recordings
# made from the samples, each configuration draining a fresh database ROUNDS times (alternating);
# wall time until the last worker stops (--until-empty), audio per wall second, and the database's
# load per job (transactions committed, from pg_stat_database).
# usage: bench/queue-workers.sh [N_RECORDINGS] [ROUNDS]   (default 24 recordings, 2 rounds)
# Run it on an otherwise idle machine: whisper.cpp's threads spin while they wait.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-24}
rounds=${2:-2}
bin=$PWD/target/release/dictate
[ -x "$bin" ] || ./scripts/setup.sh
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$pgbin/initdb" ] || { echo "queue-workers: needs Debian's postgresql package" >&2; exit 2; }
work=$(mktemp -d)
as_owner() { if [ "$(id -u)" = 0 ]; then (cd "$work" && runuser -u nobody -- "$@"); else "$@"; fi; }
[ "$(id -u)" = 0 ] && chown nobody "$work"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
as_owner "$pgbin/initdb" -A trust -U dictate -D "$work/pg" >/dev/null
as_owner "$pgbin/pg_ctl" -w -D "$work/pg" -l "$work/pg.log" \
  -o "-p $port -k $work -c listen_addresses=127.0.0.1" start >/dev/null
trap 'as_owner "$pgbin/pg_ctl" -m fast -D "$work/pg" stop >/dev/null 2>&1; rm -rf "$work"' EXIT
base="postgres://dictate@127.0.0.1:$port"
python3 bench/make-inbox.py "$work/inbox" "$n" >/dev/null
audio=$(python3 - "$work/inbox" <<'PY'
import os, sys, wave
total = 0.0
for d, _, fs in os.walk(sys.argv[1]):
    for f in fs:
        with wave.open(os.path.join(d, f)) as w:
            total += w.getnframes() / w.getframerate()
print(f"{total:.1f}")
PY
)
# Configurations: worker processes : threads each : recordings at once in each (2 cores).
configs="1:2:1 1:2:2 2:1:1 3:1:1"
: > "$work/times"
for r in $(seq "$rounds"); do
  for c in $configs; do
    IFS=: read -r w t j <<< "$c"; db="q_${r}_${w}_${t}_${j}"
    psql -q "$base/postgres" -c "CREATE DATABASE $db" >/dev/null
    url="$base/$db"
    rm -rf "$work/out"
    "$bin" -q submit "$work/inbox" --out "$work/out" --queue "$url" >/dev/null
    before=$(psql -tA "$url" -c "SELECT xact_commit FROM pg_stat_database WHERE datname = '$db'")
    start=$(date +%s.%N)
    pids=()
    for i in $(seq "$w"); do
      "$bin" -q --threads "$t" worker --jobs "$j" --until-empty --queue "$url" 2>/dev/null &
      pids+=($!)
    done
    for p in "${pids[@]}"; do wait "$p"; done
    end=$(date +%s.%N)
    sleep 1  # the statistics collector's last report
    after=$(psql -tA "$url" -c "SELECT xact_commit FROM pg_stat_database WHERE datname = '$db'")
    done_jobs=$(psql -tA "$url" -c "SELECT COUNT(*) FROM dictate_jobs WHERE state = 'done'")
    [ "$done_jobs" = "$n" ] || { echo "queue-workers: $c left $done_jobs of $n done" >&2; exit 1; }
    echo "$c $(awk "BEGIN { print $end - $start }") $((after - before))" >> "$work/times"
  done
done
python3 - "$work/times" "$n" "$audio" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
n, audio = int(sys.argv[2]), float(sys.argv[3])
med = {}
print(f"{n} recordings, {audio / 60:.1f} min of audio; median wall time of each configuration:")
for c in dict.fromkeys(r[0] for r in rows):
    walls = [float(r[1]) for r in rows if r[0] == c]
    tx = [int(r[2]) for r in rows if r[0] == c]
    med[c] = statistics.median(walls)
    w, t, j = c.split(":")
    print(f"  {w} worker(s) x {t} thread(s), {j} recording(s) at once each: {med[c]:.1f} s "
          f"({', '.join(f'{x:.1f}' for x in walls)}), "
          f"{audio / med[c]:.1f}x real time, {med['1:2:1'] / med[c]:.2f}x the throughput of one worker "
          f"on one recording at a time, "
          f"{statistics.median(tx) / n:.1f} database transactions per job")
PY
