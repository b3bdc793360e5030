#!/usr/bin/env python3
"""Prints the comparison table of compare.sh from JMH JSON results and peer_bench.py output.

usage: table.py [--start-log JMH_LOG] JMH_JSON [JMH_JSON...] PEER_JSON
JMH_LOG is the log of StartBenchmark, where spareStart prints its median start to the task running.

Ratios are "how many times better ours is": theirs/ours for times, ours/theirs for rates,
so above 1 means pprocess-java wins. Targets are checked where the project states one.
"""

import json
import re
import sys

CHANNEL = "io.pprocess.bench.RoundTripBenchmark.channel"
RAW = "io.pprocess.bench.RoundTripBenchmark.rawSocket"
SIZES = ("8", "1024", "65536", "1048576")


def load_jmh(paths):
    runs = []
    for path in paths:
        with open(path) as f:
            runs.extend(json.load(f))
    return runs


def find(runs, name, **params):
    for r in runs:
        if r["benchmark"].endswith(name) and all(r.get("params", {}).get(k) == v for k, v in params.items()):
            return r["primaryMetric"]
    return None


def score(metric):
    return None if metric is None else metric["score"]


def secondary(runs, name, key, **params):
    for r in runs:
        if r["benchmark"].endswith(name) and all(r.get("params", {}).get(k) == v for k, v in params.items()):
            m = r.get("secondaryMetrics", {}).get(key)
            return None if m is None else m["score"]
    return None


def median(metric):
    return None if metric is None else metric["scorePercentiles"]["50.0"]


def peer(peers, key):
    r = peers["results"].get(key)
    return None if r is None else r["median"]


def fmt(value, digits=1):
    if value is None:
        return "-"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.{digits}f}"


def ratio(ours, theirs, higher_is_better):
    if ours is None or theirs is None or ours == 0 or theirs == 0:
        return "-"
    r = ours / theirs if higher_is_better else theirs / ours
    return f"{r:.2f}x"


def verdict(ok):
    return "-" if ok is None else ("met" if ok else "MISSED")


def table(title, header, rows):
    print()
    print(title)
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows)]
    line = lambda cells: "  ".join(str(c).rjust(w) if i else str(c).ljust(w) for i, (c, w) in enumerate(zip(cells, widths)))
    print(line(header))
    print(line(["-" * w for w in widths]))
    for r in rows:
        print(line(r))


def task_running_median(log_path):
    """The median start-to-task-running in ms that spareStart printed, or None."""
    if log_path is None:
        return None
    with open(log_path) as f:
        found = re.findall(r"start to task running in the child: median ([0-9.]+) ms", f.read())
    return float(found[-1]) if found else None


