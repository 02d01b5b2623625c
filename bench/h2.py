#!/usr/bin/env python3
"""HTTP/2: Pier against nginx and h2o on this machine, side by side, with h2load on loopback.

Usage:  bench/h2.py [--rounds 3] [--duration 8] [--warm-up-time 2] [--warmup 20] [--scenarios small,64k,many,big|none]
                    [--servers pier,nginx,h2o] [--h1 pier,nginx|none] [--tls] [--idle-memory 1000] [--quiet 0]
                    [--jar target/pier.jar] [--jvm-args '-Xmx128m'] [--pier-args '--pier.event-loops=1'] [--port 28380]

Installs nothing: needs h2load, nginx and h2o on the PATH (apt-get install -y nghttp2-client nginx h2o), and a
JDK's jcmd for --idle-memory; builds the jar with ./mvnw when it is missing. Starts Pier, nginx and h2o on
127.0.0.1 over bench.py's generated document root, each with one worker per CPU: nginx worker_processes auto,
h2o num-threads = CPUs, Pier's default event loops (one per CPU). nginx as bench.py configures it (sendfile,
open_file_cache) plus http2_max_concurrent_streams 128 and keepalive_requests 10000000 (its default, 1,000,
also ends HTTP/2 connections and silently caps h2load); h2o 2.2.5 with
http2-max-concurrent-requests-per-connection 128 (it has no file-descriptor cache setting, and writes no
pid-file here: it drops root before writing one); Pier with --pier.limits.keep-alive-requests=10000000 too.

Without --tls every server speaks h2c by prior knowledge (h2load with an http:// URI). With --tls, h2 over TLS by
ALPN with bench.py's self-signed EC P-256 certificate (nginx with bench.py's TLS settings, Pier with the same PEM
bundle as bench.py gives it, h2o without OCSP stapling); h2load offers only h2 (--npn-list=h2) and only
TLS_AES_128_GCM_SHA256 (TLS 1.2: ECDHE-ECDSA-AES128-GCM-SHA256), so all three use one cipher; it prints what each
negotiated. A run that negotiates anything but the protocol asked for counts as failed (h2load alone would fall
back to HTTP/1.1 without a word).

Scenarios, h2load -t 1 (one client thread: on a 2-core machine h2load takes about one core and the server the
other; both CPUs are printed, and h2load near 100 % means the client, not the server, set the pace):
  small  1 KiB file, 50 connections x 10 streams (-c 50 -m 10)
  64k    64 KiB file, 50 x 10
  many   1,000 different 4 KiB files, 50 x 10 (h2load -i: each connection cycles through the URIs, shuffled once)
  big    10 MiB file, 4 connections x 1 stream
Each also runs over HTTP/1.1 (h2load --h1, the same connections, one request at a time each: h2load's -m
would pipeline) for the servers named by --h1: Pier's h2 requests/s should be no lower than its own HTTP/1.1.
Without --tls nginx's HTTP/1.1 row uses a second listener (nginx 1.22 answers only h2c on an http2 port).

First each server and protocol gets a 1-second check run; one that fails (does not start, does not speak h2,
no request succeeds) is reported as "pier h2c  failed: ..." (for h2c, with what it answers to the preface), left
out, and the others carry on. Pier then gets --warmup seconds of load (JIT). Every measured run is h2load -D
duration after --warm-up-time; rounds are interleaved: each round runs every server for a scenario in turn.
It prints a line per run, with its failed, errored, timed-out and non-2xx requests when there are any, then
medians of rounds: requests/s, MiB/s, mean request time (not comparable between h2's 500 requests in flight
and HTTP/1.1's 50), server CPU (user+system of its process group, from /proc, over h2load's measured window),
requests per server CPU-second, h2load's CPU, the CPU everything else on the machine took meanwhile (others %:
above 10 % the run was disturbed, and it says so), h2load's header space savings (HPACK), the requests that
failed (h2load's failed, errored and timed out) and those answered other than 2xx over all rounds, and the
ratios Pier/nginx, Pier/h2o, Pier h2/Pier HTTP/1.1 and Pier/nginx over HTTP/1.1, each the
median of the per-round ratios with their min and max. --quiet N waits up to N s before each run for a second
with under 10 % of a CPU busy outside the servers, and runs a disturbed run again, twice at most (for a machine
shared with builds).

--idle-memory N first opens N connections to each server and protocol, each row on a freshly started server (an
allocator reuses what earlier load freed, which would hide the cost), one after another, each making one GET
/small.txt (h2: preface, SETTINGS, one HEADERS, by hand) and then staying idle, after 100 such opened and closed
to warm up; it prints the RSS of the server's process group and, for Pier, the live JVM heap (jcmd GC.run, then
GC.heap_info), both after a full GC, before and after, per connection, and how many were still open at the end.
Kernel socket buffers are in neither. With --scenarios none it measures only that.

Every process it starts is stopped on exit (by process group, also on Ctrl-C and kill); it sends traffic to
127.0.0.1 only, and starts no server on a port something already answers on (another run's: use --port); an
h2load still running 30 s past its time is killed.

Baseline, 2026-12-03, this 2-CPU VM (shared with other sessions' builds: medians of 3 rounds with the runs that
others disturbed left out; single runs swing by 10-30 %), -D 8 --warm-up-time 2, nginx 1.22.1, h2o 2.2.5,
h2load 1.52.0, Pier HTTP/1.1 of commit 026be9b; requests/s:
                    h2c / HTTP                              h2 over TLS / HTTPS
                    small     64k     many   big            small     64k     many   big
  nginx h2        80,400  23,300   97,200   135          106,900  18,300   93,300   126
  nginx h1        89,300  45,500   87,000   253           77,600  18,500   72,700   153
  h2o h2         420,700  65,200  246,600   405          430,300  28,600  200,600   187
  Pier h1        102,800  50,900   98,600   271           82,500  27,300   79,700   194
HPACK header space savings: h2o 92 %, nginx 39 % (it keeps no response header in the dynamic table). h2load's
own CPU is 90 % and more against h2o on small, so that figure is the client's ceiling as much as h2o's. nginx's
h2 lags its HTTP/1.1 on 64k and big without TLS, where it uses sendfile (over TLS it cannot).
Idle connections (1,000, one request each), RSS KiB per connection: h2c nginx 1.4, h2o 2.4 (nginx HTTP/1.1
0.5); over TLS nginx 13.8, h2o 24.7 (nginx HTTP/1.1 13.4); Pier HTTP/1.1 live heap 1.2 KiB, over TLS 5.0.
"""
import argparse
import os
import random
import re
import resource
import shutil
import socket
import ssl
import statistics
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import bench  # noqa: E402  (same folder: document root, certificate, nginx configuration, process handling)

