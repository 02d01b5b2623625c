#!/usr/bin/env python3
"""Startup: time from `java -jar` to the first HTTP 200, Pier against a bare Spring Boot + Actuator app.

Usage:  bench/startup.py [--rounds 10] [--variants baseline,pier,baseline-cds,pier-cds,...] [--java java]
                         [--java25 /usr/lib/jvm/temurin-25-jdk-amd64/bin/java] [--poll-ms 10]

The baseline is bench/startup-baseline/: Spring MVC on Tomcat and Actuator, with the health probes Pier
turns on, and nothing else. Installs nothing: builds both jars with ./mvnw when they are missing. For
each variant and round it starts the app on a free 127.0.0.1 port, from a fresh working directory (no
application.yml: each app runs on the defaults its jar carries) over one generated document root, and
polls every --poll-ms until GET /actuator/health answers 200 (which needs readiness ACCEPTING_TRAFFIC)
and GET /index.html answers 200 (Pier serves the root itself; the baseline through Spring MVC's
static resources, pointed at the same folder). It records those two times from the spawn, the "Started
... in X seconds (process running for Y)" line, and the CPU time and RSS of the process when health
first answered, then stops it. Variants run interleaved: Pier and the baseline of the same kind back to
back, which one first alternating by round, the pairs rotated. The table shows medians (min and max of
the health time) and, per round, Pier minus the baseline in ms: the machine's other work moves single
runs by seconds when it is loaded, so read the medians of the differences, beside the CPU time each
process had used by its first 200.

Variants (JDK on the PATH unless said):
  baseline, pier               java -jar app.jar
  baseline-cds, pier-cds       Class Data Sharing as Spring Boot documents it: the jar extracted
                               (java -Djarmode=tools -jar app.jar extract), an archive written by a
                               training run (-XX:ArchiveClassesAtExit -Dspring.context.exit=onRefresh),
                               then java -XX:SharedArchiveFile=app.jsa -jar extracted/app.jar
  baseline-extracted, pier-extracted   the extracted jar without an archive (what extraction alone buys)
  baseline-c1, pier-c1         -XX:TieredStopAtLevel=1: informational; it costs a server peak throughput
  baseline-aot25, pier-aot25   JDK 25's AOT cache (JEP 514): training run with -XX:AOTCacheOutput, then
                               -XX:AOTCache=app.aot (skipped when --java25 does not exist)
  baseline-java25, pier-java25 JDK 25 with its defaults, to tell the cache from the newer JDK
Archives and caches are made afresh in a temporary folder each run and deleted at the end, with every
process the script started; it sends traffic to 127.0.0.1 only.
"""
import argparse
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

from bench import build_if_missing, rss_mib, stop_group as stop

HERE = os.path.dirname(os.path.abspath(__file__))
PROJECT = os.path.dirname(HERE)
BASELINE_PROJECT = os.path.join(HERE, "startup-baseline")
JARS = {"baseline": os.path.join(BASELINE_PROJECT, "target", "startup-baseline.jar"),
        "pier": os.path.join(PROJECT, "target", "pier.jar")}
DEFAULT_VARIANTS = "baseline,pier,baseline-cds,pier-cds,pier-c1,baseline-aot25,pier-aot25"
ALL_VARIANTS = ("baseline,pier,baseline-extracted,pier-extracted,baseline-cds,pier-cds,baseline-c1,pier-c1,"
                "baseline-java25,pier-java25,baseline-aot25,pier-aot25")
CLK_TCK = os.sysconf("SC_CLK_TCK")
STARTED = re.compile(r"Started \S+ in ([\d.]+) seconds \(process running for ([\d.]+)\)")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def status(port, path):
    """The status code of GET path, or None while nothing listens or the answer is incomplete."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2) as s:
            s.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
            line = s.recv(64).split(b"\r\n", 1)[0].split()
            return int(line[1]) if len(line) > 1 and line[0].startswith(b"HTTP/") else None
    except OSError:
        return None


def cpu_ms(pid):
    """User+system CPU the process has used so far."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / CLK_TCK


class Variant:
    """How to start one app: the JVM, its options and the jar (packed, or extracted for CDS and AOT)."""

    def __init__(self, name, java, app, jvm_options=(), extracted=False):
        self.name, self.java, self.app, self.jvm_options, self.extracted = name, java, app, list(jvm_options), extracted

    def command(self, work, root, port):
        jar = extracted_jar(work, self.app) if self.extracted else JARS[self.app]
        app_args = [f"--server.port={port}"]
        if self.app == "pier":
            app_args.append(f"--pier.document-root={root}")
        else:
            app_args.append(f"--spring.web.resources.static-locations=file:{root}/")
        return [self.java, *self.jvm_options, "-jar", jar, *app_args]


def extracted_jar(work, app):
    return os.path.join(work, app, os.path.basename(JARS[app]))


