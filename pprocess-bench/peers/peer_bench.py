#!/usr/bin/env python3
"""Measures Python's multiprocessing on the workloads of the pprocess-java benchmarks.

Standard library only. Prints one JSON document on standard output (progress goes to
standard error):

  pool_map_chunksize1   Pool(cores).map(inc, range(items), chunksize=1) on a started pool
  pool_map_default      the same with map's default chunking
  pool_total_*          the same including Pool() creation and shutdown
  pipe_round_trip_*     Pipe() echo: conn.send(bytes) + conn.recv() (pickled), per size
  pipe_raw_round_trip_* the same with send_bytes/recv_bytes (no pickling)
  start_to_message_*    Process(...).start() until the parent has the child's first
                        message, per start method
  bare_interpreter      `python3 -c pass` start and exit, the baseline of the starts
  executor_submit_get   ProcessPoolExecutor(cores): submit(inc, x).result() on a warm pool
  executor_tasks_warm   20,000 submit(inc, x) then every result(), warm pool, tasks/s
  executor_tasks_first  the same on a new ProcessPoolExecutor (its start included), tasks/s

Usage: peer_bench.py [--quick] [--items N] [--cores N]
"""

import argparse
import json
import multiprocessing as mp
import os
import platform
import statistics
import subprocess
import sys
import time

SIZES = (8, 1024, 65536, 1048576)


def inc(x):
    return x + 1


def log(message):
    print(message, file=sys.stderr, flush=True)


def check_map(result, items):
    if len(result) != items or result[0] != 1 or result[-1] != items:
        raise RuntimeError("map returned a wrong result: %d items, first %r, last %r"
                           % (len(result), result[:1], result[-1:]))


def bench_pool(cores, items, repeats):
    results = {}
    for name, chunksize in (("chunksize1", 1), ("default", None)):
        rates = []
        with mp.Pool(cores) as pool:
            pool.map(inc, range(1000), chunksize=chunksize)  # workers started and warm
            for _ in range(repeats):
                t0 = time.perf_counter()
                out = pool.map(inc, range(items), chunksize=chunksize)
                elapsed = time.perf_counter() - t0
                check_map(out, items)
                rates.append(items / elapsed)
        results["pool_map_" + name] = summary(rates, "items/s", higher_is_better=True)
        totals = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            with mp.Pool(cores) as pool:
                out = pool.map(inc, range(items), chunksize=chunksize)
            elapsed = time.perf_counter() - t0
            check_map(out, items)
            totals.append(items / elapsed)
        results["pool_total_" + name] = summary(totals, "items/s", higher_is_better=True)
        log("pool %s: %.0f items/s (started pool), %.0f items/s (with pool start)"
            % (name, results["pool_map_" + name]["median"], results["pool_total_" + name]["median"]))
    return results


def bench_executor(cores, repeats, tasks=20_000):
    from concurrent.futures import ProcessPoolExecutor
    results = {}
    with ProcessPoolExecutor(cores) as pool:
        for f in [pool.submit(inc, i) for i in range(1000)]:
            f.result()
        trips = []
        for _ in range(repeats):
            n = 2000
            t0 = time.perf_counter()
            for i in range(n):
                if pool.submit(inc, i).result() != i + 1:
                    raise RuntimeError("submit(inc, %d) gave a wrong result" % i)
            trips.append((time.perf_counter() - t0) / n * 1e6)
        results["executor_submit_get"] = summary(trips, "us/op", higher_is_better=False)
        rates = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            futures = [pool.submit(inc, i) for i in range(tasks)]
            total = sum(f.result() for f in futures)
            rates.append(tasks / (time.perf_counter() - t0))
            if total != tasks * (tasks + 1) // 2:
                raise RuntimeError("executor tasks gave a wrong sum: %d" % total)
        results["executor_tasks_warm"] = summary(rates, "tasks/s", higher_is_better=True)
    firsts = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        with ProcessPoolExecutor(cores) as pool:
            futures = [pool.submit(inc, i) for i in range(tasks)]
            total = sum(f.result() for f in futures)
        firsts.append(tasks / (time.perf_counter() - t0))
        if total != tasks * (tasks + 1) // 2:
            raise RuntimeError("executor tasks gave a wrong sum: %d" % total)
    results["executor_tasks_first"] = summary(firsts, "tasks/s", higher_is_better=True)
    log("ProcessPoolExecutor(%d): submit+result %.0f us, %d tasks %.0f tasks/s warm, %.0f tasks/s new pool"
        % (cores, results["executor_submit_get"]["median"], tasks, results["executor_tasks_warm"]["median"],
           results["executor_tasks_first"]["median"]))
    return results


