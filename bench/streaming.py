#!/usr/bin/env python3
"""Streamed uploads and streamed responses: Pier against nginx on this machine, in the same run.

Usage:  bench/streaming.py [--rounds 5] [--size 1073741824] [--count 20000000] [--jar target/pier.jar]
                           [--wrk-duration 8] [--no-wrk] [--no-chunked]

Installs nothing: needs curl, wrk and nginx on the PATH (apt-get install -y curl wrk nginx) and
builds the jar with ./mvnw when it is missing. Starts Pier (Spring profile `examples`, with the
memory flags of the systemd unit) and nginx (stock Debian build, its DAV module) on 127.0.0.1, on
free ports, over one generated document root, warms both up, then runs round after round, the two
servers interleaved, and prints medians:

- upload: one file of --size random bytes PUT with curl, with Content-Length (`curl -T file`) and
  chunked (`curl -T -` from stdin). Pier: PUT /examples/upload, which reads the body as it streams
  on a worker, hashes it with SHA-256 and answers its length and digest (checked against the file's:
  a wrong digest fails the run). nginx: `dav_methods PUT` in a location with
  `client_body_buffer_size 128k`, so the body goes to a temp file under client_body_temp_path and is
  renamed into place (checked by size), no backend. The workloads differ: Pier hashes, nginx writes
  a file.
- response: Pier's /examples/numbers?count=N (a chunked response generated as written) against
  nginx sending a static file of exactly the same bytes with sendfile (an upper bound), and Pier
  sending that same static file (its zero-copy path); the streamed body is checked once against
  the file's SHA-256. Plus a short wrk run of /examples/numbers?count=100 against the equivalent
  292-byte static file on both servers.

Per run: MB/s (10^6 bytes) from curl's time_total, server CPU seconds (utime+stime of every process
in the server's process group: the JVM, or nginx's master and workers), curl's CPU seconds, and the
server's RSS (summed over the group) sampled every 100 ms: before, peak, after. Client and servers
share the machine's cores; read the ratios, over several rounds. Every process it starts is stopped
on exit, by its process group, and the temp directory removed; it sends traffic to 127.0.0.1 only.
"""
import argparse
import hashlib
import json
import os
import resource
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # no bench/__pycache__ left in the working tree
import bench  # noqa: E402  (definitions only: no side effects at import)

PROJECT = bench.PROJECT
MIB = 1024 * 1024
MB = 1e6

# The production memory flags, from deploy/ (the systemd unit).
PIER_JVM = ["-Xms64m", "-Xmx128m", "-XX:MaxDirectMemorySize=96m", "-XX:ReservedCodeCacheSize=64m", "-Xss512k"]

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
    # The reference for a streamed upload: the whole body read into a temp file, then renamed into
    # place, no backend. The DAV module always takes the body in a file.
    location /upload/ {{
      root {put};
      dav_methods PUT;
      create_full_put_path on;
      dav_access user:rw;
      client_max_body_size 0;
      client_body_buffer_size 128k;
    }}
  }}
}}
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def group_pids(pgid):
    pids = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:
            pids.append(int(pid))
    return pids


def group_rss_mib(pgid):
    total = 0.0
    for pid in group_pids(pgid):
        try:
            total += bench.rss_mib(pid)
        except OSError:
            pass
    return total


def children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measured(server, command, stdin=None, timeout=1800):
    """Runs a client command against the server: its output, server and client CPU, server RSS every 100 ms."""
    pgid = server.process.pid
    samples = [group_rss_mib(pgid)]
    done = threading.Event()

    def sample():
        while not done.wait(0.1):
            samples.append(group_rss_mib(pgid))

    sampler = threading.Thread(target=sample, daemon=True)
    cpu_before, client_before = bench.group_cpu_seconds(pgid), children_cpu()
    sampler.start()
    try:
        out = subprocess.run(command, stdin=stdin, capture_output=True, text=True, timeout=timeout)
    finally:
        done.set()
        sampler.join()
    server_cpu, client = bench.group_cpu_seconds(pgid) - cpu_before, children_cpu() - client_before
    time.sleep(0.2)
    after = group_rss_mib(pgid)
    if out.returncode != 0:
        sys.exit(f"streaming: {' '.join(command)} failed ({out.returncode}): {out.stderr.strip()}")
    return out.stdout, {"cpu": server_cpu, "client": client, "rss_before": samples[0], "rss_peak": max(samples + [after]),
                        "rss_after": after}


