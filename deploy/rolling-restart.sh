#!/usr/bin/env bash
# shellcheck disable=SC2317  # cleanup and the probes run indirectly, from trap and wait_until
# Proves that Pier restarts without dropping a request, on one machine and over loopback only:
# two Pier instances behind HAProxy (which health-checks their readiness), a bounded load through
# HAProxy, and meanwhile each instance in turn is stopped with SIGTERM and started again.
# Exits 0 only if the load generator saw no non-2xx/3xx response and no failed request.
#
#   deploy/rolling-restart.sh               # HTTP/1.1 all the way, load by wrk: apt-get install -y haproxy wrk
#   PROTOCOL=h2 deploy/rolling-restart.sh   # HTTP/2 all the way, load by h2load: apt-get install -y haproxy nghttp2-client
#
# With PROTOCOL=h2, HAProxy takes h2c (prior knowledge) from h2load on its frontend and speaks h2c
# to both Pier instances, health checks included, many requests multiplexed on few connections:
# what is tested is then Pier's HTTP/2 drain (GOAWAY with 2^31-1 and a PING, then the final GOAWAY
# once the PING is answered, open streams finish) as HAProxy, a real client, sees it.
#
# Settings (environment): PROTOCOL (http1 or h2, default http1), DURATION (seconds of load, default
# 60), THREADS (2), CONNECTIONS (20), STREAMS (h2load's concurrent streams per connection, 10),
# SHUTDOWN_DELAY (pier.shutdown.delay, 3s), BASE_PORT (18080: HAProxy; +1, +2 Pier; +9 HAProxy stats),
# KEEP_LOGS=1 to keep the work folder (Pier, HAProxy and load logs) after a passing run too.
# Exit status: 0 zero failures, 1 failures or a step that did not complete, 2 missing tools.
# It starts only its own processes, tracks each by PID, and stops them all on exit.
set -euo pipefail

PROTOCOL=${PROTOCOL:-http1}
DURATION=${DURATION:-60}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-20}
STREAMS=${STREAMS:-10}
SHUTDOWN_DELAY=${SHUTDOWN_DELAY:-3s}
BASE_PORT=${BASE_PORT:-18080}
LB_PORT=$BASE_PORT
STATS_PORT=$((BASE_PORT + 9))
PORTS=($((BASE_PORT + 1)) $((BASE_PORT + 2)))
NAMES=(pier1 pier2)

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
JAR=$ROOT/target/pier.jar

log() { printf '%s %s\n' "$(date +%H:%M:%S.%3N)" "$*"; }

case $PROTOCOL in
    http1) LOAD=wrk PACKAGES="haproxy wrk" PROTO="" ;;
    h2) LOAD=h2load PACKAGES="haproxy nghttp2-client" PROTO=" proto h2" ;;
    *) echo "PROTOCOL must be http1 or h2, not '$PROTOCOL'" >&2; exit 2 ;;
esac