PACKAGES = "nghttp2-client nginx h2o"
CPUS = os.cpu_count()
MANY = [f"/many/f{i:04d}.bin" for i in range(1000)]
random.Random(1).shuffle(MANY)

# name: what it is, paths, connections, streams per connection (h2)
SCENARIOS = {
    "small": ("1 KiB, 50 conn. x 10 streams", ["/small.txt"], 50, 10),
    "64k": ("64 KiB, 50 conn. x 10 streams", ["/medium.bin"], 50, 10),
    "many": ("1,000 files of 4 KiB, 50 x 10", MANY, 50, 10),
    "big": ("10 MiB, 4 conn. x 1 stream", ["/large.bin"], 4, 1),
}
SERVERS = ("pier", "nginx", "h2o")

H2O_CONF = """num-threads: {threads}
error-log: {dir}/h2o-error.log
max-connections: 10000
http2-max-concurrent-requests-per-connection: 128
http2-idle-timeout: 65
http1-request-timeout: 65
listen:
  host: 127.0.0.1
  port: {port}
{tls}hosts:
  default:
    paths:
      /:
        file.dir: {root}
"""
# h2o 2.2.5 drops root for nobody before it writes a pid-file (so none: the process group is enough), has no
# file-descriptor cache setting, and fetches OCSP responses for a certificate unless told not to. Its idle
# timeouts (10 s by default) are nginx's keepalive_timeout here, so --idle-memory's connections stay open.
H2O_TLS = """  ssl:
    certificate-file: {dir}/cert.pem
    key-file: {dir}/key.pem
    minimum-version: TLSv1.2
    ocsp-update-interval: 0
"""
TLS13 = "TLS_AES_128_GCM_SHA256"
DISTURBED = 10  # % of a CPU taken by others during a run: above, the run is disturbed
TLS12 = "ECDHE-ECDSA-AES128-GCM-SHA256"


class Target:
    """One server over one protocol: an h2load row."""

    def __init__(self, server, proto, port, scheme):
        self.server, self.proto, self.port, self.scheme = server, proto, port, scheme
        self.failure = None
        self.negotiated = ""

    @property
    def label(self):
        return f"{self.server} {self.proto}"

    @property
    def h2(self):
        return self.proto != "h1"


def nginx_conf(work, port, h1_port, root, tls):
    conf = bench.NGINX_CONF.format(dir=work, port=port, root=root, ssl="ssl http2 " if tls else "http2 ", keepalive_requests=10000000,
                                   tls=bench.NGINX_TLS.format(dir=work) if tls else "")
    changed = conf.replace("  keepalive_requests 10000000;\n",
                           "  keepalive_requests 10000000;\n  http2_max_concurrent_streams 128;\n")
    listen = f"    listen 127.0.0.1:{port} {'ssl ' if tls else ''}http2 backlog=4096;\n"
    if h1_port:
        changed = changed.replace(listen, listen + f"    listen 127.0.0.1:{h1_port} backlog=4096;\n")
    if changed.count("10000000") != 1 or listen not in changed or (h1_port and str(h1_port) not in changed):
        sys.exit("h2: bench.NGINX_CONF changed; update nginx_conf() in h2.py")
    return changed


