#!/usr/bin/env python3
"""Handlers: one small JSON endpoint on Pier (a handler and a route, each on the event loop and on workers), Spring MVC
and WebFlux.

Usage:  bench/handlers.py [--rounds 3] [--duration 8] [--warmup 30]
                          [--servers pier-loop,pier-workers,routes-loop,routes-workers,mvc,webflux]
                          [--jar target/pier.jar] [--jvm-args '...'] [--pier-args '...'] [--diagnose] [--jfr DIR]
                          [--server-prefix 'taskset -c 0'] [--wrk-prefix 'taskset -c 1'] [--wrk-threads 2] [--connections 50]

The endpoint, the same on all four: GET /api/hello/{name} -> 200 {"message":"Hello, <name>"}, Content-Type
application/json, the JSON written by Jackson 3 (the application's tools.jackson JsonMapper), measured with
wrk -t2 -c50 on /api/hello/world. Each server's answer is checked byte for byte before anything is measured.

- pier-loop, pier-workers: Pier's own jar (target/pier.jar, unchanged) with one HttpHandler bean added from
  bench/pier-hello/ (accepts GET /api/hello/*, handle() writes a record with the JsonMapper bean), isBlocking()
  false (the handler runs on the event loop) or true (on Pier's 16 workers), by --hello.blocking. How it gets
  in without touching src/: the jar is copied to a temporary folder and extracted there, the two classes are
  compiled with javac against its BOOT-INF/classes and BOOT-INF/lib/*, and Pier starts through Spring Boot's
  PropertiesLauncher with that output on loader.path (java -Dloader.path=DIR -cp pier.jar
  org.springframework.boot.loader.launch.PropertiesLauncher); an auto-configuration listed in
  META-INF/spring/...AutoConfiguration.imports registers the handler, so Pier's component scan does not matter.
  Pier runs as its jar ships: Actuator and the http.server.requests timer on every request, access log off.
- routes-loop, routes-workers: the same jar and classes with --hello.style=routes: a Routes bean with
  get("/api/hello/{name}", request -> Response.ok(new Greeting(...))) (onEventLoop() for routes-loop), so the
  Router's matching, path variable, JSON through the Router's mapper, filters and the request id are measured.
- mvc: bench/mvc-baseline/, Spring Boot 4.0.7 with spring-boot-starter-webmvc (Tomcat), a @RestController
  returning a record. webflux: bench/webflux-baseline/, spring-boot-starter-webflux (Reactor Netty),
  returning Mono<record>. Neither has Actuator. Their jars are built with ./mvnw -f when missing.

All four JVMs get the systemd unit's memory flags (-Xms64m -Xmx128m -XX:MaxDirectMemorySize=96m
-XX:ReservedCodeCacheSize=64m -Xss512k), plus -Xlog:gc to a file (one line per GC, to count the pauses in
each measured run), plus --jvm-args; each runs from an empty folder of its own (no application.yml), on
127.0.0.1 and a free port, logging at WARN or as quiet as its defaults. All four are started, each warmed up
with --warmup s of the same load, then each round runs them in turn (pier-loop, pier-workers, mvc, webflux)
for --duration s each; the table shows medians over rounds: req/s, wrk's p50 and p99, server CPU
(utime+stime of the process, from /proc) as % of one core, requests per server CPU-second, RSS (the
highest seen after a run), GC pauses per run (median count, longest pause), heap allocated per request
(KiB, from the GC log: heap before each pause less heap after the one before, MiB resolution), wrk's own
CPU (% of one core), the machine's other CPU use during the run (the highest of the rounds: /proc/stat's
busy time less server and wrk; the kernel's loopback work that no process is charged for is in it, a
few %; a build beside the bench shows as tens of %), errors. Then the ratios of each Pier to each Spring server. wrk, its 2 threads, and
the server share the machine's cores, and on 2 cores that sets the latency tail as much as the server
does (docs/PERFORMANCE.md, "Handlers"): read the ratios, over several rounds.

--diagnose adds, per server and run: CPU, involuntary context switches (preemptions) and time runnable
but not running (run-queue wait, /proc/PID/task/TID/schedstat) by thread group (names from /proc/PID/task,
digits dropped), wrk's own threads likewise, latency p90, p99.9 and max, and for Pier its event-loop lag
(Prometheus exposed for this; the pier_eventloop_lag_* meters, sampled once a second) and the mean of its
http.server.requests timer; the samples cost a little (Pier's p99 rises with them). --jfr DIR records a
profile-settings JFR file per server into DIR (DIR/<server>.jfr, written when it stops).
--server-prefix and --wrk-prefix run the servers or wrk under another command (taskset, nice), to test
what the cores' sharing does to the latency.

Installs nothing: needs wrk and a JDK (java, javac) on the PATH (apt-get install -y wrk). Every process
it starts is stopped on exit, by its own process group; it sends traffic to 127.0.0.1 only.
"""
import argparse
import json
import os
import re
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # no bench/__pycache__ left in the working tree
import bench  # noqa: E402  (definitions only: no side effects at import)