missing=()
for tool in haproxy "$LOAD" curl java; do
    command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if ((${#missing[@]})); then
    echo "missing: ${missing[*]}" >&2
    echo "install them with: apt-get install -y $PACKAGES" >&2
    exit 2
fi

for port in "$LB_PORT" "$STATS_PORT" "${PORTS[@]}"; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
        echo "port $port on 127.0.0.1 is already in use; set BASE_PORT to another range" >&2
        exit 1
    fi
done

if [[ ! -f $JAR ]]; then
    log "building $JAR"
    (cd "$ROOT" && ./mvnw -B -q package -DskipTests)
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/pier-rolling.XXXXXX")
declare -A PIDS=()   # name -> PID of every process this script started and has not yet reaped

cleanup() {
    local status=$?
    trap - EXIT INT TERM
    for name in "${!PIDS[@]}"; do
        kill -TERM "${PIDS[$name]}" 2>/dev/null || true
    done
    for name in "${!PIDS[@]}"; do
        local pid=${PIDS[$name]}
        for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    if ((status == 0)) && [[ ${KEEP_LOGS:-} != 1 ]]; then rm -rf "$WORK"; else echo "logs kept in $WORK" >&2; fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- Pier -------------------------------------------------------------------------------------------
start_pier() {   # name port
    local name=$1 port=$2
    # From the project root, so ./application.yml (probes on /readyz, graceful shutdown) applies.
    (cd "$ROOT" && exec java -XX:+ExitOnOutOfMemoryError -jar "$JAR" \
        --server.address=127.0.0.1 --server.port="$port" \
        --pier.document-root="$ROOT/site" --pier.shutdown.delay="$SHUTDOWN_DELAY" \
        >>"$WORK/$name.log" 2>&1) &
    PIDS[$name]=$!
}

ready() {        # port
    [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "http://127.0.0.1:$1/actuator/health/readiness") == 200 ]]
}

haproxy_status() {   # name -> UP, DOWN, "UP 1/2"...
    curl -s --max-time 1 "http://127.0.0.1:$STATS_PORT/stats;csv" |
        awk -F, -v s="$1" '$1 == "pier" && $2 == s { print $18 }'
}

wait_until() {   # seconds description command...
    local limit=$1 what=$2
    shift 2
    local deadline=$((SECONDS + limit))
    until "$@"; do
        if ((SECONDS >= deadline)); then
            log "gave up after ${limit}s waiting for: $what"
            return 1
        fi
        sleep 0.1
    done
}

is_up() { [[ $(haproxy_status "$1") == UP ]]; }
is_down() { [[ $(haproxy_status "$1") == DOWN* ]]; }

# --- HAProxy ----------------------------------------------------------------------------------------
cat >"$WORK/haproxy.cfg" <<EOF
global
    maxconn 2000
    log stdout format raw local0

defaults
    mode http
    # Log only failed or retried requests, to haproxy.log in the work folder.
    log global
    option httplog
    option dontlog-normal
    timeout connect 2s
    timeout client 30s
    timeout server 30s
    timeout http-request 10s
    # A request whose connection to a server fails is tried again (up to 3 times), each retry on
    # another server ("redispatch 1"). No "retry-on empty-response": a request that reached a
    # server is not replayed, so the drain itself is what is being tested.
    retries 3
    option redispatch 1

frontend pier_front
    # PROTOCOL=h2: "proto h2" takes h2c by prior knowledge (what h2load sends) on this frontend.
    bind 127.0.0.1:$LB_PORT$PROTO
    default_backend pier

backend pier
    balance roundrobin
    # Readiness turns 503 the moment a Pier instance gets SIGTERM; it keeps serving for
    # pier.shutdown.delay ($SHUTDOWN_DELAY), which is far longer than inter x fall (0.5s), so HAProxy
    # has stopped sending it requests before its listener closes.
    option httpchk GET /actuator/health/readiness HTTP/1.1
    http-check send hdr Host 127.0.0.1
    http-check expect status 200
    default-server inter 500ms fall 1 rise 2
    # A check's answer may take up to 2s (the default is inter, 500ms): on a small machine running
    # HAProxy, the load generator and both JVMs, one of them starting, a healthy instance's answer
    # can be late while HAProxy itself waits for a CPU, and marking it DOWN while the other restarts
    # leaves no server at all. A 503 from readiness still marks it DOWN at once.
    timeout check 2s
    # PROTOCOL=h2: "proto h2" speaks h2c to the server, its health checks too.
    server ${NAMES[0]} 127.0.0.1:${PORTS[0]} check$PROTO
    server ${NAMES[1]} 127.0.0.1:${PORTS[1]} check$PROTO

listen stats
    bind 127.0.0.1:$STATS_PORT
    stats enable
    stats uri /stats
EOF

# --- wrk --------------------------------------------------------------------------------------------
cat >"$WORK/count.lua" <<'EOF'
-- Counts responses by class in every thread and prints one summary line at the end.
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) ok = 0; bad = 0 end
function response(status, headers, body)
  if status >= 200 and status < 400 then ok = ok + 1 else bad = bad + 1 end
end
function done(summary, latency, requests)
  local ok_total, bad_total = 0, 0
  for _, t in ipairs(threads) do ok_total = ok_total + t:get("ok"); bad_total = bad_total + t:get("bad") end
  local e = summary.errors
  io.write(string.format("RESULT requests=%d ok=%d non2xx3xx=%d connect=%d read=%d write=%d timeout=%d\n",
    summary.requests, ok_total, bad_total, e.connect, e.read, e.write, e.timeout))
end
EOF

# --- run --------------------------------------------------------------------------------------------
log "starting Pier on 127.0.0.1:${PORTS[0]} and 127.0.0.1:${PORTS[1]} (pier.shutdown.delay=$SHUTDOWN_DELAY)"
for i in 0 1; do start_pier "${NAMES[$i]}" "${PORTS[$i]}"; done
for i in 0 1; do wait_until 120 "${NAMES[$i]} ready" ready "${PORTS[$i]}" || exit 1; done

haproxy -c -q -f "$WORK/haproxy.cfg"
haproxy -db -f "$WORK/haproxy.cfg" >>"$WORK/haproxy.log" 2>&1 &
PIDS[haproxy]=$!
log "HAProxy on 127.0.0.1:$LB_PORT (stats on :$STATS_PORT)"
for name in "${NAMES[@]}"; do wait_until 30 "HAProxy marks $name UP" is_up "$name" || exit 1; done

if [[ $PROTOCOL == h2 ]]; then
    log "h2load -t$THREADS -c$CONNECTIONS -m$STREAMS -D$DURATION http://127.0.0.1:$LB_PORT/index.html (h2c)"
    h2load -t"$THREADS" -c"$CONNECTIONS" -m"$STREAMS" -D"$DURATION" \
        "http://127.0.0.1:$LB_PORT/index.html" >"$WORK/load.txt" 2>&1 &
else
    log "wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s --latency http://127.0.0.1:$LB_PORT/index.html"
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$WORK/count.lua" \
        "http://127.0.0.1:$LB_PORT/index.html" >"$WORK/load.txt" 2>&1 &
fi
PIDS[load]=$!
LOAD_START=$SECONDS
sleep 3

restarted=0
for i in 0 1; do
    name=${NAMES[$i]} port=${PORTS[$i]}
    pid=${PIDS[$name]}
    log "$name: SIGTERM to PID $pid"
    kill -TERM "$pid"
    wait_until 30 "HAProxy marks $name DOWN" is_down "$name" || exit 1
    log "$name: HAProxy marks it DOWN"
    status=0
    wait "$pid" || status=$?
    unset "PIDS[$name]"
    log "$name: exited with status $status"
    if ((status != 143)); then log "$name: expected exit status 143 after SIGTERM"; exit 1; fi
    start_pier "$name" "$port"
    log "$name: started again as PID ${PIDS[$name]}"
    wait_until 120 "$name ready" ready "$port" || exit 1
    log "$name: readiness 200"
    wait_until 30 "HAProxy marks $name UP" is_up "$name" || exit 1
    log "$name: HAProxy marks it UP"
    restarted=$((restarted + 1))
done
RESTARTS_DONE=$((SECONDS - LOAD_START))

load_status=0
wait "${PIDS[load]}" || load_status=$?
unset "PIDS[load]"
log "$LOAD finished (exit status $load_status)"
echo
cat "$WORK/load.txt"
echo

if ((RESTARTS_DONE >= DURATION)); then
    echo "the restarts took ${RESTARTS_DONE}s, longer than the ${DURATION}s load: raise DURATION" >&2
    exit 1
fi
declare -A R=()
if [[ $PROTOCOL == h2 ]]; then
    # requests: 246900 total, 246920 started, 246900 done, 246900 succeeded, 0 failed, 0 errored, 0 timeout
    # status codes: 246900 2xx, 0 3xx, 0 4xx, 0 5xx
    requests=$(grep '^requests: ' "$WORK/load.txt" || true)
    codes=$(grep '^status codes: ' "$WORK/load.txt" || true)
    if [[ -z $requests || -z $codes ]]; then
        echo "h2load printed no requests or status codes line" >&2
        exit 1
    fi
    read -r total started completed succeeded failed errored timedout < <(sed -E 's/[^0-9]+/ /g' <<<"${requests#requests: }")
    read -r c2xx c3xx c4xx c5xx < <(sed -E 's/[0-9]xx//g; s/[^0-9]+/ /g' <<<"${codes#status codes: }")
    R=([total]=$total [started]=$started [done]=$completed [succeeded]=$succeeded [failed]=$failed [errored]=$errored
        [timeout]=$timedout [2xx]=$c2xx [3xx]=$c3xx [4xx]=$c4xx [5xx]=$c5xx)
    # Requests still in flight when the duration ends are abandoned by h2load (started - done): not failures.
    failures=$((R[failed] + R[errored] + R[timeout] + R[4xx] + R[5xx] + R[done] - R[succeeded]))
    ((load_status == 0 && R[done] > 0)) || failures=$((failures + 1))
    echo "restarted:             $restarted of ${#NAMES[@]} instances, both within the load (done after ${RESTARTS_DONE}s of ${DURATION}s)"
    echo "total requests:        ${R[done]} done of ${R[started]} started, ${R[succeeded]} succeeded (HTTP/2 all the way)"
    echo "status codes:          2xx ${R[2xx]}, 3xx ${R[3xx]}, 4xx ${R[4xx]}, 5xx ${R[5xx]}"
    echo "failed requests:       ${R[failed]} failed, ${R[errored]} errored, ${R[timeout]} timed out"
else
    result=$(grep '^RESULT ' "$WORK/load.txt" || true)
    if [[ -z $result ]]; then
        echo "wrk printed no RESULT line" >&2
        exit 1
    fi
    for field in ${result#RESULT }; do R[${field%%=*}]=${field#*=}; done
    failures=$((R[non2xx3xx] + R[connect] + R[read] + R[write] + R[timeout]))
    echo "restarted:             $restarted of ${#NAMES[@]} instances, both within the load (done after ${RESTARTS_DONE}s of ${DURATION}s)"
    echo "total requests:        ${R[requests]}"
    echo "non-2xx/3xx responses: ${R[non2xx3xx]}"
    echo "socket errors:         connect ${R[connect]}, read ${R[read]}, write ${R[write]}, timeout ${R[timeout]}"
fi
echo "HAProxy:               $(grep -c ' pier_front pier/' "$WORK/haproxy.log" || true) requests logged as failed or retried (option dontlog-normal)"
echo "HAProxy checks:        $(grep -c '^Server pier/.* is DOWN, reason: Layer7 wrong status, code: 503' "$WORK/haproxy.log" || true) DOWN by readiness 503," \
    "$(grep '^Server pier/.* is DOWN' "$WORK/haproxy.log" | grep -vc 'code: 503' || true) DOWN otherwise (timeouts, refused connections)"
if ((failures == 0 && restarted == ${#NAMES[@]})); then
    echo "PASS: zero failed requests across the rolling restart"
    exit 0
fi
echo "FAIL: $failures failed requests" >&2
exit 1