def curl_write_out(stdout):
    """The body curl printed, and the last line: '-w' fields."""
    body, _, last = stdout.rpartition("\n")
    return body, last.split()


def upload(server, path, url, size, digest, chunked):
    """One PUT of the file; checks what the server got."""
    command = ["curl", "-sS", "-H", "Expect:", "-w", "\n%{http_code} %{size_upload} %{time_total}"]
    stdin = None
    if chunked:
        stdin = open(path, "rb")
        command += ["-T", "-", "-H", "Transfer-Encoding: chunked", url]
    else:
        command += ["-T", path, url]
    os.sync()
    try:
        stdout, result = measured(server, command, stdin)
    finally:
        if stdin:
            stdin.close()
    body, (status, sent, seconds) = curl_write_out(stdout)
    seconds = float(seconds)
    # Chunked, curl counts the chunks' framing too; the server's count is checked below either way.
    if int(float(sent)) < size or not chunked and int(float(sent)) != size:
        sys.exit(f"streaming: curl sent {sent} bytes to {server.name}, not {size}")
    if server.name == "pier":
        if status != "200":
            sys.exit(f"streaming: pier answered {status}: {body[:500]}")
        answer = json.loads(body)
        if answer["bytes"] != size or answer["sha256"] != digest:
            sys.exit(f"streaming: FAILED, pier got {answer['bytes']} bytes, sha256 {answer['sha256']}; the file has {size}, {digest}")
    else:
        if status not in ("201", "204"):
            sys.exit(f"streaming: nginx answered {status}: {body[:500]}")
        stored = server.put_file
        if os.path.getsize(stored) != size:
            sys.exit(f"streaming: nginx stored {os.path.getsize(stored)} bytes, not {size}")
        os.remove(stored)
    result.update(seconds=seconds, mbps=size / seconds / MB)
    return result


def download(server, url, size):
    command = ["curl", "-sS", "-o", "/dev/null", "-w", "\n%{http_code} %{size_download} %{time_total}", url]
    os.sync()
    stdout, result = measured(server, command)
    _, (status, got, seconds) = curl_write_out(stdout)
    if status != "200" or int(float(got)) != size:
        sys.exit(f"streaming: {url} gave {status} with {got} bytes, not {size}")
    seconds = float(seconds)
    result.update(seconds=seconds, mbps=size / seconds / MB)
    return result


def sha256_of_url(url):
    digest, total = hashlib.sha256(), 0
    with urllib.request.urlopen(url, timeout=600) as response:
        while block := response.read(MIB):
            digest.update(block)
            total += len(block)
    return digest.hexdigest(), total


def wrk(server, url, seconds, script):
    pgid = server.process.pid
    cpu_before = bench.group_cpu_seconds(pgid)
    out = subprocess.run(["wrk", "-t", "2", "-c", "50", "-d", f"{seconds}s", "--timeout", "5s", "-s", script, url],
                         capture_output=True, text=True, env=dict(os.environ, BENCH_MANY="0"), timeout=seconds + 60).stdout
    cpu = bench.group_cpu_seconds(pgid) - cpu_before
    line = next((l for l in out.splitlines() if l.startswith("BENCH ")), None)
    if line is None:
        sys.exit(f"streaming: wrk gave no result:\n{out}")
    r = json.loads(line[6:])
    wall = r["micros"] / 1e6
    return {"rps": r["requests"] / wall, "p99": r["p99"] / 1000, "cpu": 100 * cpu / wall, "errors": r["errors"],
            "per_cpu_s": r["requests"] / cpu if cpu else 0, "rss": group_rss_mib(pgid)}


