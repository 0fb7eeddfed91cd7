"""Start-up, save and screen-switch budget of diazlog on a realistic 10-year database.

Run: .venv/bin/python bench/bench_startup.py [--runs 7]
Compares, in one run, cold start to the first rendered frame (and to the settled app) of
diazlog against a bare Textual app that shows one Label (the floor for any Textual app), peak
memory of both, the median time to save a day, and the median time to switch to each screen.
A third app, a skeleton of a diary screen with no diazlog code, is timed for reference.
Budget (issue 7): start-up <= 1.25x bare, save <= 10 ms, switch <= 100 ms, memory <= 1.3x bare.

Bytecode: the bare app's Textual was compiled to .pyc when pip installed it, so diazlog is
timed from a compiled copy of its package too (what `pip install .`, or any first run
without PYTHONDONTWRITEBYTECODE, leaves behind). An editable install under
PYTHONDONTWRITEBYTECODE=1 compiles diazlog's source on every start instead: the "source
only" line times that, from a copy with no .pyc. Neither touches the checkout.
CPU: the process's CPU time to the first frame, beside the wall time; it moves less when
the machine is busy.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from timing import median_ms

HERE = Path(__file__).parent


# first frame (s), settled (s), peak RSS (MB), CPU time to the first frame (s)
Timings = tuple[float, float, float, float]


PASSPHRASE = "a bench passphrase"
ENCRYPTED: dict[str, Path] = {}  # "db": the encrypted copy, "secret": its passphrase file
# "compiled": a copy of the diazlog package with its .pyc; "source": one without any.
PACKAGE_COPIES: dict[str, Path] = {}


def copy_package(bytecode: bool) -> Path:
    """A copy of the diazlog package in a temporary folder (put first on PYTHONPATH by the
    probes), compiled to .pyc or left as source only."""
    import compileall
    import shutil

    import diazlog

    folder = Path(tempfile.mkdtemp(prefix="diazlog-bench-src-"))
    shutil.copytree(
        Path(diazlog.__file__).parent,
        folder / "diazlog",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    if bytecode:
        compileall.compile_dir(folder / "diazlog", quiet=1)
    return folder


def probe_once(which: str, db: Path) -> Timings:
    import os

    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    if which != "bare":
        package = PACKAGE_COPIES["source" if which == "source" else "compiled"]
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(package), env.get("PYTHONPATH")]))
    if which == "encrypted":
        env["DIAZLOG_PASSPHRASE_FILE"] = str(ENCRYPTED["secret"])
        db = ENCRYPTED["db"]
    app = "diazlog" if which == "source" else which
    out = subprocess.run(
        [sys.executable, str(HERE / "startup_probe.py"), app, str(db)],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    ).stdout
    result = json.loads(out.strip().splitlines()[-1])
    return (
        result["first_frame_s"],
        result["settled_s"],
        result["peak_rss_mb"],
        result["first_frame_cpu_s"],
    )


def probe(apps: list[str], db: Path, runs: int) -> dict[str, Timings]:
    """Medians over `runs` fresh processes of each app, taken in turn (bare, skeleton,
    diazlog, bare, ...) so that a machine getting busier or quieter skews none of them."""
    samples: dict[str, list[Timings]] = {app: [] for app in apps}
    for _ in range(runs):
        for app in apps:
            samples[app].append(probe_once(app, db))
    return {
        app: (
            statistics.median(t[0] for t in got),
            statistics.median(t[1] for t in got),
            statistics.median(t[2] for t in got),
            statistics.median(t[3] for t in got),
        )
        for app, got in samples.items()
    }


def bench_save(db_path: Path, runs: int) -> float:
    from diazlog.store import open_database
    from diazlog.store.queries.days import load_day, save_day

    db = open_database(db_path)
    day = load_day(db, datetime.now().date().isoformat())
    assert day is not None
    return median_ms(lambda: save_day(db, day), runs * 5) / 1000


async def bench_switch(db_path: Path, runs: int) -> dict[str, float]:
    from diazlog.app import DiazlogApp
    from diazlog.store import open_database

    app = DiazlogApp(open_database(db_path), db_path)
    results: dict[str, list[float]] = {}
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        modes = [m for m in app.MODES if m != "today"]
        for _ in range(runs):
            for mode in [*modes, "today"]:
                start = time.perf_counter()
                await app.switch_mode(mode)
                await pilot.pause()
                await app.workers.wait_for_complete()
                await pilot.pause()
                results.setdefault(mode, []).append(time.perf_counter() - start)
    return {mode: statistics.median(values) for mode, values in results.items()}


def make_encrypted_copy(db_path: Path) -> None:
    """The bench diary encrypted (store/cipher.py), and a file with its passphrase."""
    import shutil

    from diazlog.store.file.encryption import encrypt_file

    copy = db_path.with_name("ten-years-encrypted.db")
    shutil.copyfile(db_path, copy)
    encrypt_file(copy, PASSPHRASE)
    secret = db_path.with_name("passphrase.txt")
    secret.write_text(PASSPHRASE + "\n")
    secret.chmod(0o600)  # diazlog refuses a passphrase file others can read
    ENCRYPTED.update(db=copy, secret=secret)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--years", type=float, default=10)
    args = parser.parse_args()
    from diazlog.demo import build_demo

    db_path = Path(tempfile.mkdtemp(prefix="diazlog-bench-")) / "ten-years.db"
    build_demo(db_path, years=args.years).close()
    make_encrypted_copy(db_path)
    PACKAGE_COPIES.update(compiled=copy_package(bytecode=True), source=copy_package(False))
    apps = ["bare", "skeleton", "diazlog", "encrypted", "source"]
    probe(apps, db_path, 1)  # warm the OS file cache for all of them
    timings = probe(apps, db_path, args.runs)
    bare_s, bare_settled_s, bare_mb, bare_cpu = timings["bare"]
    floor_s, floor_settled_s, floor_mb, _ = timings["skeleton"]
    app_s, app_settled_s, app_mb, app_cpu = timings["diazlog"]
    save_s = bench_save(db_path, args.runs)
    switches = asyncio.run(bench_switch(db_path, args.runs))
    print(
        f"database: {args.years:g} years, {db_path.stat().st_size / 1e6:.1f} MB; "
        f"medians of {args.runs} runs"
    )
    print(
        f"first frame  bare Textual {bare_s * 1000:6.0f} ms   diazlog {app_s * 1000:6.0f} ms   "
        f"ratio {app_s / bare_s:.2f} (budget 1.25)"
    )
    print(
        f"  CPU time   bare Textual {bare_cpu * 1000:6.0f} ms   diazlog {app_cpu * 1000:6.0f} ms   "
        f"ratio {app_cpu / bare_cpu:.2f}"
    )
    print(
        f"settled      bare Textual {bare_settled_s * 1000:6.0f} ms   "
        f"diazlog {app_settled_s * 1000:6.0f} ms   ratio {app_settled_s / bare_settled_s:.2f}"
    )
    print(
        f"peak memory  bare Textual {bare_mb:6.1f} MB   diazlog {app_mb:6.1f} MB   "
        f"ratio {app_mb / bare_mb:.2f} (budget 1.30)"
    )
    print(
        f"reference: a skeleton diary screen (one sqlite3 read, 9 rows, no diazlog "
        f"code): first frame {floor_s * 1000:.0f} ms ({floor_s / bare_s:.2f}), "
        f"settled {floor_settled_s * 1000:.0f} ms ({floor_settled_s / bare_settled_s:.2f}), "
        f"{floor_mb:.1f} MB ({floor_mb / bare_mb:.2f})"
    )
    source_s, _, _, source_cpu = timings["source"]
    print(
        f"source only  first frame {source_s * 1000:6.0f} ms (ratio {source_s / bare_s:.2f}; "
        f"CPU {source_cpu / bare_cpu:.2f}): diazlog compiled from its source at every start "
        "(an editable install under PYTHONDONTWRITEBYTECODE=1)"
    )
    enc_s, enc_settled_s, enc_mb, _ = timings["encrypted"]
    print(
        f"encrypted    first frame {enc_s * 1000:6.0f} ms (+{(enc_s - app_s) * 1000:.0f} ms), "
        f"settled {enc_settled_s * 1000:6.0f} ms (+{(enc_settled_s - app_settled_s) * 1000:.0f}"
        f" ms), {enc_mb:.1f} MB: the same diary encrypted, passphrase from a file"
    )
    print(f"save a day   {save_s * 1000:.2f} ms (budget 10)")
    for mode, seconds in switches.items():
        print(f"switch to {mode:<10} {seconds * 1000:6.1f} ms (budget 100)")


if __name__ == "__main__":
    main()