def listening(port):
    """A ready() for bench.Server: the port accepts (nginx's h2c port does not answer HTTP/1.1)."""
    def ready():
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
    return ready


def group_rss_mib(pgid):
    total = 0.0
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                with open(f"/proc/{pid}/stat") as f:
                    if int(f.read().rsplit(")", 1)[1].split()[2]) != pgid:
                        continue
                total += bench.rss_mib(int(pid))
            except (OSError, ValueError):
                continue
    return total


def machine_cpu_seconds():
    """User, nice and system CPU of the whole machine (interrupt time left out: loopback traffic's softirqs land
    there, charged to no process)."""
    with open("/proc/stat") as f:
        fields = f.readline().split()
    return (int(fields[1]) + int(fields[2]) + int(fields[3])) / bench.CLK_TCK


def process_cpu_seconds(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / bench.CLK_TCK
    except OSError:
        return 0.0


def wait_quiet(seconds, own):
    """Waits up to seconds for a second in which the machine's CPU outside the own process groups (the servers')
    stays under DISTURBED; False if none came."""
    deadline = time.monotonic() + seconds
    while True:
        machine, ours = machine_cpu_seconds(), sum(bench.group_cpu_seconds(pid) for pid in own)
        time.sleep(1)
        if machine_cpu_seconds() - machine - (sum(bench.group_cpu_seconds(pid) for pid in own) - ours) < DISTURBED / 100:
            return True
        if time.monotonic() > deadline:
            return False


def size_mib(number, unit):
    return float(number) * {"B": 1, "KB": 2**10, "MB": 2**20, "GB": 2**30}[unit] / 2**20


def millis(text):
    match = re.fullmatch(r"([\d.]+)(us|ms|s)", text)
    return float(match.group(1)) * {"us": 1e-3, "ms": 1, "s": 1e3}[match.group(2)] if match else None


def h2load(target, servers, scenario, duration, warm_up, work, tls, measure=True):
    """One h2load run; a dict of its figures, with "failure" set when nothing usable came of it."""
    _, paths, connections, streams = SCENARIOS[scenario]
    uris = [f"{target.scheme}://127.0.0.1:{target.port}{p}" for p in paths]
    command = ["h2load", "-t", "1", "-c", str(connections), "-m", str(streams if target.h2 else 1),
               "-D", f"{duration}s", "--warm-up-time", f"{warm_up}s"]
    if not target.h2:
        command.append("--h1")
    elif tls:
        command.append("--npn-list=h2")
    if tls:
        command += [f"--tls13-ciphers={TLS13}", f"--ciphers={TLS12}"]
    if len(uris) > 1:
        uri_file = os.path.join(work, f"uris-{target.server}-{target.proto}.txt")
        with open(uri_file, "w") as f:
            f.write("\n".join(uris) + "\n")
        command += ["-i", uri_file]
    else:
        command.append(uris[0])
    process = servers[target.server].process
    client = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    killer = threading.Timer(warm_up + duration + 30, client.kill)
    killer.start()
    lines, window = [], {}
    try:
        for line in client.stdout:
            lines.append(line.rstrip("\n"))
            # h2load flushes these as they happen: the server's CPU is taken over the measured window only.
            # So is everyone else's (the machine's less the server's and h2load's), to show a disturbed run.
            if line.startswith("Main benchmark duration is started"):
                window["start"] = (time.monotonic(), bench.group_cpu_seconds(process.pid), process_cpu_seconds(client.pid), machine_cpu_seconds())
            elif line.startswith("Main benchmark duration is over"):
                window["end"] = (time.monotonic(), bench.group_cpu_seconds(process.pid), process_cpu_seconds(client.pid), machine_cpu_seconds())
        client.wait()
    finally:
        killer.cancel()
        if client.poll() is None:
            client.kill()
            client.wait()
    result = {"failure": None, "failed": 0, "non2xx": 0}
    out = "\n".join(lines)
    for key, pattern in (("protocol", r"Application protocol: (\S+)"), ("tls", r"TLS Protocol: (\S+)"),
                         ("cipher", r"Cipher: (\S+)"), ("key", r"Server Temp Key: (.+)")):
        match = re.search(pattern, out)
        result[key] = match.group(1) if match else None
    requests = re.search(r"requests: (\d+) total, (\d+) started, (\d+) done, (\d+) succeeded, (\d+) failed, (\d+) errored, (\d+) timeout", out)
    finished = re.search(r"finished in \S+, ([\d.]+) req/s, ([\d.]+)(\w*B)/s", out)
    codes = re.search(r"status codes: (\d+) 2xx, (\d+) 3xx, (\d+) 4xx, (\d+) 5xx", out)
    savings = re.search(r"headers \(space savings ([-\d.]+)%\)", out)
    latency = re.search(r"time for request:\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)", out)
    # What h2load said besides its progress, for a failure's reason.
    said = [l for l in lines if l and not re.match(r"(starting benchmark|spawning thread|Warm-up|progress:|Main benchmark|Stopped all"
                                                     r"|TLS Protocol|Cipher|Server Temp Key|Application protocol|finished in|requests:"
                                                     r"|status codes|traffic:|\s+min|time |req/s)", l)]
    if process.poll() is not None:
        result["failure"] = f"{target.server} is no longer running (exit {process.returncode})"
        return result
    if client.returncode != 0 or requests is None:
        why = "killed after its time" if client.returncode == -9 else f"exit {client.returncode}"
        result["failure"] = f"h2load {why}: " + ("; ".join(said[-3:]) or out[-300:])
        return result
    total, _, done, succeeded, failed, errored, timeout = map(int, requests.groups())
    result["failed"] = failed + errored + timeout
    result["non2xx"] = sum(map(int, codes.groups()[1:])) if codes else 0
    wanted = "h1" if not target.h2 else ("h2" if tls else "h2c")
    protocol = {"http/1.1": "h1"}.get(result["protocol"], result["protocol"])
    if protocol != wanted:
        got = result["protocol"] or ("no ALPN protocol (h2load offered only h2)" if tls and target.h2 else "no protocol")
        result["failure"] = f"negotiated {got}, not {wanted}" + (f" ({'; '.join(said[-2:])})" if said else "")
    elif succeeded == 0:
        result["failure"] = f"no request succeeded ({total} done, {failed} failed, {errored} errored, {timeout} timed out" + \
                            (f"; {'; '.join(said[-2:])}" if said else "") + ")"
    if result["failure"] or not measure:
        return result
    if "start" not in window or "end" not in window:
        result["failure"] = "h2load did not say when its measured window started and ended"
        return result
    seconds, cpu, client_cpu, machine_cpu = (end - start for start, end in zip(window["start"], window["end"]))
    result["client_cpu"] = 100 * client_cpu / seconds
    result["other"] = 100 * max(0.0, machine_cpu - cpu - client_cpu) / seconds
    result.update(rps=succeeded / duration, mbps=size_mib(finished.group(2), finished.group(3)) if finished else 0.0,
                  cpu=100 * cpu / seconds, per_cpu_s=succeeded / cpu if cpu else 0.0,
                  savings=float(savings.group(1)) if savings else 0.0, mean_ms=millis(latency.group(3)) if latency else None)
    return result


def h2c_reply(port):
    """What a server says to the HTTP/2 connection preface and an empty SETTINGS frame, for a failure's reason."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=3) as s:
            s.sendall(PREFACE + frame(4, 0, 0))
            reply = s.recv(200)
    except OSError as e:
        return f"{type(e).__name__}: {e}"
    if len(reply) >= 9 and reply[3] == 4:
        return "a SETTINGS frame (h2c)"
    return repr(reply.split(b"\r\n")[0][:80].decode("latin-1")) if reply else "nothing (closed)"


# --- idle connections, by hand: one request each, then left open --------------------------------------------------

PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"


def frame(kind, flags, stream, payload=b""):
    return len(payload).to_bytes(3, "big") + bytes([kind, flags]) + stream.to_bytes(4, "big") + payload


def read_exactly(sock, n):
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            raise ConnectionError("closed by the server")
        data += chunk
    return data


def idle_h2(sock, port, path, scheme, size):
    """GET path on stream 1 (HPACK: :method GET and :scheme indexed, :path and :authority literal, not indexed)."""
    def literal(index, value):
        return bytes([index, len(value)]) + value
    block = bytes([0x82, 0x87 if scheme == "https" else 0x86]) + literal(4, path.encode()) + literal(1, f"127.0.0.1:{port}".encode())
    sock.sendall(PREFACE + frame(4, 0, 0) + frame(1, 0x5, 1, block))
    body = 0
    while True:
        header = read_exactly(sock, 9)
        if header.startswith(b"HTTP/"):
            sock.settimeout(1)
            try:
                header += sock.recv(200)
            except OSError:
                pass
            line = header.split(b"\r\n")[0].decode("latin-1")
            raise ConnectionError(f"answered {line!r} to the h2c preface")
        length, kind, flags, stream = int.from_bytes(header[:3], "big"), header[3], header[4], int.from_bytes(header[5:], "big") & 0x7FFFFFFF
        payload = read_exactly(sock, length)
        if kind == 4 and not flags & 1:
            sock.sendall(frame(4, 1, 0))
        elif kind == 6 and not flags & 1:
            sock.sendall(frame(6, 1, 0, payload))
        elif kind == 7:
            raise ConnectionError(f"GOAWAY {payload[4:8].hex()}")
        elif kind == 3 and stream == 1:
            raise ConnectionError(f"RST_STREAM {payload.hex()}")
        elif stream == 1 and kind in (0, 1):
            if kind == 0:
                body += length - (payload[0] + 1 if flags & 0x8 and payload else 0)
            if flags & 1:
                if body != size:
                    raise ConnectionError(f"{body} bytes of body, expected {size}")
                return


def idle_h1(sock, port, path, size):
    sock.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("closed by the server")
        data += chunk
    head, body = data.split(b"\r\n\r\n", 1)
    if not head.startswith(b"HTTP/1.1 200"):
        raise ConnectionError(head.split(b"\r\n")[0].decode("latin-1"))
    read_exactly(sock, size - len(body)) if size > len(body) else None


def open_idle(target, count, tls, size):
    context = None
    if tls:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        context.set_alpn_protocols(["h2"] if target.h2 else ["http/1.1"])
    sockets = []
    try:
        for _ in range(count):
            sock = socket.create_connection(("127.0.0.1", target.port), timeout=10)
            sockets.append(sock)
            if context:
                sock = context.wrap_socket(sock)
                sockets[-1] = sock
                if sock.selected_alpn_protocol() != ("h2" if target.h2 else "http/1.1"):
                    raise ConnectionError(f"ALPN {sock.selected_alpn_protocol()}")
            if target.h2:
                idle_h2(sock, target.port, "/small.txt", target.scheme, size)
            else:
                idle_h1(sock, target.port, "/small.txt", size)
    except BaseException:
        close_all(sockets)
        raise
    return sockets


def still_open(sockets):
    """How many of the sockets the server has not closed: each is read (without waiting) to its end or to what
    has not come yet, so a GOAWAY followed by a close counts as closed."""
    alive = 0
    for sock in sockets:
        sock.setblocking(False)
        try:
            while sock.recv(65536):
                pass
        except (BlockingIOError, ssl.SSLWantReadError):
            alive += 1
        except OSError:
            pass
    return alive


def close_all(sockets):
    for sock in sockets:
        try:
            sock.close()
        except OSError:
            pass


def memory(server):
    """RSS of the server's process group and, for Pier, its live heap: both after a full GC (jcmd GC.run, which
    may also give heap back to the system), the heap as the used figures of GC.heap_info's heap or generation lines."""
    pid, heap = server.process.pid, None
    if server.name == "pier":
        subprocess.run(["jcmd", str(pid), "GC.run"], capture_output=True, timeout=60)
    time.sleep(1)
    rss = group_rss_mib(pid)
    if server.name == "pier":
        info = subprocess.run(["jcmd", str(pid), "GC.heap_info"], capture_output=True, text=True, timeout=60).stdout
        used = [int(k) for k in re.findall(r"total \d+K, used (\d+)K", info)]
        heap = sum(used) / 1024 if used else None
    return rss, heap