def write_numbers(path, count):
    """The bytes of /examples/numbers?count=N: '1\\n' to 'N\\n', written in batches."""
    with open(path, "w", encoding="ascii", newline="\n") as f:
        for start in range(1, count + 1, 100_000):
            f.write("".join(f"{i}\n" for i in range(start, min(count, start + 99_999) + 1)))
    return os.path.getsize(path)


def write_random(path, size):
    digest = hashlib.sha256()
    with open(path, "wb") as f:
        left = size
        while left:
            block = os.urandom(min(MIB, left))
            digest.update(block)
            f.write(block)
            left -= len(block)
    return digest.hexdigest()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--size", type=int, default=1024 * MIB, help="upload size in bytes (default 1 GiB)")
    parser.add_argument("--count", type=int, default=20_000_000, help="lines of /examples/numbers (default 20,000,000, about 169 MB)")
    parser.add_argument("--jar", default=os.path.join(PROJECT, "target", "pier.jar"))
    parser.add_argument("--wrk-duration", type=int, default=8, help="seconds per wrk run of the small streamed response")
    parser.add_argument("--no-wrk", action="store_true", help="skip the wrk runs")
    parser.add_argument("--no-chunked", action="store_true", help="skip the chunked uploads")
    args = parser.parse_args()
    for tool in ("curl", "nginx", "java") + (() if args.no_wrk else ("wrk",)):
        bench.need(tool)
    bench.build_if_missing(args.jar)

    servers, work, clean_up = bench.scratch("pier-streaming-")
    try:
        run(args, work, servers)
    finally:
        clean_up()


