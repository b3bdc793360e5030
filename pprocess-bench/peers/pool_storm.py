#!/usr/bin/env python3
"""Python's process pools under the kill storm of pprocess-java's PoolStorm.

Maps a function of about 5 ms (time.sleep) over 2,000 items with 2 worker processes while a
thread SIGKILLs a random child of the pool's parent every 300 ms, for:

  pool_map             multiprocessing.Pool(2).map
  pool_imap_unordered  multiprocessing.Pool(2).imap_unordered
  executor_map         concurrent.futures.ProcessPoolExecutor(2).map

Only the pools' worker processes are killed (as PoolStorm kills only pprocess children). Each
runs in a subprocess bounded by a timeout, since they hang or break: the report says which,
with the results that arrived. Standard library only.

Usage: pool_storm.py [--items N] [--timeout SECONDS]
"""

import argparse
import os
import random
import signal
import subprocess
import sys
import threading
import time

MODES = ("pool_map", "pool_imap_unordered", "executor_map")


def work(x):
    time.sleep(0.005)
    return x * 2


def children(pid):
    out = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % entry) as f:
                fields = f.read().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid:
                out.append(int(entry))
        except (OSError, IndexError, ValueError):
            pass
    return out


def storm(stop, kills, workers):
    me = os.getpid()
    while not stop.wait(0.3):
        live = set(children(me))
        victims = [p for p in workers() if p in live]
        if victims:
            try:
                os.kill(random.choice(victims), signal.SIGKILL)
                kills[0] += 1
            except ProcessLookupError:
                pass


def run(mode, items):
    stop = threading.Event()
    kills = [0]
    got = 0
    wrong = 0
    start = time.time()

    def report(state):
        print("%s %d results, %d wrong, %d kills, %.1f s" % (state, got, wrong, kills[0], time.time() - start),
              flush=True)

    holder = {}

    def workers():
        if "pool" in holder:
            return [p.pid for p in list(holder["pool"]._pool)]
        if "executor" in holder:
            return list((holder["executor"]._processes or {}).keys())
        return []

    killer = threading.Thread(target=storm, args=(stop, kills, workers), daemon=True)
    try:
        if mode.startswith("pool"):
            import multiprocessing as mp
            with mp.Pool(2) as pool:
                holder["pool"] = pool
                killer.start()
                if mode == "pool_map":
                    for i, v in enumerate(pool.map(work, range(items))):
                        got += 1
                        wrong += v != i * 2
                else:
                    for v in pool.imap_unordered(work, range(items)):
                        got += 1
                        if got % 100 == 0:
                            report("progress")
        else:
            from concurrent.futures import ProcessPoolExecutor
            with ProcessPoolExecutor(2) as executor:
                holder["executor"] = executor
                killer.start()
                for i, v in enumerate(executor.map(work, range(items))):
                    got += 1
                    wrong += v != i * 2
                    if got % 100 == 0:
                        report("progress")
        report("completed")
    except Exception as e:  # BrokenProcessPool and the like: the pool gave up
        report("broke (%s: %s)" % (type(e).__name__, str(e).split("\n")[0][:80]))
    finally:
        stop.set()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=2000)
    parser.add_argument("--timeout", type=float, default=60)
    parser.add_argument("--mode", choices=MODES)
    args = parser.parse_args()
    if args.mode:
        run(args.mode, args.items)
        return
    for mode in MODES:
        proc = subprocess.Popen([sys.executable, __file__, "--mode", mode, "--items", str(args.items)],
                                stdout=subprocess.PIPE, text=True, start_new_session=True)
        try:
            out, _ = proc.communicate(timeout=args.timeout)
            last = out.strip().splitlines()[-1] if out.strip() else "no output"
            print("%s: %s" % (mode, last))
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            out, _ = proc.communicate()
            lines = [l for l in out.strip().splitlines() if l]
            last = lines[-1] if lines else "0 results"
            print("%s: hung, killed after %.0f s timeout (last report: %s)" % (mode, args.timeout, last))


if __name__ == "__main__":
    main()