def idle_memory(target, server, count, tls, size):
    close_all(open_idle(target, 100, tls, size))
    rss0, heap0 = memory(server)
    started = time.monotonic()
    sockets = open_idle(target, count, tls, size)
    opened = time.monotonic() - started
    try:
        rss1, heap1 = memory(server)
        alive = still_open(sockets)
    finally:
        close_all(sockets)
    return {"open": alive, "seconds": opened, "rss0": rss0, "rss1": rss1, "heap0": heap0, "heap1": heap1}


# --- the run --------------------------------------------------------------------------------------------------------

def server_specs(args, work, root):
    """Per server: its command (configuration files written), h2 port, ready() for bench.Server and HTTP/1.1 port."""
    tls, port = args.tls, args.port
    specs = {}
    if "pier" in args.server_names:
        pier_args = args.pier_args.split()
        if not any(a.startswith("--pier.limits.keep-alive-requests") for a in pier_args):
            pier_args.insert(0, "--pier.limits.keep-alive-requests=10000000")
        command = ["java", *args.jvm_args.split(), "-jar", args.jar, f"--server.port={port}", f"--pier.document-root={root}",
                   "--pier.access-log.enabled=false", *(bench.pier_tls_args(work) if tls else []), *pier_args]
        specs["pier"] = (command, port, None, port)
    h1_port = None if tls else port + 3
    if "nginx" in args.server_names:
        with open(os.path.join(work, "nginx.conf"), "w") as f:
            f.write(nginx_conf(work, port + 1, h1_port if "nginx" in args.h1_names else None, root, tls))
        specs["nginx"] = (["nginx", "-p", work, "-c", os.path.join(work, "nginx.conf")], port + 1, listening(port + 1), h1_port or port + 1)
    if "h2o" in args.server_names:
        with open(os.path.join(work, "h2o.yaml"), "w") as f:
            f.write(H2O_CONF.format(threads=CPUS, dir=work, port=port + 2, root=root, tls=H2O_TLS.format(dir=work) if tls else ""))
        specs["h2o"] = (["h2o", "-c", os.path.join(work, "h2o.yaml")], port + 2, listening(port + 2), port + 2)
    return specs