PROJECT = bench.PROJECT
# The production memory flags, from deploy/ (the systemd unit), for every JVM here.
JVM = ["-Xms64m", "-Xmx128m", "-XX:MaxDirectMemorySize=96m", "-XX:ReservedCodeCacheSize=64m", "-Xss512k"]
NAME = "world"
EXPECTED = json.dumps({"message": f"Hello, {NAME}"}, separators=(",", ":")).encode()
PATH = f"/api/hello/{NAME}"
BASELINES = {"mvc": "mvc-baseline", "webflux": "webflux-baseline"}
ALL_SERVERS = ("pier-loop", "pier-workers", "routes-loop", "routes-workers", "mvc", "webflux")
PIERS = ("pier-loop", "pier-workers", "routes-loop", "routes-workers")
# "[1764752218123ms] GC(12) Pause Young (Normal) (G1 Evacuation Pause) 40M->8M(64M) 2.345ms"
# bench.py's wrk script, with more of the latency distribution.
WRK_SCRIPT = r"""
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('BENCH {"requests":%d,"micros":%d,"errors":%d,"p50":%.1f,"p90":%.1f,"p99":%.1f,"p999":%.1f,"max":%.1f}\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout + e.status,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9), latency.max))
end
"""
GC_PAUSE = re.compile(r"^\[(\d+)ms\].* Pause .*?(?:(\d+)M->(\d+)M\(\d+M\) )?([\d.]+)ms$")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(port, path):
    """Status, Content-Type and body of GET path (a new connection each time)."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=2) as response:
            return response.status, response.headers.get("Content-Type"), response.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Content-Type"), e.read()


class Server:
    """A JVM started in a process group of its own, from an empty folder; ready once the endpoint answers."""

    def __init__(self, name, command, port, work):
        self.name, self.port = name, port
        self.gc_log = os.path.join(work, f"{name}-gc.log")
        folder = os.path.join(work, name)
        os.makedirs(folder)
        self.log = open(os.path.join(work, f"{name}.log"), "w")
        java = command.index("java")
        command = [*command[:java + 1], f"-Xlog:gc:file={self.gc_log}:timemillis", *command[java + 1:]]
        self.process = subprocess.Popen(command, cwd=folder, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        started = time.monotonic()
        while True:
            try:
                fetch(port, PATH)
                break
            except OSError:
                if self.process.poll() is not None or time.monotonic() - started > 120:
                    self.fail("did not start")
                time.sleep(0.1)
        self.startup = time.monotonic() - started

    def fail(self, why):
        self.stop()
        self.log.flush()
        with open(self.log.name) as output:
            tail = output.read()[-3000:]
        raise SystemExit(f"handlers: {self.name} {why}\n{tail}")

    def check(self):
        """The exact answer, or the run stops here."""
        status, content_type, body = fetch(self.port, PATH)
        media = (content_type or "").split(";")[0].strip().lower()
        if status != 200 or media != "application/json" or body != EXPECTED:
            self.fail(f"answered {status} {content_type!r} {body[:300]!r}, not 200 application/json {EXPECTED!r}")
        return content_type

    def gc_pauses(self, since_ms, until_ms):
        """The pauses (ms) in the window, and the MiB allocated in it: heap before each pause less heap after the one before."""
        pauses, allocated, after = [], 0, None
        try:
            with open(self.gc_log) as f:
                for line in f:
                    match = GC_PAUSE.match(line.strip())
                    if not match:
                        continue
                    at = int(match.group(1))
                    if since_ms <= at <= until_ms:
                        pauses.append(float(match.group(4)))
                        if match.group(2) and after is not None:
                            allocated += max(0, int(match.group(2)) - after)
                    if match.group(3):
                        after = int(match.group(3))
        except OSError:
            pass
        return pauses, allocated

    def stop(self):
        bench.stop_group(self.process)


def prometheus(port):
    """Pier's event-loop lag meters, and the count and sum of http.server.requests for the hello route."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/actuator/prometheus", timeout=5) as response:
        text = response.read().decode()
    values = {}
    for line in text.splitlines():
        if line.startswith("pier_eventloop_lag") or line.startswith("http_server_requests_seconds") and 'uri="/api/hello/{name}"' in line:
            name, value = line.rsplit(" ", 1)
            values[name.split("{")[0]] = values.get(name.split("{")[0], 0.0) + float(value)
    return values


