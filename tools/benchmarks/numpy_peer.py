#!/usr/bin/python3
"""The numpy peer of psim's async benchmark: the same workload as a plain Python
discrete-event simulation, to measure psim against what a researcher would write.

Workload (tools/benchmarks/bench.cpp): async descent, W workers, a linear model with 10
features and a bias, batch 1, exponential compute times with mean 1 ms, 100 us link
latency each way; every applied gradient is one update. One event queue (heapq) holds
"gradient ready" and "gradient arrives" events; the server applies on arrival and
replies; the reply starts the worker's next gradient.

  /usr/bin/python3 tools/benchmarks/numpy_peer.py --workers 100 --updates 200000
Prints one line: updates, wall seconds, CPU seconds, updates per CPU-second.
"""
import argparse
import heapq
import time

import numpy as np


def simulate(workers, updates, features=10, seed=1):
    rng = np.random.default_rng(seed)
    x = rng.random((10000, features))
    y = x @ rng.normal(size=features) + 1.0 + 0.1 * rng.normal(size=10000)
    shard = 10000 // workers
    theta = np.zeros(features + 1)
    version = 0
    cursor = [0] * workers
    latency = 100e-6
    queue = []  # (time, sequence, kind, worker, gradient, version computed on)
    sequence = 0

    def start(w, now, params, v):
        nonlocal sequence
        row = w * shard + cursor[w] % shard
        cursor[w] += 1
        xi = x[row]
        residual = xi @ params[:-1] + params[-1] - y[row]
        grad = np.empty(features + 1)
        grad[:-1] = 2 * residual * xi
        grad[-1] = 2 * residual
        sequence += 1
        ready = now + rng.exponential(1e-3)
        heapq.heappush(queue, (ready + latency, sequence, w, grad, v))

    for w in range(workers):
        start(w, latency, theta, 0)
    while version < updates:
        now, _, w, grad, _ = heapq.heappop(queue)
        theta -= 0.001 * grad
        version += 1
        start(w, now + latency, theta.copy(), version)
    return theta


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=100)
    parser.add_argument("--updates", type=int, default=200000)
    args = parser.parse_args()
    wall0, cpu0 = time.perf_counter(), time.process_time()
    theta = simulate(args.workers, args.updates)
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    assert np.all(np.isfinite(theta))
    print(f"numpy peer: {args.updates} updates, {wall:.3f} s wall, {cpu:.3f} s CPU, "
          f"{args.updates / cpu:.0f} updates per CPU-second")


if __name__ == "__main__":
    main()