def echo(conn, raw):
    """Echoes until an empty message (with fork the child also holds the parent's end, so
    end-of-file would never come)."""
    recv = conn.recv_bytes if raw else conn.recv
    send = conn.send_bytes if raw else conn.send
    while True:
        x = recv()
        if not x:
            return
        send(x)


def bench_pipe(seconds, repeats):
    results = {}
    for raw in (False, True):
        for size in SIZES:
            payload = os.urandom(size)
            parent, child = mp.Pipe(duplex=True)
            p = mp.Process(target=echo, args=(child, raw))
            p.start()
            child.close()
            send = parent.send_bytes if raw else parent.send
            recv = parent.recv_bytes if raw else parent.recv
            means = []
            for rep in range(repeats + 1):
                n = 0
                t0 = time.perf_counter()
                deadline = t0 + seconds
                while True:
                    send(payload)
                    back = recv()
                    n += 1
                    if n % 16 == 0 and time.perf_counter() > deadline:
                        break
                elapsed = time.perf_counter() - t0
                if back != payload:
                    raise RuntimeError("echo of %d bytes differs" % size)
                if rep > 0:  # the first pass warms up
                    means.append(elapsed / n * 1e6)
            send(b"")
            p.join(10)
            parent.close()
            if p.exitcode != 0:
                raise RuntimeError("echo child ended with %r" % p.exitcode)
            key = ("pipe_raw_round_trip_" if raw else "pipe_round_trip_") + str(size)
            results[key] = summary(means, "us/op", higher_is_better=False)
            log("%s: %.1f us" % (key, results[key]["median"]))
    return results


def first_message(conn):
    conn.send(1)
    conn.close()


def bench_start(runs):
    results = {}
    for method in ("fork", "forkserver", "spawn"):
        ctx = mp.get_context(method)
        times = []
        for i in range(runs + 1):
            r, w = ctx.Pipe(duplex=False)
            t0 = time.perf_counter()
            p = ctx.Process(target=first_message, args=(w,))
            p.start()
            value = r.recv()
            elapsed = time.perf_counter() - t0
            if value != 1:
                raise RuntimeError("child sent %r instead of 1" % value)
            p.join(10)
            w.close()
            r.close()
            if i > 0:  # the first start warms up (the fork server starts then)
                times.append(elapsed * 1e3)
        results["start_to_message_" + method] = summary(times, "ms", higher_is_better=False)
        log("start (%s) to first message: %.1f ms" % (method, results["start_to_message_" + method]["median"]))
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        times.append((time.perf_counter() - t0) * 1e3)
    results["bare_interpreter"] = summary(times, "ms", higher_is_better=False)
    log("bare interpreter: %.1f ms" % results["bare_interpreter"]["median"])
    return results


def summary(samples, unit, higher_is_better):
    return {
        "median": statistics.median(samples),
        "min": min(samples),
        "max": max(samples),
        "samples": len(samples),
        "unit": unit,
        "higher_is_better": higher_is_better,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument("--items", type=int, default=100_000, help="items per map (default 100000)")
    parser.add_argument("--cores", type=int, default=len(os.sched_getaffinity(0)),
                        help="pool size (default: the CPUs this process may use)")
    args = parser.parse_args()
    repeats = 3 if args.quick else 5
    results = {}
    results.update(bench_pool(args.cores, args.items, repeats))
    results.update(bench_pipe(0.3 if args.quick else 1.0, repeats))
    results.update(bench_start(10 if args.quick else 30))
    results.update(bench_executor(args.cores, repeats))
    json.dump({
        "python": platform.python_version(),
        "cores": args.cores,
        "items": args.items,
        "results": results,
    }, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