def task_stats(pid):
    """CPU seconds, involuntary context switches and run-queue wait seconds of each thread of a process."""
    stats = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/stat") as f:
                stat = f.read()
            with open(f"/proc/{pid}/task/{tid}/status") as f:
                switches = next(int(l.split()[1]) for l in f if l.startswith("nonvoluntary_ctxt_switches"))
            with open(f"/proc/{pid}/task/{tid}/schedstat") as f:
                waited = int(f.read().split()[1]) / 1e9
        except (OSError, StopIteration, IndexError):
            continue
        fields = stat.rsplit(")", 1)[1].split()
        stats[tid] = (stat[stat.index("(") + 1:stat.rindex(")")], (int(fields[11]) + int(fields[12])) / bench.CLK_TCK, switches, waited)
    return stats


def threads(pid):
    """CPU seconds, involuntary context switches and run-queue wait by thread group: names with their digits dropped."""
    groups = {}
    for name, cpu, switches, waited in task_stats(pid).values():
        name = re.sub(r"[-#]?\d+", "#", name)
        total = groups.get(name, (0.0, 0, 0.0))
        groups[name] = (total[0] + cpu, total[1] + switches, total[2] + waited)
    return groups


def machine_cpu():
    """CPU seconds the whole machine spent busy (all but idle and iowait), from /proc/stat."""
    with open("/proc/stat") as f:
        fields = [int(v) for v in f.readline().split()[1:9]]
    return (sum(fields) - fields[3] - fields[4]) / bench.CLK_TCK


def children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


WRK_PREFIX, WRK_THREADS, WRK_CONNECTIONS = [], [2], [50]


