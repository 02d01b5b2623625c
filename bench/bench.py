#!/usr/bin/env python3
"""Pier against nginx on this machine, side by side, with wrk on loopback.

Usage:  bench/bench.py [--rounds 3] [--duration 8] [--warmup 20] [--scenarios a,b,c,d,e,f,g] [--jar target/pier.jar]
                       [--jvm-args '-Xmx128m'] [--pier-args '--pier.event-loops=1']

Installs nothing: needs wrk and nginx on the PATH (apt-get install -y wrk nginx) and builds the jar
with ./mvnw when it is missing. Starts nginx (worker_processes auto, sendfile, open_file_cache) and
Pier on 127.0.0.1 over one generated document root, warms Pier up, then runs every scenario for
both servers in turn, round after round, and prints medians: requests/s, p50/p99 latency, server
CPU, requests per server CPU-second, and the ratio Pier/nginx. Both servers and wrk share the
machine's cores, so single runs swing by tens of percent: read the ratios, over several rounds.
Every process it starts is stopped on exit; it sends traffic to 127.0.0.1 only.
"""
import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
PROJECT = os.path.dirname(HERE)
CLK_TCK = os.sysconf("SC_CLK_TCK")

# name, path, connections, extra wrk arguments, what it shows
SCENARIOS = {
    "a": ("1 KiB, 1 connection", "/small.txt", 1, []),
    "b": ("1 KiB, 50 connections", "/small.txt", 50, []),
    "c": ("1 KiB, 1000 connections", "/small.txt", 1000, []),
    "d": ("64 KiB, 50 connections", "/medium.bin", 50, []),
    "e": ("10 MiB, 4 connections", "/large.bin", 4, []),
    "f": ("1 KiB, new connection each", "/small.txt", 50, ["-H", "Connection: close"]),
    "g": ("1,000 files of 4 KiB, 50 conn.", "/many/", 50, []),
}

WRK_SCRIPT = r"""
local many = os.getenv("BENCH_MANY") == "1"
function init(args) math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16) % 100000) end
if many then
  request = function() return wrk.format(nil, string.format("/many/f%04d.bin", math.random(0, 999))) end
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('BENCH {"requests":%d,"micros":%d,"bytes":%d,"errors":%d,"p50":%.1f,"p99":%.1f}\n',
    summary.requests, summary.duration, summary.bytes, e.connect + e.read + e.write + e.timeout + e.status,
    latency:percentile(50), latency:percentile(99)))
end
"""

NGINX_CONF = """worker_processes auto;
daemon off;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
worker_rlimit_nofile 65535;
events {{ worker_connections 8192; }}
http {{
  types {{ text/plain txt; application/octet-stream bin; }}
  default_type application/octet-stream;
  access_log off;
  sendfile on;
  tcp_nopush on;
  tcp_nodelay on;
  keepalive_timeout 65;
  keepalive_requests 100000;
  open_file_cache max=10000 inactive=60s;
  open_file_cache_valid 60s;
  client_body_temp_path {dir}/body;
  proxy_temp_path {dir}/proxy;
  fastcgi_temp_path {dir}/fastcgi;
  uwsgi_temp_path {dir}/uwsgi;
  scgi_temp_path {dir}/scgi;
  server {{
    listen 127.0.0.1:{port} backlog=4096;
    root {root};
  }}
}}
"""


def need(tool):
    if shutil.which(tool) is None:
        sys.exit(f"bench: {tool} not found; install it with: apt-get install -y wrk nginx")


def make_root(root):
    os.makedirs(os.path.join(root, "many"))
    with open(os.path.join(root, "small.txt"), "wb") as f:
        f.write(os.urandom(768).hex().encode()[:1024])
    for name, size in (("medium.bin", 64 * 1024), ("large.bin", 10 * 1024 * 1024)):
        with open(os.path.join(root, name), "wb") as f:
            f.write(os.urandom(size))
    for i in range(1000):
        with open(os.path.join(root, "many", f"f{i:04d}.bin"), "wb") as f:
            f.write(os.urandom(4096))


def group_cpu_seconds(pgid):
    """User+system CPU of every live process in the process group."""
    ticks = 0
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:
            ticks += int(fields[11]) + int(fields[12])
    return ticks / CLK_TCK


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


