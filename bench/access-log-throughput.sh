#!/usr/bin/env bash
# Requests per second for a 1 KiB file with the access log on and off: wrk on loopback, bounded runs.
# Alternates the two modes RUNS times each (a fresh JVM per run, warmed up first) and prints each
# run and the medians. Needs wrk (apt-get install -y wrk) and target/pier.jar (built if missing).
# Settings: RUNS (3), DURATION (10s), CONNECTIONS (50), THREADS (2), WARMUP (5s), PORT (18190),
#           FORMAT (combined), LOG (file: where Pier's stdout goes; or /dev/null),
#           ON_ARGS (more arguments for the runs with the access log, e.g. --logging.config=sync.xml).
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-3} DURATION=${DURATION:-10s} CONNECTIONS=${CONNECTIONS:-50} THREADS=${THREADS:-2}
WARMUP=${WARMUP:-5s} PORT=${PORT:-18190} FORMAT=${FORMAT:-combined} LOG=${LOG:-file} ON_ARGS=${ON_ARGS:-}

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 2; }
[[ -f target/pier.jar ]] || ./mvnw -B -q package -DskipTests

work=$(mktemp -d)
pid=""
cleanup() { [[ -n "$pid" ]] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
mkdir -p "$work/site"
head -c 1024 /dev/urandom | base64 -w 0 | head -c 1024 > "$work/site/1k.txt"

run_once() { # $1: true|false (access log)
    local out="$work/pier-$1.log" extra=()
    [[ "$LOG" == /dev/null ]] && out=/dev/null
    [[ "$1" == true && -n "$ON_ARGS" ]] && read -r -a extra <<<"$ON_ARGS"
    java -jar target/pier.jar --server.port="$PORT" --server.address=127.0.0.1 \
        --pier.document-root="$work/site" --pier.access-log.enabled="$1" --pier.access-log.format="$FORMAT" "${extra[@]}" >"$out" 2>&1 &
    pid=$!
    for _ in $(seq 1 120); do curl -fs -o /dev/null "http://127.0.0.1:$PORT/1k.txt" && break; sleep 0.25; done
    local warm report rps sent
    warm=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" "http://127.0.0.1:$PORT/1k.txt" | awk '/requests in/ {print $1}')
    report=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" "http://127.0.0.1:$PORT/1k.txt")
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$report")
    sent=$(( warm + $(awk '/requests in/ {print $1}' <<<"$report") + 1 ))  # + the readiness check
    kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
    if [[ "$1" == true && "$out" != /dev/null ]]; then
        local logged
        logged=$(grep -c '/1k.txt' "$out" || true)
        echo "access log $1: $rps requests/s; $logged lines for $sent requests (wrk may count a few more than finished)" >&2
    else
        echo "access log $1: $rps requests/s" >&2
    fi
    echo "$rps"
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

on=() off=()
for _ in $(seq 1 "$RUNS"); do
    off+=("$(run_once false)")
    on+=("$(run_once true)")
done
echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION, 1 KiB file, $RUNS runs each, access log format $FORMAT, stdout to $LOG ${ON_ARGS}"
echo "access log off: median $(printf '%s\n' "${off[@]}" | median) requests/s  (runs: ${off[*]})"
echo "access log on:  median $(printf '%s\n' "${on[@]}" | median) requests/s  (runs: ${on[*]})"