def wrk(server, seconds, script, diagnose=False):
    pid = server.process.pid
    before_threads = threads(pid) if diagnose else None
    pier = diagnose and server.name in PIERS
    meters_before = prometheus(server.port) if pier else None
    lag_samples, wrk_threads, done = [], {}, threading.Event()
    cpu_before, client_before, machine_before, since = bench.group_cpu_seconds(pid), children_cpu(), machine_cpu(), int(time.time() * 1000)
    client = subprocess.Popen([*WRK_PREFIX, "wrk", "-t", str(WRK_THREADS[0]), "-c", str(WRK_CONNECTIONS[0]), "-d", f"{seconds}s",
                               "--timeout", "5s", "-s", script, f"http://127.0.0.1:{server.port}{PATH}"],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

    def sample():
        """wrk's threads every 250 ms (the last sample before it exits stands for the run); Pier's lag gauge every second."""
        ticks = 0
        while not done.wait(0.25):
            try:
                wrk_threads.update(task_stats(client.pid))
            except OSError:
                pass
            ticks += 1
            if pier and ticks % 4 == 0:
                lag_samples.append(prometheus(server.port).get("pier_eventloop_lag_latest_seconds", 0.0) * 1000)

    sampler = threading.Thread(target=sample, daemon=True)
    if diagnose:
        sampler.start()
    try:
        out, _ = client.communicate(timeout=seconds + 60)
    finally:
        done.set()
        if diagnose:
            sampler.join()
    until = int(time.time() * 1000)
    cpu, client_cpu = bench.group_cpu_seconds(pid) - cpu_before, children_cpu() - client_before
    other = machine_cpu() - machine_before - cpu - client_cpu
    line = next((l for l in out.splitlines() if l.startswith("BENCH ")), None)
    if line is None:
        server.fail(f"wrk gave no result:\n{out}")
    r = json.loads(line[6:])
    wall = r["micros"] / 1e6
    time.sleep(0.3)  # a pause that ended with the run is in the log a moment later
    pauses, allocated = server.gc_pauses(since, until)
    result = {"rps": r["requests"] / wall, "p50": r["p50"] / 1000, "p99": r["p99"] / 1000, "errors": r["errors"],
              "p90": r["p90"] / 1000, "p999": r["p999"] / 1000, "max": r["max"] / 1000,
              "cpu": 100 * cpu / wall, "per_cpu_s": r["requests"] / cpu if cpu else 0, "rss": bench.rss_mib(pid),
              "wrk_cpu": 100 * client_cpu / wall, "other_cpu": 100 * other / wall, "gcs": len(pauses), "gc_max": max(pauses, default=0.0), "gc_sum": sum(pauses),
              "alloc_kib": allocated * 1024 / r["requests"] if r["requests"] else 0.0}
    if diagnose:
        after = threads(pid)
        result["threads"] = {name: tuple((now - then) / wall for now, then in zip(values, before_threads.get(name, (0, 0, 0.0))))
                             for name, values in after.items()}
        result["threads"]["(wrk)"] = tuple(sum(t[i] for t in wrk_threads.values()) / wall for i in (1, 2, 3))
        if pier:
            after = prometheus(server.port)
            delta = {k: after.get(k, 0.0) - meters_before.get(k, 0.0) for k in after}
            probes, requests = delta.get("pier_eventloop_lag_seconds_count", 0), delta.get("http_server_requests_seconds_count", 0)
            result["lag"] = {"probes": probes, "mean_ms": 1000 * delta.get("pier_eventloop_lag_seconds_sum", 0) / probes if probes else 0.0,
                             "samples_ms": lag_samples}
            result["server_ms"] = 1000 * delta.get("http_server_requests_seconds_sum", 0) / requests if requests else 0.0
    return result


def hello_classes(jar, work):
    """bench/pier-hello/src compiled against the jar's classes and libraries; the folder for loader.path."""
    extracted, classes = os.path.join(work, "pier-extracted"), os.path.join(work, "pier-hello-classes")
    with zipfile.ZipFile(jar) as z:
        z.extractall(extracted, [n for n in z.namelist() if n.startswith("BOOT-INF/")])
    source = os.path.join(HERE, "pier-hello", "src")
    sources = [os.path.join(d, f) for d, _, files in os.walk(source) for f in files if f.endswith(".java")]
    classpath = os.path.join(extracted, "BOOT-INF", "classes") + os.pathsep + os.path.join(extracted, "BOOT-INF", "lib", "*")
    subprocess.run(["javac", "--release", "17", "-proc:none", "-d", classes, "-cp", classpath, *sources], check=True)
    shutil.copytree(os.path.join(source, "META-INF"), os.path.join(classes, "META-INF"))
    shutil.rmtree(extracted)
    return classes


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=8, help="seconds per measured run")
    parser.add_argument("--warmup", type=int, default=30, help="seconds of load per server before measuring (JIT)")
    parser.add_argument("--servers", default=",".join(ALL_SERVERS))
    parser.add_argument("--jar", default=os.path.join(PROJECT, "target", "pier.jar"))
    parser.add_argument("--jvm-args", default="", help="more JVM options, for every server alike")
    parser.add_argument("--pier-args", default="", help="more arguments for both Pier servers, e.g. --pier.event-loops=1")
    parser.add_argument("--diagnose", action="store_true", help="CPU and preemptions by thread group; Pier's event-loop lag")
    parser.add_argument("--jfr", metavar="DIR", help="a JFR recording (settings=profile) per server into DIR")
    parser.add_argument("--server-prefix", default="", help="run each server under this, e.g. 'taskset -c 0' (it must exec the JVM)")
    parser.add_argument("--wrk-threads", type=int, default=2, help="wrk's threads (-t); 2 for the comparison")
    parser.add_argument("--connections", type=int, default=50, help="wrk's connections (-c); 50 for the comparison")
    parser.add_argument("--wrk-prefix", default="", help="run wrk under this, e.g. 'taskset -c 1' or 'nice -n 19'")
    args = parser.parse_args()
    WRK_PREFIX[:], WRK_THREADS[0], WRK_CONNECTIONS[0] = args.wrk_prefix.split(), args.wrk_threads, args.connections
    names = args.servers.split(",")
    if unknown := set(names) - set(ALL_SERVERS):
        sys.exit(f"handlers: unknown servers {sorted(unknown)}; known: {','.join(ALL_SERVERS)}")
    for tool in ("wrk", "java", "javac"):
        if shutil.which(tool) is None:
            sys.exit(f"handlers: {tool} not found (apt-get install -y wrk; a JDK 17)")
    jars = {"pier": args.jar}
    bench.build_if_missing(args.jar)
    for name, folder in BASELINES.items():
        if name in names:
            jars[name] = os.path.join(HERE, folder, "target", f"{folder}.jar")
            bench.build_if_missing(jars[name], os.path.join(HERE, folder, "pom.xml"))

    servers, work, clean_up = bench.scratch("pier-handlers-")
    try:
        run(args, names, jars, work, servers)
    finally:
        clean_up()


