#!/usr/bin/env python
"""A small HTTP/1.1 load generator for loopback benchmarks, run in its own process.

    python bench/loadgen.py --port 8765 --path /x --header "Cookie: a=b" --seconds 10 --clients 8

Each client keeps one persistent connection (as browsers and proxies do) and sends the next
request as soon as the previous answer has been read whole. It is written on asyncio streams
rather than `http.client` threads so that, on a 2-core machine shared with the server, the
generator spends as little CPU as possible: every cycle it takes is one the server loses.
Prints one JSON object: requests, seconds, requests/s, p50/p99 in ms, statuses, errors.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time

#: Seconds one answer may take before it counts as an error (and the connection is dropped).
TIMEOUT = 30.0


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bool]:
    """Read one response whole; return its status and whether the server keeps the connection."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
    if "content-length" in headers:
        await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding", "").lower() == "chunked":
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    keep = headers.get("connection", "").lower() != "close"
    return status, keep


async def _client(
    port: int, request: bytes, until: float, times: list[float], statuses: dict, errors: list
) -> None:
    reader = writer = None
    while time.perf_counter() < until:
        try:
            if writer is None:
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
            started = time.perf_counter()
            writer.write(request)
            status, keep = await asyncio.wait_for(_read_response(reader), TIMEOUT)
            times.append((time.perf_counter() - started) * 1000)
            statuses[status] = statuses.get(status, 0) + 1
            if not keep:
                writer.close()
                writer = None
        except (OSError, asyncio.IncompleteReadError, TimeoutError, ValueError) as error:
            errors.append(type(error).__name__)
            if writer is not None:
                writer.close()
            writer = None
            await asyncio.sleep(0.01)
    if writer is not None:
        writer.close()


async def run(port: int, path: str, headers: list[str], seconds: float, clients: int) -> dict:
    lines = [f"GET {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", *headers]
    request = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
    times: list[float] = []
    statuses: dict[int, int] = {}
    errors: list[str] = []
    started = time.perf_counter()
    until = started + seconds
    await asyncio.gather(
        *(_client(port, request, until, times, statuses, errors) for _ in range(clients))
    )
    elapsed = time.perf_counter() - started
    ordered = sorted(times)
    return {
        "requests": len(times),
        "seconds": elapsed,
        "rate": len(times) / elapsed,
        "p50": statistics.median(ordered) if ordered else 0.0,
        "p99": ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] if ordered else 0.0,
        "statuses": statuses,
        "errors": len(errors),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--path", required=True)
    parser.add_argument("--header", action="append", default=[])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--clients", type=int, default=8)
    args = parser.parse_args()
    result = asyncio.run(run(args.port, args.path, args.header, args.seconds, args.clients))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
