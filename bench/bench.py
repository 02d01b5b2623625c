#!/usr/bin/env python3
"""Pier against nginx on this machine, side by side, with wrk on loopback.

Usage:  bench/bench.py [--rounds 3] [--duration 8] [--warmup 20] [--scenarios a,b,c,d,e,f,g[,h,i]] [--jar target/pier.jar] [--tls]
                       [--jvm-args '-Xmx128m'] [--pier-args '--pier.event-loops=1']

Installs nothing: needs wrk and nginx on the PATH (apt-get install -y wrk nginx) and builds the jar
with ./mvnw when it is missing. Starts nginx (worker_processes auto, sendfile, open_file_cache) and
Pier on 127.0.0.1 over one generated document root, both allowing 100,000 requests per connection, warms Pier up (b, g and f), then runs every scenario for
both servers in turn, round after round, and prints medians: requests/s, p50/p99 latency, server
CPU, requests per server CPU-second, and the ratio Pier/nginx. Both servers and wrk share the
machine's cores, so single runs swing by tens of percent: read the ratios, over several rounds.
Every process it starts is stopped on exit; it sends traffic to 127.0.0.1 only.

With --tls both servers speak HTTPS only, with one self-signed EC P-256 certificate made by openssl
for the run: nginx with ssl_protocols TLSv1.2 TLSv1.3, preferring TLS_AES_128_GCM_SHA256 as Pier
does (no kTLS, so no sendfile either), Pier with the certificate as a PEM SSL bundle and its
defaults. It prints what an OpenSSL client negotiates with each. wrk resumes its TLS sessions when it
reconnects (f), so --tls adds two scenarios of openssl s_time clients: h, a full handshake for every
connection (certificate, signature, key exchange), and i, every connection resuming (a TLS 1.3 ticket).
"""
import argparse
import atexit
import json
import os
import shutil
import signal
import socket
import ssl
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

# With --tls only: TLS handshakes by two openssl s_time clients, each connection fetching /small.txt once (wrk's f resumes
# its sessions with both servers, so f alone never shows a full handshake). name: (what it shows, s_time mode)
HANDSHAKES = {
    "h": ("full handshake each (s_time -new)", "-new"),
    "i": ("resumed handshake each (s_time -reuse)", "-reuse"),
}
S_TIME_CLIENTS = 2


def describe(scenario):
    return (SCENARIOS.get(scenario) or HANDSHAKES[scenario])[0]

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

# Requests per connection for both servers (nginx keepalive_requests, Pier pier.limits.keep-alive-requests): high, so
# that wrk's connections live through a run; over TLS each reconnection is a handshake.
KEEPALIVE_REQUESTS = 100000

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
  keepalive_requests {keepalive_requests};
  open_file_cache max=10000 inactive=60s;
  open_file_cache_valid 60s;
  client_body_temp_path {dir}/body;
  proxy_temp_path {dir}/proxy;
  fastcgi_temp_path {dir}/fastcgi;
  uwsgi_temp_path {dir}/uwsgi;
  scgi_temp_path {dir}/scgi;
  server {{
    listen 127.0.0.1:{port} {ssl}backlog=4096;
    root {root};
{tls}  }}
}}
"""

# Both servers prefer TLS_AES_128_GCM_SHA256 (Pier's default order); left alone, nginx would take the OpenSSL
# client's first choice, AES-256-GCM, and the bulk scenarios would compare two different ciphers.
NGINX_TLS = """    ssl_certificate {dir}/cert.pem;
    ssl_certificate_key {dir}/key.pem;
    ssl_protocols TLSv1.2 TLSv1.3;
    ssl_prefer_server_ciphers on;
    ssl_conf_command Ciphersuites TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256;
    ssl_conf_command Options ServerPreference;
