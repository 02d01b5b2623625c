#!/bin/bash
# Memory of Pier (systemd unit flags) while a 2 GiB upload streams in and while a 259 MB generated response
# goes to a client reading at 40 MB/s: RSS from /proc and heap used from jstat, sampled every 200 ms.
# Usage: bench/streaming-memory.sh [target/pier.jar]   (needs curl and a JDK with jstat; 127.0.0.1 only)
set -u
JAR=${1:-target/pier.jar}
PORT=18090
java -Xms64m -Xmx128m -XX:MaxDirectMemorySize=96m -XX:ReservedCodeCacheSize=64m -Xss512k -jar $JAR --server.port=$PORT \
  --spring.profiles.active=examples --pier.access-log.enabled=false > /tmp/memtest-pier.log 2>&1 &
PID=$!
trap "kill $PID 2>/dev/null" EXIT
until curl -sf http://127.0.0.1:$PORT/readyz >/dev/null; do sleep 0.3; done
heap() { jstat -gc $PID | awk 'NR==2 {printf "%.1f", ($3+$4+$6+$8)/1024}'; }
rss() { awk '/VmRSS/ {printf "%.1f", $2/1024}' /proc/$PID/status; }
sample() { peakr=0; peakh=0; while kill -0 $1 2>/dev/null; do r=$(rss); h=$(heap); peakr=$(echo "$r $peakr" | awk '{print ($1>$2)?$1:$2}'); peakh=$(echo "$h $peakh" | awk '{print ($1>$2)?$1:$2}'); sleep 0.2; done; echo "peak RSS ${peakr} MiB, peak heap used ${peakh} MiB"; }
# warm up
head -c 67108864 /dev/zero | curl -s -T - -H 'Transfer-Encoding: chunked' http://127.0.0.1:$PORT/examples/upload >/dev/null
curl -s "http://127.0.0.1:$PORT/examples/numbers?count=1000000" >/dev/null
echo "idle after warm-up: RSS $(rss) MiB, heap used $(heap) MiB"
start=$(date +%s.%N)
( head -c 2147483648 /dev/zero | curl -s -T - -H 'Transfer-Encoding: chunked' http://127.0.0.1:$PORT/examples/upload > /tmp/memtest-upload.json ) &
C=$!
sample $C
end=$(date +%s.%N)
echo "2 GiB upload: $(cat /tmp/memtest-upload.json) in $(echo "$end - $start" | bc) s; after: RSS $(rss) MiB, heap used $(heap) MiB"
( curl -s --limit-rate 40M "http://127.0.0.1:$PORT/examples/numbers?count=30000000" | wc -c > /tmp/memtest-slow.txt ) &
C=$!
sample $C
echo "slow reader (40 MB/s) of $(cat /tmp/memtest-slow.txt) bytes; after: RSS $(rss) MiB, heap used $(heap) MiB"