def run(args, work, servers):
    # nginx's workers drop root for nobody, who must read the files and write the uploads.
    os.chmod(work, 0o755)
    root, put = os.path.join(work, "root"), os.path.join(work, "put")
    os.makedirs(root)
    os.makedirs(put)
    os.chmod(put, 0o777)
    with open(os.path.join(root, "small.txt"), "w") as f:
        f.write("ready\n")
    started = time.monotonic()
    upload_file = os.path.join(work, "upload.bin")
    digest = write_random(upload_file, args.size)
    numbers_size = write_numbers(os.path.join(root, "numbers.txt"), args.count)
    small_size = write_numbers(os.path.join(root, "numbers-100.txt"), 100)
    numbers_hash = hashlib.sha256()
    with open(os.path.join(root, "numbers.txt"), "rb") as f:
        while block := f.read(MIB):
            numbers_hash.update(block)
    numbers_digest = numbers_hash.hexdigest()
    script = os.path.join(work, "bench.lua")
    with open(script, "w") as f:
        f.write(bench.WRK_SCRIPT)
    prepared = time.monotonic() - started

    pier_port, nginx_port = free_port(), free_port()
    with open(os.path.join(work, "nginx.conf"), "w") as f:
        f.write(NGINX_CONF.format(dir=work, port=nginx_port, root=root, put=put))
    pier = bench.Server("pier", ["java", *PIER_JVM, "-jar", args.jar, f"--server.port={pier_port}", "--spring.profiles.active=examples",
                                 "--pier.access-log.enabled=false", f"--pier.document-root={root}"],
                        pier_port, open(os.path.join(work, "pier.log"), "w"))
    servers.append(pier)
    nginx = bench.Server("nginx", ["nginx", "-p", work, "-c", os.path.join(work, "nginx.conf")], nginx_port,
                         open(os.path.join(work, "nginx.log"), "w"))
    servers.append(nginx)
    nginx.put_file = os.path.join(put, "upload", "file.bin")

    base = {"pier": f"http://127.0.0.1:{pier_port}", "nginx": f"http://127.0.0.1:{nginx_port}"}
    upload_url = {"pier": base["pier"] + "/examples/upload", "nginx": base["nginx"] + "/upload/file.bin"}
    java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()[0]
    nginx_version = subprocess.run(["nginx", "-v"], capture_output=True, text=True).stderr.strip()
    print(f"# STREAMING  {time.strftime('%Y-%m-%d %H:%M')}  {os.cpu_count()} CPUs  {java}  {nginx_version}  load average {os.getloadavg()[0]:.1f}")
    print(f"# Pier {' '.join(PIER_JVM)}, profile examples; answered {pier.startup:.2f} s after start")
    print(f"# upload {args.size / MIB:.0f} MiB of random bytes, sha256 {digest[:16]}…; numbers count={args.count}, {numbers_size} bytes; "
          f"{args.rounds} rounds; MB = 10^6 bytes; files made in {prepared:.0f} s")

    # Warm-up: the JIT on Pier's paths, and the page cache for both; the streamed body checked once.
    got_digest, got_size = sha256_of_url(f"{base['pier']}/examples/numbers?count={args.count}")
    if (got_digest, got_size) != (numbers_digest, numbers_size):
        sys.exit(f"streaming: FAILED, /examples/numbers gave {got_size} bytes, sha256 {got_digest}; the file has {numbers_size}, {numbers_digest}")
    for name, server in (("pier", pier), ("nginx", nginx)):
        upload(server, upload_file, upload_url[name], args.size, digest, False)
        download(server, base[name] + "/numbers.txt", numbers_size)
    download(pier, f"{base['pier']}/examples/numbers?count={args.count}", numbers_size)
    if not args.no_wrk:
        wrk(pier, f"{base['pier']}/examples/numbers?count=100", 5, script)
        wrk(pier, f"{base['pier']}/numbers-100.txt", 3, script)
    print(f"# warmed up; load average {os.getloadavg()[0]:.1f}", flush=True)

    # test name, server, what to run
    tests = [(f"upload {args.size / MIB:.0f} MiB, Content-Length", pier, lambda: upload(pier, upload_file, upload_url["pier"], args.size, digest, False)),
             (f"upload {args.size / MIB:.0f} MiB, Content-Length", nginx, lambda: upload(nginx, upload_file, upload_url["nginx"], args.size, digest, False))]
    if not args.no_chunked:
        tests += [(f"upload {args.size / MIB:.0f} MiB, chunked", pier, lambda: upload(pier, upload_file, upload_url["pier"], args.size, digest, True)),
                  (f"upload {args.size / MIB:.0f} MiB, chunked", nginx, lambda: upload(nginx, upload_file, upload_url["nginx"], args.size, digest, True))]
    numbers_url = f"{base['pier']}/examples/numbers?count={args.count}"
    tests += [(f"numbers {args.count:,}, streamed", pier, lambda: download(pier, numbers_url, numbers_size)),
              (f"numbers {args.count:,}, static file", nginx, lambda: download(nginx, base["nginx"] + "/numbers.txt", numbers_size)),
              (f"numbers {args.count:,}, static file", pier, lambda: download(pier, base["pier"] + "/numbers.txt", numbers_size))]
    wrk_tests = [] if args.no_wrk else [
        ("numbers 100, streamed", pier, f"{base['pier']}/examples/numbers?count=100"),
        (f"numbers 100, static ({small_size} B)", nginx, f"{base['nginx']}/numbers-100.txt"),
        (f"numbers 100, static ({small_size} B)", pier, f"{base['pier']}/numbers-100.txt")]

    results, wrk_results = {}, {}
    for round_ in range(args.rounds):
        for name, server, test in tests:
            results.setdefault((name, server.name), []).append(test())
        for name, server, url in wrk_tests:
            wrk_results.setdefault((name, server.name), []).append(wrk(server, url, args.wrk_duration, script))
        print(f"# round {round_ + 1} done; load average {os.getloadavg()[0]:.1f}", flush=True)
    report(tests, results, wrk_tests, wrk_results)