def run(args, names, jars, work, servers):
    # Copies: a jar rebuilt while the bench runs changes nothing under the running JVMs.
    for key in jars:
        copy = os.path.join(work, os.path.basename(jars[key]))
        shutil.copyfile(jars[key], copy)
        jars[key] = copy
    classes = hello_classes(jars["pier"], work) if any(n in PIERS for n in names) else None
    root = os.path.join(work, "root")
    os.makedirs(root)
    script = os.path.join(work, "bench.lua")
    with open(script, "w") as f:
        f.write(WRK_SCRIPT)
    if args.jfr:
        os.makedirs(args.jfr, exist_ok=True)
    for name in names:
        port = free_port()
        jvm = JVM + args.jvm_args.split()
        if args.jfr:
            jvm.append(f"-XX:StartFlightRecording=settings=profile,dumponexit=true,filename={os.path.abspath(os.path.join(args.jfr, name + '.jfr'))}")
        common = [f"--server.port={port}", "--server.address=127.0.0.1"]
        if name in PIERS:
            command = ["java", *jvm, f"-Dloader.path={classes}", "-cp", jars["pier"], "org.springframework.boot.loader.launch.PropertiesLauncher",
                       *common, f"--hello.blocking={'true' if name.endswith('-workers') else 'false'}",
                       f"--hello.style={'routes' if name.startswith('routes') else 'handler'}", "--pier.access-log.enabled=false",
                       f"--pier.document-root={root}", "--logging.level.root=warn", "--spring.main.banner-mode=off"]
            if args.diagnose:
                command.append("--management.endpoints.web.exposure.include=health,info,prometheus")
            command += args.pier_args.split()
        else:
            command = ["java", *jvm, "-jar", jars[name], *common]
        servers.append(Server(name, args.server_prefix.split() + command, port, work))
    by_name = {s.name: s for s in servers}
    content_types = {s.name: s.check() for s in servers}

    java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()[0]
    commit = subprocess.run(["git", "-C", PROJECT, "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    print(f"# HANDLERS  {time.strftime('%Y-%m-%d %H:%M')}  commit {commit}  {os.cpu_count()} CPUs  {java}  load average {os.getloadavg()[0]:.1f}")
    print(f"# GET {PATH} -> {EXPECTED.decode()}, checked on each: " + ", ".join(f"{n} {t}" for n, t in content_types.items()))
    print(f"# {os.path.relpath(args.jar, PROJECT) if args.jar.startswith(PROJECT) else args.jar} built "
          f"{time.strftime('%Y-%m-%d %H:%M', time.localtime(os.path.getmtime(args.jar)))}; pier args: {args.pier_args or '-'}"
          + (f"; servers under {args.server_prefix}" if args.server_prefix else "") + (f"; wrk under {args.wrk_prefix}" if args.wrk_prefix else ""))
    print(f"# JVM {' '.join(JVM + args.jvm_args.split())}; wrk -t{args.wrk_threads} -c{args.connections} -d{args.duration}s; {args.rounds} rounds; "
          f"started in " + ", ".join(f"{s.name} {s.startup:.1f} s" for s in servers))
    for server in servers:
        wrk(server, args.warmup, script)
        server.check()
    print(f"# warmed up {args.warmup} s each; load average {os.getloadavg()[0]:.1f}", flush=True)

    results = {}
    for round_ in range(args.rounds):
        for server in servers:
            results.setdefault(server.name, []).append(wrk(server, args.duration, script, args.diagnose))
        print(f"# round {round_ + 1} done; load average {os.getloadavg()[0]:.1f}", flush=True)
    for server in servers:
        server.check()
    report(names, results)
    if args.diagnose:
        diagnose(names, results)
    if args.jfr:
        for server in servers:
            server.stop()
        print(f"# JFR recordings in {os.path.abspath(args.jfr)}: " + ", ".join(f"{n}.jfr" for n in names))


def report(names, results):
    med = statistics.median
    print()
    print(f"{'server':13} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'CPU %':>6} {'req/CPU-s':>10} {'RSS MiB':>8} "
          f"{'GCs/run':>7} {'GC max ms':>9} {'KiB/req':>7} {'wrk CPU %':>9} {'other CPU %':>11} {'errors':>6}")
    for name in names:
        runs = results[name]
        print(f"{name:13} {med(r['rps'] for r in runs):8.0f} {med(r['p50'] for r in runs):7.3f} {med(r['p99'] for r in runs):7.3f} "
              f"{med(r['cpu'] for r in runs):6.0f} {med(r['per_cpu_s'] for r in runs):10.0f} {max(r['rss'] for r in runs):8.0f} "
              f"{med(r['gcs'] for r in runs):7.0f} {max(r['gc_max'] for r in runs):9.1f} {med(r['alloc_kib'] for r in runs):7.1f} "
              f"{med(r['wrk_cpu'] for r in runs):9.0f} {max(r['other_cpu'] for r in runs):11.0f} "
              f"{sum(r['errors'] for r in runs):6d}")
    pairs = [(p, s) for p in PIERS for s in ("mvc", "webflux") if p in results and s in results]
    if not pairs:
        return
    print()
    print(f"{'ratio':24} {'req/s (median of rounds)':>24} {'min':>6} {'max':>6} {'req/CPU-s':>10} {'p99':>6}")
    for p, s in pairs:
        ratios = [a["rps"] / b["rps"] for a, b in zip(results[p], results[s])]
        cpu = med(r["per_cpu_s"] for r in results[p]) / max(1, med(r["per_cpu_s"] for r in results[s]))
        p99 = med(r["p99"] for r in results[p]) / max(1e-9, med(r["p99"] for r in results[s]))
        print(f"{p + ' / ' + s:24} {med(ratios):24.2f} {min(ratios):6.2f} {max(ratios):6.2f} {cpu:10.2f} {p99:6.2f}")


def diagnose(names, results):
    med = statistics.median
    print()
    print("# --diagnose: medians over rounds; CPU % of one core and involuntary context switches per second, by thread group")
    for name in names:
        runs = results[name]
        groups = sorted(runs[0]["threads"], key=lambda g: -med(r["threads"].get(g, (0, 0, 0.0))[0] for r in runs))
        stat = lambda g, i: med(r["threads"].get(g, (0, 0, 0.0))[i] for r in runs)  # noqa: E731
        shown = [f"{g} {100 * stat(g, 0):.0f}% CPU, {stat(g, 1):.0f} preemptions/s, {1000 * stat(g, 2):.0f} ms/s runnable unrun"
                 for g in [g for g in groups if g != "(wrk)"][:5] + ["(wrk)"] if stat(g, 0) >= 0.005]
        pauses = (f"GC: {med(r['gcs'] for r in runs):.0f} pauses per run, {med(r['gc_sum'] for r in runs):.1f} ms in all, "
                  f"longest {max(r['gc_max'] for r in runs):.1f} ms, {med(r['alloc_kib'] for r in runs):.1f} KiB allocated per request")
        print(f"{name:13} latency p50 {med(r['p50'] for r in runs):.3f}, p90 {med(r['p90'] for r in runs):.3f}, p99 {med(r['p99'] for r in runs):.3f}, "
              f"p99.9 {med(r['p999'] for r in runs):.3f}, max {med(r['max'] for r in runs):.1f} ms")
        print(f"{'':13} {pauses}")
        if "server_ms" in runs[0]:
            print(f"{'':13} http.server.requests mean (Pier's own time, first byte read to response written): "
                  f"{med(r['server_ms'] for r in runs):.3f} ms; mean latency by Little's law (connections / req/s): "
                  f"{1000 * WRK_CONNECTIONS[0] / med(r['rps'] for r in runs):.3f} ms")
        for line in shown:
            print(f"{'':13} {line}")
        if "lag" in runs[0]:
            samples = sorted(s for r in runs for s in r["lag"]["samples_ms"])
            print(f"{'':13} event-loop lag: mean {med(r['lag']['mean_ms'] for r in runs):.2f} ms over {sum(r['lag']['probes'] for r in runs):.0f} probes; "
                  f"latest-lag gauge sampled {len(samples)}x: median {med(samples) if samples else 0:.2f} ms, max {max(samples, default=0):.2f} ms")


if __name__ == "__main__":
    main()