"""


def make_certificate(work):
    """A self-signed EC P-256 certificate for 127.0.0.1 and localhost, as PEM files both servers read."""
    need("openssl")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                    "-keyout", os.path.join(work, "key.pem"), "-out", os.path.join(work, "cert.pem"), "-days", "2",
                    "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
                   check=True, capture_output=True)
    os.chmod(os.path.join(work, "key.pem"), 0o600)


def pier_tls_args(work):
    """Pier's arguments for HTTPS with make_certificate's files, as a PEM SSL bundle."""
    return ["--server.ssl.bundle=bench", f"--spring.ssl.bundle.pem.bench.keystore.certificate=file:{work}/cert.pem",
            f"--spring.ssl.bundle.pem.bench.keystore.private-key=file:{work}/key.pem"]


def scratch(prefix):
    """A temporary folder and a list for the servers a run starts; both are cleaned up by the returned function,
    which also runs at exit, on Ctrl-C and on kill (a shell's background job starts with SIGINT ignored)."""
    servers, work = [], tempfile.mkdtemp(prefix=prefix)

    def clean_up():
        for server in reversed(servers):
            server.stop()
        servers.clear()
        shutil.rmtree(work, ignore_errors=True)

    atexit.register(clean_up)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    return servers, work, clean_up


def need(tool, packages="wrk nginx"):
    if shutil.which(tool) is None:
        sys.exit(f"bench: {tool} not found; install it with: apt-get install -y {packages}")


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


def refuse_if_taken(port):
    """Else the readiness probe and the load would meet whatever holds the port (another run, a server left running)."""
    try:
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
    except OSError:
        return
    raise SystemExit(f"bench: port {port} is already in use (another benchmark, a server left running?); choose others with --port")


class Server:
    """A server started in a process group of its own; ready once ready() returns (by default, once GET /small.txt
    answers over HTTP/1.1); ready() raises OSError while it is not."""

    def __init__(self, name, command, port, log, scheme="http", ready=None):
        self.name, self.port, self.scheme = name, port, scheme
        refuse_if_taken(port)
        unverified = ssl.create_default_context()
        unverified.check_hostname = False
        unverified.verify_mode = ssl.CERT_NONE
        self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        ready = ready or (lambda: urllib.request.urlopen(f"{scheme}://127.0.0.1:{port}/small.txt", timeout=2, context=unverified).read())
        started = time.monotonic()
        while True:
            try:
                ready()
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
        stop_group(self.process)


def stop_group(process):
    """Stops a server started in a process group of its own: SIGTERM, then SIGKILL after 40 s."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def negotiated(port):
    """Protocol, cipher suite and ALPN an OpenSSL client (as wrk's) gets from the server."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    context.set_alpn_protocols(["http/1.1"])
    with socket.create_connection(("127.0.0.1", port)) as raw, context.wrap_socket(raw) as tls:
        return f"{tls.version()} {tls.cipher()[0]} ALPN {tls.selected_alpn_protocol()}"


def wrk(server, scenario, seconds, script):
    _, path, connections, extra = SCENARIOS[scenario]
    threads = str(min(2, connections))
    env = dict(os.environ, BENCH_MANY="1" if path == "/many/" else "0")
    url = f"{server.scheme}://127.0.0.1:{server.port}{'/many/f0000.bin' if path == '/many/' else path}"
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


def s_time(server, scenario, seconds):
    """Connections per second that S_TIME_CLIENTS sequential openssl s_time clients get, in the shape wrk's results have."""
    mode = HANDSHAKES[scenario][1]
    cpu_before, started = group_cpu_seconds(server.process.pid), time.monotonic()
    clients = [subprocess.Popen(["openssl", "s_time", "-connect", f"127.0.0.1:{server.port}", mode, "-time", str(seconds), "-www", "/small.txt"],
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) for _ in range(S_TIME_CLIENTS)]
    outputs = [client.communicate(timeout=seconds + 60)[0] for client in clients]
    wall = time.monotonic() - started
    cpu = group_cpu_seconds(server.process.pid) - cpu_before
    connections = 0
    for out in outputs:
        # "1234 connections in 5 real seconds, 1024 bytes read per connection"; -reuse prints a first line for its one new session
        counts = [int(line.split()[0]) for line in out.splitlines() if " connections in " in line and "real seconds" in line]
        if not counts:
            sys.exit(f"bench: openssl s_time gave no result:\n{out}")
        connections += counts[-1]
    return {"rps": connections / wall, "p50": 0.0, "p99": 0.0, "errors": 0, "mbps": 0.0, "cpu": 100 * cpu / wall,
            "per_cpu_s": connections / cpu if cpu else 0, "rss": rss_mib(server.process.pid)}


def build_if_missing(jar, pom=None):
    """Builds the jar with ./mvnw (the project's, or the one of pom) when it is missing."""
    if os.path.exists(jar):
        return
    command = [os.path.join(PROJECT, "mvnw"), "-B", "-q", "package", "-DskipTests"] + (["-f", pom] if pom else [])
    print(f"# building {os.path.relpath(jar, PROJECT)}: {' '.join(command[1:])}", flush=True)
    subprocess.run(command, cwd=PROJECT, check=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=8, help="seconds per measured run")
    parser.add_argument("--warmup", type=int, default=20, help="seconds of load before measuring (JIT)")
    parser.add_argument("--scenarios", default=None, help="default a,b,c,d,e,f,g, and h,i with --tls")
    parser.add_argument("--jar", default=os.path.join(PROJECT, "target", "pier.jar"))
    parser.add_argument("--port", type=int, default=28180)
    parser.add_argument("--pier-args", default="", help="extra arguments for Pier, e.g. --pier.event-loops=1")
    parser.add_argument("--jvm-args", default="", help="JVM options for Pier, e.g. '-Xmx128m -XX:+UseSerialGC'")
    parser.add_argument("--tls", action="store_true", help="HTTPS on both servers, with a self-signed certificate made by openssl")
    args = parser.parse_args()
    if args.scenarios is None:
        args.scenarios = "a,b,c,d,e,f,g,h,i" if args.tls else "a,b,c,d,e,f,g"
    if not args.tls and any(name in HANDSHAKES for name in args.scenarios.split(",")):
        sys.exit("bench: scenarios h and i measure TLS handshakes; add --tls")
    need("wrk")
    need("nginx")
    build_if_missing(args.jar)

    work = tempfile.mkdtemp(prefix="pier-bench-")
    # nginx's workers drop root for nobody, who must read the files.
    os.chmod(work, 0o755)
    root = os.path.join(work, "root")
    make_root(root)
    script = os.path.join(work, "bench.lua")
    with open(script, "w") as f:
        f.write(WRK_SCRIPT)
    scheme = "https" if args.tls else "http"
    tls_args = []
    if args.tls:
        make_certificate(work)
        tls_args = pier_tls_args(work)
    with open(os.path.join(work, "nginx.conf"), "w") as f:
        f.write(NGINX_CONF.format(dir=work, port=args.port + 1, root=root, keepalive_requests=KEEPALIVE_REQUESTS, ssl="ssl " if args.tls else "",
                                  tls=NGINX_TLS.format(dir=work) if args.tls else ""))
    servers = []
    try:
        pier = Server("pier", ["java", *args.jvm_args.split(), "-jar", args.jar, f"--server.port={args.port}", f"--pier.document-root={root}",
                               "--pier.access-log.enabled=false", f"--pier.limits.keep-alive-requests={KEEPALIVE_REQUESTS}", *tls_args, *args.pier_args.split()], args.port,
                      open(os.path.join(work, "pier.log"), "w"), scheme)
        servers.append(pier)
        nginx = Server("nginx", ["nginx", "-p", work, "-c", os.path.join(work, "nginx.conf")], args.port + 1,
                       open(os.path.join(work, "nginx.log"), "w"), scheme)
        servers.append(nginx)
        print(f"# {scheme.upper()}  {time.strftime('%Y-%m-%d %H:%M')}  {os.cpu_count()} CPUs  {subprocess.run(['java', '-version'], capture_output=True, text=True).stderr.splitlines()[0]}"
              f"  {subprocess.run(['nginx', '-v'], capture_output=True, text=True).stderr.strip()}")
        if args.tls:
            for server in servers:
                print(f"# {server.name}: {negotiated(server.port)}")
        print(f"# Pier answered {pier.startup:.2f} s after start; warming up for {args.warmup} s")
        wrk(pier, "b", args.warmup, script)
        wrk(pier, "g", 3, script)
        # New connections take code paths of their own (accepting, and over TLS the handshake), which C2 compiles for 10-20 s.
        wrk(pier, "f", args.warmup // 2, script)
        results = {}
        for name in args.scenarios.split(","):
            for round_ in range(args.rounds):
                for server in (pier, nginx):
                    run = s_time if name in HANDSHAKES else wrk
                    results.setdefault((name, server.name), []).append(run(server, name, args.duration, *([] if name in HANDSHAKES else [script])))
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
            print(f"{name + ' ' + describe(name):34} {server:6} {med(r['rps'] for r in runs):9.0f} {med(r['p50'] for r in runs):7.3f} "
                  f"{med(r['p99'] for r in runs):8.3f} {med(r['mbps'] for r in runs):8.1f} {med(r['cpu'] for r in runs):6.0f} "
                  f"{med(r['per_cpu_s'] for r in runs):10.0f} {max(r['rss'] for r in runs):8.0f} {sum(r['errors'] for r in runs):6d}")
    print()
    print(f"{'scenario':34} {'ratio req/s (median of rounds)':>31} {'min':>6} {'max':>6} {'ratio req/CPU-s':>16} {'ratio p99':>10}")
    for name in args.scenarios.split(","):
        pier, nginx = results[(name, "pier")], results[(name, "nginx")]
        ratios = [p["rps"] / n["rps"] for p, n in zip(pier, nginx)]
        cpu = med(p["per_cpu_s"] for p in pier) / max(1, med(n["per_cpu_s"] for n in nginx))
        p99 = med(p["p99"] for p in pier) / max(1e-9, med(n["p99"] for n in nginx))
        print(f"{name + ' ' + describe(name):34} {med(ratios):31.2f} {min(ratios):6.2f} {max(ratios):6.2f} {cpu:16.2f} {p99:10.2f}")


if __name__ == "__main__":
    main()
