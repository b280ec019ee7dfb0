"""Japanese and other scripts against English: time per leaflet and file size.

Run by hand: python3 bench/languages.py [--rounds N]
Every figure is measured in this run; the English leaflet of the same handout and brand
is the baseline. Targets: a Japanese leaflet takes under 2x the English one and stays
under 250 KB.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

from builder.batch import Job, load_engine, render_job

HANDOUT = "acupuncture-session"  # shipped in seven languages
BRAND = "hinode-tokyo"
TIME_TARGET = 2.0
SIZE_TARGET = 250 * 1024


def timings(engine, job: Job, rounds: int) -> tuple[list[float], int]:
    render_job(engine, job)  # warm: fonts, labels and images loaded
    times, size = [], 0
    for _ in range(rounds):
        started = time.perf_counter()
        size = len(render_job(engine, job).pdf)
        times.append((time.perf_counter() - started) * 1000)
    return times, size


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    engine = load_engine()
    languages = engine.project.handouts[HANDOUT].handout.languages
    results = {lang: timings(engine, Job(HANDOUT, lang, BRAND, "leaflet", "a4"), args.rounds)
               for lang in languages}
    base = statistics.median(results["en"][0])
    print(f"{HANDOUT}, {BRAND}, A4 leaflet, {args.rounds} warm rounds; baseline: en")
    print(f"{'lang':8} {'min ms':>8} {'median':>8} {'max':>8} {'x en':>6} {'KB':>6}  result")
    failed = False
    for lang, (times, size) in results.items():
        ratio = statistics.median(times) / base
        verdict = ""
        if lang == "ja":
            ok = ratio < TIME_TARGET and size < SIZE_TARGET
            failed |= not ok
            verdict = "PASS" if ok else "FAIL"
            verdict += f" (targets: < {TIME_TARGET}x en, < {SIZE_TARGET // 1024} KB)"
        print(f"{lang:8} {min(times):8.1f} {statistics.median(times):8.1f} {max(times):8.1f} "
              f"{ratio:6.2f} {size / 1024:6.0f}  {verdict}")
    sizes = {hid: len(render_job(engine, Job(hid, "ja", BRAND, "leaflet", "a4")).pdf)
             for hid, entry in sorted(engine.project.handouts.items())
             if "ja" in entry.translations}
    largest = max(sizes, key=sizes.__getitem__)
    ok = sizes[largest] < SIZE_TARGET
    failed |= not ok
    print(f"largest Japanese leaflet: {largest}, {sizes[largest] / 1024:.0f} KB  "
          f"{'PASS' if ok else 'FAIL'} (< {SIZE_TARGET // 1024} KB)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