class Server:
    def __init__(self, name, command, port, log):
        self.name, self.port = name, port
        self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        started = time.monotonic()
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/small.txt", timeout=2).read()
                break
            except OSError:
                if self.process.poll() is not None or time.monotonic() - started > 90:
                    self.stop()
                    log.flush()
                    with open(log.name) as output:
                        tail = output.read()[-2000:]
                    raise SystemExit(f"bench: {name} did not start:\n{tail}")
                time.sleep(0.1)
        self.startup = time.monotonic() - started

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def wrk(server, scenario, seconds, script):
    _, path, connections, extra = SCENARIOS[scenario]
    threads = str(min(2, connections))
    env = dict(os.environ, BENCH_MANY="1" if path == "/many/" else "0")
    url = f"http://127.0.0.1:{server.port}{'/many/f0000.bin' if path == '/many/' else path}"
    cpu_before = group_cpu_seconds(server.process.pid)
    out = subprocess.run(["wrk", "-t", threads, "-c", str(connections), "-d", f"{seconds}s", "--timeout", "5s", "-s", script, *extra, url],
                         capture_output=True, text=True, env=env, timeout=seconds + 60).stdout
    cpu = group_cpu_seconds(server.process.pid) - cpu_before
    line = next((l for l in out.splitlines() if l.startswith("BENCH ")), None)
    if line is None:
        sys.exit(f"bench: wrk gave no result:\n{out}")
    result = json.loads(line[6:])
    wall = result["micros"] / 1e6
    return {"rps": result["requests"] / wall, "p50": result["p50"] / 1000, "p99": result["p99"] / 1000, "errors": result["errors"],
            "mbps": result["bytes"] / wall / 2**20, "cpu": 100 * cpu / wall, "per_cpu_s": result["requests"] / cpu if cpu else 0,
            "rss": rss_mib(server.process.pid)}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=8, help="seconds per measured run")
    parser.add_argument("--warmup", type=int, default=20, help="seconds of load before measuring (JIT)")
    parser.add_argument("--scenarios", default="a,b,c,d,e,f,g")
    parser.add_argument("--jar", default=os.path.join(PROJECT, "target", "pier.jar"))
    parser.add_argument("--port", type=int, default=28180)
    parser.add_argument("--pier-args", default="", help="extra arguments for Pier, e.g. --pier.event-loops=1")
    parser.add_argument("--jvm-args", default="", help="JVM options for Pier, e.g. '-Xmx128m -XX:+UseSerialGC'")
    args = parser.parse_args()
    need("wrk")
    need("nginx")
    if not os.path.exists(args.jar):
        subprocess.run([os.path.join(PROJECT, "mvnw"), "-B", "-q", "package", "-DskipTests"], cwd=PROJECT, check=True)

    work = tempfile.mkdtemp(prefix="pier-bench-")
    # nginx's workers drop root for nobody, who must read the files.
    os.chmod(work, 0o755)
    root = os.path.join(work, "root")
    make_root(root)
    script = os.path.join(work, "bench.lua")
    with open(script, "w") as f:
        f.write(WRK_SCRIPT)
    with open(os.path.join(work, "nginx.conf"), "w") as f:
        f.write(NGINX_CONF.format(dir=work, port=args.port + 1, root=root))
    servers = []
    try:
        pier = Server("pier", ["java", *args.jvm_args.split(), "-jar", args.jar, f"--server.port={args.port}", f"--pier.document-root={root}",
                               "--pier.access-log.enabled=false", *args.pier_args.split()], args.port, open(os.path.join(work, "pier.log"), "w"))
        servers.append(pier)
        nginx = Server("nginx", ["nginx", "-p", work, "-c", os.path.join(work, "nginx.conf")], args.port + 1, open(os.path.join(work, "nginx.log"), "w"))
        servers.append(nginx)
        print(f"# {time.strftime('%Y-%m-%d %H:%M')}  {os.cpu_count()} CPUs  {subprocess.run(['java', '-version'], capture_output=True, text=True).stderr.splitlines()[0]}"
              f"  {subprocess.run(['nginx', '-v'], capture_output=True, text=True).stderr.strip()}")
        print(f"# Pier answered {pier.startup:.2f} s after start; warming up for {args.warmup} s")
        wrk(pier, "b", args.warmup, script)
        wrk(pier, "g", 3, script)
        results = {}
        for name in args.scenarios.split(","):
            for round_ in range(args.rounds):
                for server in (pier, nginx):
                    results.setdefault((name, server.name), []).append(wrk(server, name, args.duration, script))
        report(args, results)
    finally:
        for server in reversed(servers):
            server.stop()
        shutil.rmtree(work, ignore_errors=True)


def report(args, results):
    med = statistics.median
    header = f"{'scenario':34} {'server':6} {'req/s':>9} {'p50 ms':>7} {'p99 ms':>8} {'MiB/s':>8} {'CPU %':>6} {'req/CPU-s':>10} {'RSS MiB':>8} {'errors':>6}"
    print(header)
    for name in args.scenarios.split(","):
        for server in ("pier", "nginx"):
            runs = results[(name, server)]
            print(f"{name + ' ' + SCENARIOS[name][0]:34} {server:6} {med(r['rps'] for r in runs):9.0f} {med(r['p50'] for r in runs):7.3f} "
                  f"{med(r['p99'] for r in runs):8.3f} {med(r['mbps'] for r in runs):8.1f} {med(r['cpu'] for r in runs):6.0f} "
                  f"{med(r['per_cpu_s'] for r in runs):10.0f} {max(r['rss'] for r in runs):8.0f} {sum(r['errors'] for r in runs):6d}")
    print()
    print(f"{'scenario':34} {'ratio req/s (median of rounds)':>31} {'min':>6} {'max':>6} {'ratio req/CPU-s':>16} {'ratio p99':>10}")
    for name in args.scenarios.split(","):
        pier, nginx = results[(name, "pier")], results[(name, "nginx")]
        ratios = [p["rps"] / n["rps"] for p, n in zip(pier, nginx)]
        cpu = med(p["per_cpu_s"] for p in pier) / max(1, med(n["per_cpu_s"] for n in nginx))
        p99 = med(p["p99"] for p in pier) / max(1e-9, med(n["p99"] for n in nginx))
        print(f"{name + ' ' + SCENARIOS[name][0]:34} {med(ratios):31.2f} {min(ratios):6.2f} {max(ratios):6.2f} {cpu:16.2f} {p99:10.2f}")


if __name__ == "__main__":
    main()