def variants(names, java, java25, work):
    aot = {"baseline": os.path.join(work, "baseline.aot"), "pier": os.path.join(work, "pier.aot")}
    jsa = {"baseline": os.path.join(work, "baseline.jsa"), "pier": os.path.join(work, "pier.jsa")}
    known = {}
    for app in ("baseline", "pier"):
        known[app] = Variant(app, java, app)
        known[f"{app}-extracted"] = Variant(f"{app}-extracted", java, app, extracted=True)
        known[f"{app}-cds"] = Variant(f"{app}-cds", java, app, [f"-XX:SharedArchiveFile={jsa[app]}"], extracted=True)
        known[f"{app}-c1"] = Variant(f"{app}-c1", java, app, ["-XX:TieredStopAtLevel=1"])
        known[f"{app}-java25"] = Variant(f"{app}-java25", java25, app)
        known[f"{app}-aot25"] = Variant(f"{app}-aot25", java25, app, [f"-XX:AOTCache={aot[app]}"], extracted=True)
    chosen = []
    for name in names:
        if name not in known:
            sys.exit(f"startup: unknown variant {name}; known: {', '.join(known)}")
        if "25" in name and not os.path.exists(java25):
            print(f"# {name} skipped: no JDK 25 at {java25}")
            continue
        chosen.append(known[name])
    return chosen, jsa, aot