def make_targets(args, specs):
    scheme = "https" if args.tls else "http"
    targets = []
    for name, (_, h2_port, _, h1_port) in specs.items():
        targets.append(Target(name, "h2" if args.tls else "h2c", h2_port, scheme))
        if name in args.h1_names:
            targets.append(Target(name, "h1", h1_port, scheme))
    return targets


def start(name, specs, args, work, servers):
    """Starts a server (raising SystemExit if it does not come up) and lists it for the clean-up."""
    command, h2_port, ready, h1_port = specs[name]
    if h1_port != h2_port:
        bench.refuse_if_taken(h1_port)
    server = bench.Server(name, command, h2_port, open(os.path.join(work, f"{name}.log"), "a"), "https" if args.tls else "http", ready)
    servers.append(server)
    return server


def version(command):
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=30)
        return (result.stdout + result.stderr).strip().splitlines()[0]
    except (OSError, IndexError, subprocess.TimeoutExpired):
        return "?"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=8, help="seconds measured per run (h2load -D)")
    parser.add_argument("--warm-up-time", type=int, default=2, help="seconds of load before each run's measurement (h2load --warm-up-time)")
    parser.add_argument("--warmup", type=int, default=20, help="seconds of load on Pier before the first round (JIT)")
    parser.add_argument("--scenarios", default="small,64k,many,big", help="comma-separated, of " + ",".join(SCENARIOS) + "; or none")
    parser.add_argument("--servers", default="pier,nginx,h2o")
    parser.add_argument("--h1", default="pier,nginx", help="servers that also get an HTTP/1.1 row (h2load --h1); none for no such row")
    parser.add_argument("--tls", action="store_true", help="h2 over TLS (ALPN) with a self-signed certificate made by openssl")
    parser.add_argument("--idle-memory", type=int, default=0, metavar="N", help="also measure memory per idle connection with N connections")
    parser.add_argument("--quiet", type=int, default=0, metavar="SECONDS",
                        help="before each run, wait up to this long for a second with under 10 %% of a CPU busy outside the servers; "
                             "run a disturbed run again, twice at most")
    parser.add_argument("--jar", default=os.path.join(bench.PROJECT, "target", "pier.jar"))
    parser.add_argument("--port", type=int, default=28380, help="Pier's; nginx +1, h2o +2, nginx's h2c-mode HTTP/1.1 listener +3")
    parser.add_argument("--pier-args", default="", help="extra arguments for Pier, e.g. --pier.event-loops=1")
    parser.add_argument("--jvm-args", default="", help="JVM options for Pier, e.g. '-Xmx128m -XX:+UseSerialGC'")
    args = parser.parse_args()
    args.scenario_names = [] if args.scenarios == "none" else args.scenarios.split(",")
    args.server_names = args.servers.split(",")
    args.h1_names = [] if args.h1 == "none" else [n for n in args.h1.split(",") if n in args.server_names]
    for names, known in ((args.scenario_names, SCENARIOS), (args.server_names, SERVERS), (args.h1_names, SERVERS)):
        if unknown := set(names) - set(known):
            sys.exit(f"h2: unknown {sorted(unknown)}; known: {','.join(known)}")
    for tool in ["h2load"] + [n for n in args.server_names if n != "pier"] + (["java", "jcmd"] if "pier" in args.server_names else []):
        bench.need(tool, PACKAGES if tool != "jcmd" and tool != "java" else "openjdk-17-jdk-headless")
    if "pier" in args.server_names:
        bench.build_if_missing(args.jar)
    if args.idle_memory:
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        if soft < args.idle_memory + 200:
            resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, args.idle_memory + 200), hard))

    servers, work, clean_up = bench.scratch("pier-h2-")
    try:
        run(args, work, servers)
    finally:
        clean_up()