def main():
    args = sys.argv[1:]
    start_log = None
    if args[:1] == ["--start-log"]:
        if len(args) < 2:
            sys.exit(__doc__)
        start_log, args = args[1], args[2:]
    if len(args) < 2:
        sys.exit(__doc__)
    runs = load_jmh(args[:-1])
    with open(args[-1]) as f:
        peers = json.load(f)

    rows = []
    for size in SIZES:
        sock = score(find(runs, CHANNEL, transport="socket", size=size))
        pipe = score(find(runs, CHANNEL, transport="pipe", size=size))
        raw = score(find(runs, RAW, size=size))
        py = peer(peers, "pipe_round_trip_" + size)
        pyraw = peer(peers, "pipe_raw_round_trip_" + size)
        rows.append([size, fmt(sock), fmt(pipe), fmt(raw), fmt(py), fmt(pyraw),
                     ratio(sock, py, False), ratio(pipe, py, False), ratio(sock, raw, True)])
    table("Round trip, us/op (lower is better); ours = acknowledged send + receive of a byte[]",
          ["bytes", "socket", "pipe", "raw AF_UNIX", "Python Pipe", "Python raw",
           "socket vs Py", "pipe vs Py", "raw/socket"], rows)
    small = [score(find(runs, CHANNEL, transport=t, size="8")) for t in ("socket", "pipe")]
    small = [s for s in small if s is not None]
    print("target: 8-byte round trip <= 29 us: "
          + (verdict(max(small) <= 29) + " (" + ", ".join(fmt(s) for s in small) + " us)" if small else "-"))

    rows = []
    for t in ("socket", "pipe"):
        acked = score(find(runs, "StreamBenchmark.acknowledged", transport=t))
        unacked = score(find(runs, "StreamBenchmark.unacknowledged", transport=t))
        rows.append([t, fmt(acked), fmt(unacked), ratio(unacked, acked, True)])
    table("Streaming small values, messages/s (higher is better)",
          ["transport", "send", "sendUnacknowledged", "unacked/acked"], rows)

    bare = median(find(runs, "StartBenchmark.bareJvm"))
    cold = median(find(runs, "StartBenchmark.coldStart"))
    spare = median(find(runs, "StartBenchmark.spareStart"))
    to_task = task_running_median(start_log)
    def times_bare(ms):
        return f"{ms / bare:.2f}x" if ms is not None and bare else "-"

    rows = [
        ["bare JVM (java -cp jar Hello)", fmt(bare), times_bare(bare)],
        ["cold start -> first message", fmt(cold), times_bare(cold)],
        ["spare start -> task running", fmt(to_task, 2), times_bare(to_task)],
        ["spare start -> first message", fmt(spare, 2), times_bare(spare)],
        ["Python bare interpreter (-c pass)", fmt(peer(peers, "bare_interpreter")),
         times_bare(peer(peers, "bare_interpreter"))],
    ]
    for method in ("fork", "forkserver", "spawn"):
        ms = peer(peers, "start_to_message_" + method)
        rows.append(["Python Process(" + method + ") -> first message", fmt(ms, 2), times_bare(ms)])
    table("Process start, median ms (lower is better)", ["what", "ms", "x bare JVM"], rows)
    print("target: cold start <= 2x bare JVM: "
          + (verdict(cold <= 2 * bare) + f" ({cold / bare:.2f}x)" if cold and bare else "-"))
    if to_task is not None:
        print("target: spare start to task running, median < 1 ms: " + verdict(to_task < 1) + f" ({to_task:.2f} ms;"
              + (f" to the first message back {spare:.2f} ms)" if spare else ")"))
    else:
        print("target: spare start median < 1 ms (to the first message back, no task-running figure): "
              + (verdict(spare < 1) + f" ({spare:.2f} ms)" if spare else "-"))

    reuse = secondary(runs, "PmapBenchmark.pmap", "items")
    cold_workers = secondary(runs, "PmapBenchmark.pmapColdWorkers", "items")
    per_item = secondary(runs, "PmapBenchmark.processPerItem", "items")
    py1 = peer(peers, "pool_map_chunksize1")
    pyd = peer(peers, "pool_map_default")
    rows = [
        ["pmap, processes reused, kept warm between calls", fmt(reuse), ratio(reuse, py1, True),
         ratio(reuse, pyd, True)],
        ["pmap, processes reused, started in every call", fmt(cold_workers), ratio(cold_workers, py1, True),
         ratio(cold_workers, pyd, True)],
        ["pmap, reuse(false): one process per item", fmt(per_item), ratio(per_item, py1, True),
         ratio(per_item, pyd, True)],
        ["Python Pool(cores).map chunksize=1, started pool", fmt(py1), "1.00x" if py1 else "-", "-"],
        ["Python Pool(cores).map default chunks, started pool", fmt(pyd), "-", "1.00x" if pyd else "-"],
        ["Python chunksize=1 incl. Pool() start", fmt(peer(peers, "pool_total_chunksize1")), "-", "-"],
        ["Python default chunks incl. Pool() start", fmt(peer(peers, "pool_total_default")), "-", "-"],
    ]
    table(f"pmap over small items (x -> x + 1), items/s (higher is better); {peers['cores']} cores;"
          " ours include starting the children, ratios are against Python's started pool",
          ["what", "items/s", "vs Py chunksize=1", "vs Py default"], rows)
    print("target: pmap >= 2x Python chunksize=1: "
          + (verdict(reuse >= 2 * py1) if reuse and py1 else "-")
          + "; >= Python default chunks: " + (verdict(reuse >= pyd) if reuse and pyd else "-"))

    serial = score(find(runs, "SpeedupBenchmark.serial"))
    if serial is not None:
        rows = [["sequential (one warm thread)", fmt(serial, 2), "1.00x"]]
        for label, method in (("pmap, children started cold", "parallel"),
                              ("pmap, children from spares", "parallelSpares"),
                              ("pmap, warm workers of the previous call", "parallelWarm"),
                              ("ForkJoinPool parallel stream (threads)", "forkJoin")):
            t = score(find(runs, "SpeedupBenchmark." + method))
            rows.append([label, fmt(t, 2), ratio(t, serial, False)])
        table(f"CPU-bound speedup (ray tracer), s per image (lower is better); ideal on {peers['cores']} cores:"
              f" {peers['cores']}.00x", ["what", "s", "speedup"], rows)
        for label, method in (("cold", "parallel"), ("warm workers", "parallelWarm")):
            t = score(find(runs, "SpeedupBenchmark." + method))
            print(f"target: pmap speedup >= 1.8x on 2 cores ({label}): "
                  + (verdict(serial / t >= 1.8) + f" ({serial / t:.2f}x)" if t else "-"))

    rows = []
    one = {}
    indexer = [r for r in runs if r["benchmark"].endswith("IndexerBenchmark.index")]
    for r in sorted(indexer, key=lambda r: (r["params"].get("workers", "fresh") == "kept", int(r["params"]["window"]))):
        mbs = r.get("secondaryMetrics", {}).get("megabytes", {}).get("score")
        workers = r["params"].get("workers", "fresh")
        if r["params"]["window"] == "1":
            one[workers] = mbs
        rows.append([r["params"]["window"], "kept workers" if workers == "kept" else "new children",
                     r["params"].get("corpusMegabytes", "-"), fmt(mbs),
                     ratio(mbs, one[workers], True) if one.get(workers) else "-"])
    if rows:
        table("Indexer throughput by window, MB/s (higher is better)",
              ["window", "children", "corpus MB", "MB/s", "vs window 1"], rows)
        for workers, label in (("fresh", "new children"), ("kept", "kept workers")):
            two = next((r.get("secondaryMetrics", {}).get("megabytes", {}).get("score") for r in indexer
                        if r["params"]["window"] == "2" and r["params"].get("workers", "fresh") == workers), None)
            if two and one.get(workers):
                print(f"target: indexer window 2 >= 1.7x window 1 ({label}): "
                      + verdict(two / one[workers] >= 1.7) + f" ({two / one[workers]:.2f}x)")

    executor_table(runs, peers)