def train(work, root, app, java, options, log_name):
    """A training run: starts the extracted app and exits once its context has refreshed."""
    command = Variant(app, java, app, [*options, "-Dspring.context.exit=onRefresh"], extracted=True).command(work, root, 0)
    with open(os.path.join(work, log_name), "w") as log:
        process = subprocess.Popen(command, cwd=work, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            process.wait(timeout=180)
        finally:
            stop(process)


def prepare(work, root, chosen, jsa, aot):
    """Extracts the jars and writes the archives the chosen variants run with."""
    for v in chosen:
        if v.extracted and not os.path.exists(extracted_jar(work, v.app)):
            subprocess.run([v.java, "-Djarmode=tools", "-jar", JARS[v.app], "extract",
                            "--destination", os.path.join(work, v.app)], check=True, capture_output=True)
        if v.name.endswith("-cds"):
            train(work, root, v.app, v.java, [f"-XX:ArchiveClassesAtExit={jsa[v.app]}"], f"{v.app}-cds-training.log")
            archive = jsa[v.app]
        elif v.name.endswith("-aot25"):
            train(work, root, v.app, v.java, [f"-XX:AOTCacheOutput={aot[v.app]}"], f"{v.app}-aot-training.log")
            archive = aot[v.app]
        else:
            continue
        if not os.path.exists(archive):
            sys.exit(f"startup: the training run of {v.name} wrote no {archive}; see {work}")
        print(f"# {v.name}: {os.path.basename(archive)} {os.path.getsize(archive) / 2**20:.0f} MiB")


def measure(variant, work, root, poll, round_):
    """Starts the variant once; times from the spawn to the first 200 of health and of a static file."""
    port = free_port()
    run_dir = os.path.join(work, f"run-{variant.name}-{round_}")
    os.mkdir(run_dir)
    log_path = os.path.join(run_dir, "out.log")
    with open(log_path, "w") as log:
        spawned = time.monotonic()
        process = subprocess.Popen(variant.command(work, root, port), cwd=run_dir, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)
        try:
            health = static = None
            rss = cpu = 0.0
            while health is None or static is None:
                if health is None and status(port, "/actuator/health") == 200:
                    health = time.monotonic() - spawned
                    rss, cpu = rss_mib(process.pid), cpu_ms(process.pid)
                if static is None and status(port, "/index.html") == 200:
                    static = time.monotonic() - spawned
                if process.poll() is not None or time.monotonic() - spawned > 120:
                    with open(log_path) as output:
                        sys.exit(f"startup: {variant.name} did not answer 200:\n{output.read()[-2000:]}")
                if health is None or static is None:
                    time.sleep(poll)
            started = None
            while started is None and time.monotonic() - spawned < 130:
                with open(log_path) as output:
                    started = STARTED.search(output.read())
                if started is None:
                    time.sleep(0.05)
        finally:
            stop(process)
    if started is None:
        sys.exit(f"startup: no 'Started ... in' line from {variant.name}; see {log_path}")
    shutil.rmtree(run_dir, ignore_errors=True)
    return {"health": health * 1000, "static": static * 1000, "started": float(started.group(1)) * 1000,
            "uptime": float(started.group(2)) * 1000, "rss": rss, "cpu": cpu}


def round_order(chosen, round_):
    """Pier and the baseline of the same kind run back to back, which one first alternating by round, so
    that each difference compares two runs close in time; the pairs rotate, so none always runs first."""
    pairs = []
    for v in chosen:
        kind = v.name.partition("-")[2]
        if pairs and pairs[-1][0].name.partition("-")[2] == kind:
            pairs[-1].append(v)
        else:
            pairs.append([v])
    shift = round_ % len(pairs)
    return [v for pair in pairs[shift:] + pairs[:shift] for v in (pair if round_ % 2 == 0 else reversed(pair))]


def build():
    build_if_missing(JARS["pier"])
    build_if_missing(JARS["baseline"], os.path.join(BASELINE_PROJECT, "pom.xml"))


def java_version(java):
    return subprocess.run([java, "-version"], capture_output=True, text=True).stderr.splitlines()[0]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--variants", default=DEFAULT_VARIANTS, help=f"comma-separated, or 'all' ({ALL_VARIANTS})")
    parser.add_argument("--java", default="java", help="the JDK for every variant but the *25 ones")
    parser.add_argument("--java25", default="/usr/lib/jvm/temurin-25-jdk-amd64/bin/java")
    parser.add_argument("--poll-ms", type=float, default=10)
    args = parser.parse_args()
    # SIGTERM or SIGINT (ignored by default in a background job) unwinds through the finally blocks,
    # which stop the running app and delete the temporary folder.
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: sys.exit("startup: interrupted"))
    build()

    work = tempfile.mkdtemp(prefix="pier-startup-")
    try:
        root = os.path.join(work, "root")
        os.mkdir(root)
        with open(os.path.join(root, "index.html"), "w") as f:
            f.write("<!doctype html><title>startup</title><p>Hello\n")
        names = (ALL_VARIANTS if args.variants == "all" else args.variants).split(",")
        chosen, jsa, aot = variants(names, args.java, args.java25, work)
        print(f"# STARTUP  {time.strftime('%Y-%m-%d %H:%M')}  {os.cpu_count()} CPUs  {java_version(args.java)}"
              + (f"  (*25: {java_version(args.java25)})" if any("25" in v.name for v in chosen) else ""))
        prepare(work, root, chosen, jsa, aot)
        print(f"# {args.rounds} rounds, Pier and baseline back to back, pairs rotated each round; load average at start "
              f"{os.getloadavg()[0]:.1f}")
        results = {v.name: [] for v in chosen}
        for round_ in range(args.rounds):
            for v in round_order(chosen, round_):
                results[v.name].append(measure(v, work, root, args.poll_ms / 1000, round_))
        print(f"# load average at end {os.getloadavg()[0]:.1f}")
        report(results)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def report(results):
    med = statistics.median
    print(f"{'variant':18} {'health 200 ms':>13} {'min':>6} {'max':>6} {'static 200 ms':>14} {'Started in ms':>14} "
          f"{'JVM up ms':>10} {'CPU ms':>7} {'RSS MiB':>8}")
    for name, runs in results.items():
        health = [r["health"] for r in runs]
        print(f"{name:18} {med(health):13.0f} {min(health):6.0f} {max(health):6.0f} {med(r['static'] for r in runs):14.0f} "
              f"{med(r['started'] for r in runs):14.0f} {med(r['uptime'] for r in runs):10.0f} {med(r['cpu'] for r in runs):7.0f} "
              f"{med(r['rss'] for r in runs):8.0f}")

    def compare(a, b, per_round):
        """Health time, CPU and RSS of variant a against b: median differences (per round, with their
        min and max, when the two ran back to back), and the ratio of the medians."""
        x, y = results[a], results[b]
        line = f"{a + ' − ' + b:34} "
        if per_round:
            diffs = [p["health"] - q["health"] for p, q in zip(x, y)]
            line += f"{med(diffs):+18.0f} {min(diffs):+6.0f} {max(diffs):+6.0f} "
        else:
            line += f"{med(p['health'] for p in x) - med(q['health'] for q in y):+18.0f} "
        print(line + f"{med(p['health'] for p in x) / med(q['health'] for q in y):6.2f} "
                     f"{med(p['cpu'] for p in x) - med(q['cpu'] for q in y):+7.0f} {med(p['rss'] for p in x) - med(q['rss'] for q in y):+8.0f}")

    print()
    print(f"{'Pier − baseline, per round':34} {'health ms (median)':>18} {'min':>6} {'max':>6} {'ratio':>6} {'CPU ms':>7} {'RSS MiB':>8}")
    for kind in ("", "-extracted", "-cds", "-c1", "-java25", "-aot25"):
        if f"pier{kind}" in results and f"baseline{kind}" in results:
            compare(f"pier{kind}", f"baseline{kind}", per_round=True)
    for kind in ("-cds", "-c1", "-aot25"):
        if f"pier{kind}" in results and "baseline" in results:
            compare(f"pier{kind}", "baseline", per_round=True)
    print()
    print(f"{'what each technique buys':34} {'health ms (median)':>18} {'ratio':>6} {'CPU ms':>7} {'RSS MiB':>8}")
    for app in ("pier", "baseline"):
        for with_, without in (("-extracted", ""), ("-cds", ""), ("-cds", "-extracted"), ("-c1", ""), ("-java25", ""),
                               ("-aot25", "-java25"), ("-aot25", "-cds")):
            if app + with_ in results and app + without in results:
                compare(app + with_, app + without, per_round=False)


if __name__ == "__main__":
    main()