def run(args, work, servers):
    os.chmod(work, 0o755)  # nginx's workers and h2o drop root for nobody, who must read the files
    root = args.root = os.path.join(work, "root")
    bench.make_root(root)
    if args.tls:
        bench.make_certificate(work)
    if "pier" in args.server_names:
        # A copy: a jar rebuilt while the bench runs changes nothing under the running JVM.
        shutil.copyfile(args.jar, os.path.join(work, "pier.jar"))
        args.jar_built = time.strftime("%Y-%m-%d %H:%M", time.localtime(os.path.getmtime(args.jar)))
        args.jar = os.path.join(work, "pier.jar")
    specs = server_specs(args, work, root)
    targets = make_targets(args, specs)
    mode = "h2 over TLS (ALPN)" if args.tls else "h2c (prior knowledge)"
    commit = subprocess.run(["git", "-C", bench.PROJECT, "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    print(f"# HTTP/2 {mode}  {time.strftime('%Y-%m-%d %H:%M')}  commit {commit}  {CPUS} CPUs  load average {os.getloadavg()[0]:.1f}")
    print(f"# {version(['h2load', '--version'])}; {version(['nginx', '-v'])}; {version(['h2o', '--version'])}; {version(['java', '-version'])}")
    print(f"# workers: nginx worker_processes auto ({CPUS}), h2o num-threads {CPUS}, Pier's default event loops (one per CPU, {CPUS}); "
          f"h2load -t 1 on the same cores")
    if "pier" in args.server_names:
        print(f"# pier.jar built {args.jar_built}; JVM args: {args.jvm_args or '-'}; pier args: {args.pier_args or '-'}", flush=True)
    if args.idle_memory:
        idle_report(args, targets, specs, work, servers)
    if args.scenario_names:
        throughput(args, targets, specs, work, servers)


def throughput(args, targets, specs, work, servers):
    for name in specs:
        try:
            server = start(name, specs, args, work, servers)
            print(f"# {server.name} answered {server.startup:.2f} s after start")
        except SystemExit as e:
            for target in targets:
                if target.server == name:
                    target.failure = f"did not start: {str(e)[-300:]}"
    by_name = {s.name: s for s in servers}

    # Check each target with a short run, so a server that does not speak h2 is named once and left out.
    for target in targets:
        if target.failure is None:
            result = h2load(target, by_name, "small", 1, 0, work, args.tls, measure=False)
            if result["failure"]:
                target.failure = result["failure"]
                if target.h2 and not args.tls and result["protocol"] in (None, "h2c"):
                    target.failure += f"; to the h2c preface it answers {h2c_reply(target.port)}"
            else:
                target.negotiated = " ".join(x for x in (result["tls"], result["cipher"], result["key"], "ALPN" if args.tls else "", result["protocol"]) if x)
        print(f"# {target.label:10} " + (f"failed: {target.failure}" if target.failure else f"ok: {target.negotiated}"), flush=True)
    live = [t for t in targets if t.failure is None]

    per_run = args.warm_up_time + args.duration + 1
    estimate = args.rounds * len(args.scenario_names) * len(live) * per_run
    warm = [t for t in live if t.server == "pier"]
    estimate += len(warm) * (args.warmup + 3 * (len(args.scenario_names) - 1))
    took = f"{estimate / 60:.0f} min" if estimate >= 120 else f"{estimate:.0f} s"
    print(f"# h2load -t 1 -D {args.duration}s --warm-up-time {args.warm_up_time}s per run; {args.rounds} rounds; about {took}"
          + (f" plus waits for a quiet machine (up to {args.quiet} s each)" if args.quiet else ""), flush=True)
    for target in warm:
        for name in args.scenario_names:
            h2load(target, by_name, name, args.warmup if name == args.scenario_names[0] else 3, 0, work, args.tls, measure=False)
    if warm:
        print(f"# Pier warmed up ({args.warmup} s of {args.scenario_names[0]}, 3 s of each other scenario, per protocol); "
              f"load average {os.getloadavg()[0]:.1f}", flush=True)
    results = {}
    attempts = 3 if args.quiet else 1
    for name in args.scenario_names:
        for round_ in range(1, args.rounds + 1):
            for target in live:
                what = f"#   round {round_} {name:5} {target.label:10}"
                for attempt in range(1, attempts + 1):
                    if args.quiet and not wait_quiet(args.quiet, [s.process.pid for s in servers]):
                        print(f"{what} the machine was not quiet within {args.quiet} s; running anyway", flush=True)
                    r = h2load(target, by_name, name, args.duration, args.warm_up_time, work, args.tls)
                    if r["failure"] or r["other"] <= DISTURBED or attempt == attempts:
                        break
                    print(f"{what} disturbed ({r['rps']:.0f} req/s, others {r['other']:.0f} %), once more", flush=True)
                results.setdefault((name, target.label), []).append(r)
                if r["failure"]:
                    print(f"{what} failed: {r['failure']}", flush=True)
                else:
                    bad = f"  FAILED {r['failed']} NON-2XX {r['non2xx']}" if r["failed"] or r["non2xx"] else ""
                    print(f"{what} {r['rps']:9.0f} req/s  server CPU {r['cpu']:4.0f} %  h2load CPU {r['client_cpu']:4.0f} %  "
                          f"others {r['other']:4.0f} %{bad}", flush=True)
    report(args, targets, results)


def report(args, targets, results):
    med = statistics.median
    print()
    print(f"{'scenario':36} {'server':10} {'req/s':>9} {'MiB/s':>8} {'mean ms':>8} {'CPU %':>6} {'req/CPU-s':>10} {'h2load %':>8} "
          f"{'others %':>8} {'hdr saved':>9} {'failed/non-2xx':>14}")
    for name in args.scenario_names:
        for target in targets:
            label = f"{name + ' ' + SCENARIOS[name][0]:36} {target.label:10}"
            if target.failure:
                print(f"{label} failed: {target.failure[:140]}")
                continue
            runs = results[(name, target.label)]
            good = [r for r in runs if not r["failure"]]
            lost = f"{sum(r['failed'] for r in good)}/{sum(r['non2xx'] for r in good)}"
            broken = len(runs) - len(good)
            failed = f"{lost:>14}" + (f"  ({broken} of {len(runs)} runs failed)" if broken else "")
            if not good:
                print(f"{label} failed: {runs[-1]['failure'][:140]}")
                continue
            mean = [r["mean_ms"] for r in good if r["mean_ms"] is not None]
            saved = f"{med(r['savings'] for r in good):.1f} %" if target.h2 else "-"
            print(f"{label} {med(r['rps'] for r in good):9.0f} {med(r['mbps'] for r in good):8.1f} {med(mean) if mean else float('nan'):8.2f} "
                  f"{med(r['cpu'] for r in good):6.0f} {med(r['per_cpu_s'] for r in good):10.0f} {med(r['client_cpu'] for r in good):8.0f} "
                  f"{med(r['other'] for r in good):8.0f} "
                  f"{saved:>9} {failed}")
    runs = [r for rs in results.values() for r in rs if not r["failure"]]
    if disturbed := [r for r in runs if r["other"] > DISTURBED]:
        print(f"# {len(disturbed)} of {len(runs)} runs had more than {DISTURBED} % of a CPU busy outside the servers and h2load "
              f"(at most {max(r['other'] for r in disturbed):.0f} %): those numbers are disturbed")
    print()
    proto = "h2" if args.tls else "h2c"
    pairs = [(f"pier {proto} / nginx {proto}", f"pier {proto}", f"nginx {proto}"), (f"pier {proto} / h2o {proto}", f"pier {proto}", f"h2o {proto}"),
             (f"pier {proto} / pier h1", f"pier {proto}", "pier h1"), (f"pier h1 / nginx h1", "pier h1", "nginx h1")]
    labels = {t.label for t in targets}
    pairs = [p for p in pairs if p[1] in labels and p[2] in labels]
    if not pairs:
        return
    print(f"{'scenario':36} {'ratio':22} {'req/s (median of rounds)':>25} {'min':>6} {'max':>6} {'req/CPU-s':>10}")
    for name in args.scenario_names:
        for title, a, b in pairs:
            runs_a, runs_b = results.get((name, a)), results.get((name, b))
            both = [(x, y) for x, y in zip(runs_a or [], runs_b or []) if not x["failure"] and not y["failure"]]
            label = f"{name + ' ' + SCENARIOS[name][0]:36} {title:22}"
            if not both:
                print(f"{label} {'-':>25}")
                continue
            ratios = [x["rps"] / y["rps"] for x, y in both]
            cpu = med(x["per_cpu_s"] for x, _ in both) / max(1e-9, med(y["per_cpu_s"] for _, y in both))
            print(f"{label} {med(ratios):25.2f} {min(ratios):6.2f} {max(ratios):6.2f} {cpu:10.2f}")


def idle_report(args, targets, specs, work, servers):
    """Each row on a server of its own, freshly started: a server's allocator reuses what earlier load left it,
    which would hide what an idle connection costs."""
    size = os.path.getsize(os.path.join(args.root, "small.txt"))
    print(f"# idle connections: {args.idle_memory} per row, each after one GET /small.txt, opened one after another on a freshly "
          f"started server; RSS of its process group, Pier's heap live, both after a full GC")
    print(f"{'server':10} {'open':>6} {'open s':>7} {'RSS MiB before':>15} {'after':>8} {'KiB/conn':>9} {'heap MiB before':>16} {'after':>8} {'KiB/conn':>9}")
    for target in targets:
        try:
            server = start(target.server, specs, args, work, servers)
        except SystemExit as e:
            print(f"{target.label:10} failed: did not start: {str(e)[-200:]}")
            continue
        try:
            m = idle_memory(target, server, args.idle_memory, args.tls, size)
        except (OSError, ssl.SSLError) as e:
            print(f"{target.label:10} failed: {type(e).__name__}: {e}", flush=True)
            continue
        finally:
            server.stop()
            servers.remove(server)
        heap = (f"{m['heap0']:16.1f} {m['heap1']:8.1f} {1024 * (m['heap1'] - m['heap0']) / args.idle_memory:9.1f}"
                if m["heap0"] is not None and m["heap1"] is not None else f"{'-':>16} {'-':>8} {'-':>9}")
        print(f"{target.label:10} {m['open']:6d} {m['seconds']:7.1f} {m['rss0']:15.1f} {m['rss1']:8.1f} "
              f"{1024 * (m['rss1'] - m['rss0']) / args.idle_memory:9.1f} {heap}", flush=True)
    print()


if __name__ == "__main__":
    main()
