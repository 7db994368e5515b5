#!/usr/bin/python3
"""Scenario fuzzing: deterministic mutants of the ready scenarios through psim.

Each mutant (byte flips, deleted and duplicated lines, huge, negative and non-finite
values, wrong types, deep nesting, long strings, control characters) goes through
`psim check`; a sample of those that pass is run with a short stop. Every call must end
with exit 0, 1 or 2 within its time limit, and an exit 2 must print one to 20 lines
(every error of the file), each of the form `psim: error: ...`. Anything else (a crash, an abort, a hang, a torn message)
is a finding, printed with the mutant's text so it can be replayed.

  tests/fuzz/fuzz.py BINARY                  # the small budget the test suite runs
  tests/fuzz/fuzz.py BINARY --mutants 20000 --runs 2000 --seed 7 --keep findings/
"""
import argparse
import concurrent.futures
import os
import random
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
VALUES = ["1e300", "-1e300", "nan", "inf", "-inf", "-1", "0", "-0.0", "1e-300",
          "18446744073709551616", "9223372036854775807", "4294967296", "1e10", "1e12",
          "\"\"", "\"x\"", "true", "[]", "{}", "[1, 2, 3]", "{ dist = \"exponential\" }",
          "\"1e300s\"", "\"-5ms\"", "\"1e10 s\"", "\"999999999999min\"", "\"0GB/s\"",
          "\"../../../x\"", "\"/dev/zero\"", "\"/\"", "1979-05-27", "0x7fffffff"]
NUMBER = re.compile(r"(?<![\w.\"])-?\d+(\.\d+)?(e-?\d+)?(?![\w.\"])")


def mutate(text, rng):
    """One mutant of `text`, a scenario file's contents."""
    lines = text.split("\n")
    kind = rng.randrange(9)
    if kind == 0 and text:  # flip bytes
        data = bytearray(text.encode())
        for _ in range(rng.randint(1, 4)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        return data.decode("utf-8", "replace")
    if kind == 1:  # delete a line
        del lines[rng.randrange(len(lines))]
    elif kind == 2:  # duplicate a line
        i = rng.randrange(len(lines))
        lines.insert(i, lines[i])
    elif kind in (3, 4):  # replace a number with an extreme or a wrong type
        spots = [(i, m) for i, line in enumerate(lines) for m in NUMBER.finditer(line)]
        if spots:
            i, m = rng.choice(spots)
            lines[i] = lines[i][:m.start()] + rng.choice(VALUES) + lines[i][m.end():]
    elif kind == 5:  # replace a value after '=' with anything
        spots = [i for i, line in enumerate(lines) if "=" in line and not line.startswith("#")]
        if spots:
            i = rng.choice(spots)
            key = lines[i].split("=", 1)[0]
            lines[i] = key + "= " + rng.choice(VALUES)
    elif kind == 6:  # deep nesting
        depth = rng.choice([50, 500, 5000])
        lines.append("deep = " + "[" * depth + "1" + "]" * depth)
    elif kind == 7:  # long strings and control characters
        spots = [i for i, line in enumerate(lines) if "\"" in line]
        if spots:
            i = rng.choice(spots)
            filler = rng.choice(["x" * 100000, "\x01\x1b[31m\x7f", "a\\nb", "\u202e"])
            lines[i] = lines[i].replace("\"", "\"" + filler, 1)
    else:  # a key from another table
        lines.insert(rng.randrange(len(lines) + 1),
                     rng.choice(["workers = 1e9", "samples = 1e12", "features = 1e9",
                                 "hidden = [1000000, 1000000]", "classes = 100000",
                                 "stall_timeout = 1e300", "timeout = 1e300",
                                 "latency = 1e10", "stop = { time = 1e10 }",
                                 "name = \"../../../escape\"", "eval_every = 0"]))
    return "\n".join(lines)


def judge(done, timed_out):
    """None when the call behaved, else what went wrong."""
    if timed_out:
        return "no answer within the time limit"
    if done.returncode not in (0, 1, 2):
        # The end of stderr says why (a sanitizer's report under PSIM_SANITIZE).
        return f"exit {done.returncode}: {done.stderr.decode('utf-8', 'replace')[-1500:]}"
    if done.returncode == 2:
        err = done.stderr.decode("utf-8", "replace")
        lines = [l for l in err.split("\n") if l]
        if not 1 <= len(lines) <= 20 or not all(l.startswith("psim: error: ") for l in lines):
            return f"exit 2 without 1 to 20 'psim: error:' lines: {err[:300]!r}"
    return None


def call(args, timeout):
    """(exit code or None, finding or None) of one call of psim."""
    try:
        done = subprocess.run(args, capture_output=True, timeout=timeout, cwd=ROOT)
        return done.returncode, judge(done, False)
    except subprocess.TimeoutExpired:
        return None, judge(None, True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("binary")
    parser.add_argument("--mutants", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("-j", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--keep", metavar="DIR", help="copy each finding's mutant here")
    args = parser.parse_args()
    # Calls run from the source root (cwd=ROOT): a path given from elsewhere must still hold.
    args.binary = os.path.abspath(args.binary)
    folder = os.path.join(ROOT, "scenarios")
    # Every ready scenario, the million workers too: a run's wall stop ends the placing of
    # its actors within seconds, so its mutants find, rather than time out.
    seeds = [open(os.path.join(folder, f)).read() for f in sorted(os.listdir(folder))
             if f.endswith(".toml")]
    rng = random.Random(args.seed)
    mutants = [mutate(rng.choice(seeds), rng) for _ in range(args.mutants)]
    findings = []
    with tempfile.TemporaryDirectory(prefix="psim-fuzz-") as tmp, \
            concurrent.futures.ThreadPoolExecutor(args.j) as pool:
        paths = []
        for i, text in enumerate(mutants):
            path = os.path.join(tmp, f"mutant-{i}.toml")
            with open(path, "w", encoding="utf-8", errors="replace") as f:
                f.write(text)
            paths.append(path)

        def check(path):
            return (path, *call([args.binary, "check", path], 20))
        checked = list(pool.map(check, paths))
        findings += [(p, "check: " + w) for p, _, w in checked if w]
        # Runs on other nodes need those nodes: only single-process mutants are run.
        passing = [p for p, code, _ in checked
                   if code == 0 and "[deployment]" not in open(p, errors="replace").read()]
        runs = random.Random(args.seed).sample(passing, min(args.runs, len(passing)))

        def run(path):
            out = path[:-5] + "-run"
            return (path, *call([args.binary, "run", path, "-o", out, "--quiet",
                                 "--set", "run.stop={updates=40, wall=5}"], 60))
        findings += [(p, "run: " + w) for p, _, w in pool.map(run, runs) if w]
        for path, what in findings:
            if args.keep:
                os.makedirs(args.keep, exist_ok=True)
                with open(os.path.join(args.keep, os.path.basename(path)), "w") as f:
                    f.write(open(path, errors="replace").read())
            print(f"finding: {what}\n--- {os.path.basename(path)}\n{open(path).read()[:2000]}\n---")
    print(f"fuzz: {len(mutants)} mutants checked, {len(runs)} run, {len(findings)} findings")
    print(f"{len(mutants) + len(runs) - len(findings)} passed, {len(findings)} failed")
    sys.exit(1 if findings else 0)


if __name__ == "__main__":
    main()