def executor_table(runs, peers):
    trip = score(find(runs, "ExecutorBenchmark.submitGet"))
    channel = score(find(runs, "ExecutorBenchmark.channelRoundTrip"))
    warm = score(find(runs, "ExecutorBenchmark.tasksWarm"))
    first_s = score(find(runs, "ExecutorBenchmark.tasksFirstCall"))
    first = 1 / first_s if first_s else None
    if trip is None and warm is None and first is None:
        return
    py_trip = peer(peers, "executor_submit_get")
    py_warm = peer(peers, "executor_tasks_warm")
    py_first = peer(peers, "executor_tasks_first")
    table("ExecutorService: ours PProcess.executor(2), Python ProcessPoolExecutor(cores)",
          ["what", "ours", "Python", "ours vs Python"],
          [["submit(() -> x + 1).get(), warm, us (lower is better)", fmt(trip), fmt(py_trip),
            ratio(trip, py_trip, False)],
           ["channel round trip (send + receive), us, the baseline", fmt(channel), "-", "-"],
           ["20,000 tasks submitted then collected, warm, tasks/s", fmt(warm), fmt(py_warm),
            ratio(warm, py_warm, True)],
           ["the same, first call of a fresh JVM (workers started), tasks/s", fmt(first), fmt(py_first),
            ratio(first, py_first, True)]])
    if trip and channel:
        print("target: submit+get <= 2x the channel round trip: " + verdict(trip <= 2 * channel)
              + f" ({trip / channel:.2f}x)")
    if warm:
        print("target: 20,000 tasks >= 100,000 tasks/s warm: " + verdict(warm >= 100_000) + f" ({warm:.0f})")
    if first:
        print("target: first call >= 10,000 tasks/s: " + verdict(first >= 10_000) + f" ({first:.0f})")


if __name__ == "__main__":
    main()
