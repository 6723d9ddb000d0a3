"""How long ``import osnb`` takes in a fresh interpreter, against the interpreter alone.

``import osnb`` must stay fast: the notebook imports it in its first cell, and every CLI
call pays it. Each round starts, interleaved, a fresh ``python -c`` that does nothing (the
baseline), one that imports osnb, and one that imports openstacksdk (``openstack``, for
comparison); the time is the child's own wall clock around the import plus its start, as
seen from the parent. Reported: the median and best of each, and the paired per-round
ratio of ``import osnb`` to the bare interpreter, and the modules ``import osnb`` loads.

    python -m bench.bench_import [--repeat 15]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

METHODS = {"bare interpreter": "pass", "import osnb": "import osnb",
           "import openstack": "import openstack"}


def _run(code: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    times: dict[str, list[float]] = {name: [] for name in METHODS}
    for _ in range(args.repeat):
        for name, code in METHODS.items():
            times[name].append(_run(code))
    loaded = subprocess.run(
        [sys.executable, "-c", "import sys; before = set(sys.modules); import osnb; "
         "print(len(set(sys.modules) - before))"], capture_output=True, text=True,
        check=True).stdout.strip()
    bare = times["bare interpreter"]
    print(f"{args.repeat} fresh processes each, interleaved")
    for name, got in times.items():
        ratios = [t / b for t, b in zip(got, bare, strict=True)]
        print(f"  {name:18} median {statistics.median(got) * 1000:6.1f} ms, best "
              f"{min(got) * 1000:6.1f} ms, × bare {statistics.median(ratios):.2f}")
    print(f"  import osnb loads {loaded} modules")


if __name__ == "__main__":
    main()