def cpu_ratio(pier_runs, nginx_runs):
    """Pier's server CPU over nginx's, medians; '-' when nginx's is below what /proc's 10 ms ticks resolve."""
    pier, nginx = statistics.median(r["cpu"] for r in pier_runs), statistics.median(r["cpu"] for r in nginx_runs)
    return f"{pier / nginx:.2f}" if nginx >= 0.05 else "-"


def report(tests, results, wrk_tests, wrk_results):
    med = statistics.median
    print()
    print(f"{'test':36} {'server':6} {'MB/s':>7} {'min':>7} {'max':>7} {'wall s':>7} {'srv CPU s':>9} {'curl CPU s':>10} "
          f"{'RSS MiB before':>14} {'peak':>5} {'after':>5}")
    for name, server, _ in tests:
        runs = results[(name, server.name)]
        print(f"{name:36} {server.name:6} {med(r['mbps'] for r in runs):7.0f} {min(r['mbps'] for r in runs):7.0f} {max(r['mbps'] for r in runs):7.0f} "
              f"{med(r['seconds'] for r in runs):7.2f} {med(r['cpu'] for r in runs):9.2f} {med(r['client'] for r in runs):10.2f} "
              f"{med(r['rss_before'] for r in runs):14.0f} {max(r['rss_peak'] for r in runs):5.0f} {med(r['rss_after'] for r in runs):5.0f}")
    print()
    print(f"{'ratio Pier / nginx':44} {'MB/s (median of rounds)':>23} {'min':>6} {'max':>6} {'srv CPU s':>10}")
    names = list(dict.fromkeys(name for name, _, _ in tests))
    for name in names:
        if (name, "pier") not in results or (name, "nginx") not in results:
            continue
        p, n = results[(name, "pier")], results[(name, "nginx")]
        ratios = [a["mbps"] / b["mbps"] for a, b in zip(p, n)]
        print(f"{name:44} {med(ratios):23.2f} {min(ratios):6.2f} {max(ratios):6.2f} {cpu_ratio(p, n):>10}")
    streamed = next((results[(n, "pier")] for n in names if n.endswith("streamed") and (n, "pier") in results), None)
    static = next((n for n in names if n.endswith("static file")), None)
    if streamed and static:
        n = results[(static, "nginx")]
        ratios = [a["mbps"] / b["mbps"] for a, b in zip(streamed, n)]
        print(f"{'numbers: Pier streamed / nginx static file':44} {med(ratios):23.2f} {min(ratios):6.2f} {max(ratios):6.2f} {cpu_ratio(streamed, n):>10}")
    if wrk_tests:
        print()
        print(f"{'wrk -t2 -c50':36} {'server':6} {'req/s':>9} {'p99 ms':>8} {'CPU %':>6} {'req/CPU-s':>10} {'RSS MiB':>8} {'errors':>6}")
        for name, server, _ in wrk_tests:
            runs = wrk_results[(name, server.name)]
            print(f"{name:36} {server.name:6} {med(r['rps'] for r in runs):9.0f} {med(r['p99'] for r in runs):8.2f} {med(r['cpu'] for r in runs):6.0f} "
                  f"{med(r['per_cpu_s'] for r in runs):10.0f} {max(r['rss'] for r in runs):8.0f} {sum(r['errors'] for r in runs):6d}")
        names = [name for name, _, _ in wrk_tests]
        p = wrk_results[(names[0], "pier")]
        n = wrk_results[(names[1], "nginx")]
        ratios = [a["rps"] / b["rps"] for a, b in zip(p, n)]
        print(f"{'ratio req/s, Pier streamed / nginx static':44} {med(ratios):23.2f} {min(ratios):6.2f} {max(ratios):6.2f}")


if __name__ == "__main__":
    main()
