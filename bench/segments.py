#!/usr/bin/env python3
"""How Pier and nginx cut responses into TCP segments on a network with Ethernet's MTU.

Usage:  sudo bench/segments.py [--requests 20] [--jar target/pier.jar]

Loopback's MTU (64 KiB) and its segmentation offloads hide packet boundaries, so the benchmark
cannot show whether a response head leaves as a small packet of its own. This script makes a
network namespace of its own whose loopback has a 1,500-byte MTU and no offloads (TSO, GSO, GRO
off), starts Pier and nginx there (nginx as bench.py configures it: sendfile, tcp_nopush), fetches
each file once per connection, captures the servers' segments with tcpdump, and prints per response
the data segments, the first one's size, and how many segments short of a full one (1,448 bytes
over IPv4, 1,428 over IPv6) came before the last. Needs root, ip (iproute2), ethtool, tcpdump and nginx
(apt-get install -y tcpdump ethtool nginx); installs nothing. Traffic stays on the namespace's
127.0.0.1 and ::1; the namespace and every process started are removed on exit.
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

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import bench  # noqa: E402  (same folder: its nginx configuration, document root and process handling)

# address, a full segment's payload there with a 1,500-byte MTU and TCP timestamps
FAMILIES = (("127.0.0.1", 1448), ("::1", 1428))
FILES = (("1 KiB", "/small.txt"), ("4 KiB", "/many/f0000.bin"), ("64 KiB", "/medium.bin"))
SEGMENT_LINE = re.compile(r" > \S+\.(\d+): .* length (\d+)$")


def fetch(address, port, path):
    """One GET on a connection of its own; returns the response's size."""
    with socket.create_connection((address, port)) as client:
        client.sendall(f"GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".encode())
        received = 0
        while chunk := client.recv(65536):
            received += len(chunk)
        return received


def segments(server, address, path, requests, work):
    """Data segments the server sent, per response (one per client port)."""
    capture = os.path.join(work, f"{server.name}.pcap")
    tcpdump = subprocess.Popen(["tcpdump", "-i", "lo", "-nn", "-U", "--immediate-mode", "-w", capture, f"tcp src port {server.port}"],
                               stderr=subprocess.PIPE, text=True)
    # tcpdump says it is listening once its filter is in place.
    while "listening on" not in tcpdump.stderr.readline():
        if tcpdump.poll() is not None:
            sys.exit("segments: tcpdump did not start")
    received = sum(fetch(address, server.port, path) for _ in range(requests))
    # tcpdump writes each packet as it takes it (-U): wait until it has every byte the client received.
    for _ in range(100):
        if sum(map(sum, read_capture(capture).values())) >= received:
            break
        time.sleep(0.1)
    tcpdump.send_signal(signal.SIGINT)
    tcpdump.wait(timeout=10)
    per_response = read_capture(capture)
    if len(per_response) != requests:
        sys.exit(f"segments: captured {len(per_response)} responses from {server.name}, expected {requests}")
    return list(per_response.values())


def read_capture(capture):
    """Payload sizes of the data segments captured so far, by client port."""
    lines = subprocess.run(["tcpdump", "-r", capture, "-nn"], capture_output=True, text=True).stdout.splitlines()
    per_response = {}
    for line in lines:
        match = SEGMENT_LINE.search(line)
        if match and int(match.group(2)) > 0:
            per_response.setdefault(match.group(1), []).append(int(match.group(2)))
    return per_response


def inside(args):
    subprocess.run(["ip", "link", "set", "lo", "mtu", "1500", "up"], check=True)
    subprocess.run(["ethtool", "-K", "lo", "tso", "off", "gso", "off", "gro", "off"], check=True, capture_output=True)
    work = tempfile.mkdtemp(prefix="pier-segments-")
    os.chmod(work, 0o755)
    root = os.path.join(work, "root")
    bench.make_root(root)
    nginx_conf = bench.NGINX_CONF.format(dir=work, port=args.port + 1, root=root, keepalive_requests=bench.KEEPALIVE_REQUESTS, ssl="", tls="")
    ipv4 = f"    listen 127.0.0.1:{args.port + 1} backlog=4096;\n"
    with open(os.path.join(work, "nginx.conf"), "w") as f:
        f.write(nginx_conf.replace(ipv4, ipv4 + f"    listen [::1]:{args.port + 1};\n"))
    servers = []
    try:
        servers.append(bench.Server("pier", ["java", "-jar", args.jar, f"--server.port={args.port}", f"--pier.document-root={root}",
                                             "--pier.access-log.enabled=false"], args.port, open(os.path.join(work, "pier.log"), "w")))
        servers.append(bench.Server("nginx", ["nginx", "-p", work, "-c", os.path.join(work, "nginx.conf")], args.port + 1,
                                    open(os.path.join(work, "nginx.log"), "w")))
        print(f"# {time.strftime('%Y-%m-%d %H:%M')}  {os.path.basename(args.jar)}  loopback MTU 1500, TSO/GSO/GRO off; "
              f"{args.requests} responses per file and server, each on its own connection")
        print(f"{'file':8} {'over':10} {'server':6} {'data segments':>14} {'first segment B':>16} {'short ones before the last':>27}")
        med = statistics.median
        for address, full in FAMILIES:
            for label, path in FILES:
                for server in servers:
                    responses = segments(server, address, path, args.requests, work)
                    print(f"{label:8} {address:10} {server.name:6} {med(len(r) for r in responses):14.0f} {med(r[0] for r in responses):16.0f} "
                          f"{med(sum(1 for size in r[:-1] if size < full) for r in responses):27.0f}")
    finally:
        for server in reversed(servers):
            server.stop()
        shutil.rmtree(work, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--jar", default=os.path.join(bench.PROJECT, "target", "pier.jar"))
    parser.add_argument("--port", type=int, default=28280)
    parser.add_argument("--inside", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inside:
        inside(args)
        return
    if os.geteuid() != 0:
        sys.exit("segments: needs root, to make a network namespace")
    for tool in ("ip", "ethtool", "tcpdump", "nginx"):
        if shutil.which(tool) is None:
            sys.exit(f"segments: {tool} not found; install it with: apt-get install -y tcpdump ethtool nginx")
    bench.build_if_missing(args.jar)
    namespace = f"pier-segments-{os.getpid()}"
    subprocess.run(["ip", "netns", "add", namespace], check=True)
    try:
        result = subprocess.run(["ip", "netns", "exec", namespace, sys.executable, os.path.abspath(__file__), "--inside", namespace,
                                 "--requests", str(args.requests), "--jar", os.path.abspath(args.jar), "--port", str(args.port)])
        sys.exit(result.returncode)
    finally:
        subprocess.run(["ip", "netns", "delete", namespace], check=False)


if __name__ == "__main__":
    main()
