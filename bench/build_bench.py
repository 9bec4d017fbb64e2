"""Time `studydeck build` as a whole process on generated notes; print wall time and peak memory.

    python bench/build_bench.py                    # N = 1,000 and 10,000
    python bench/build_bench.py 50000 --repeat 5   # any N, more runs

Wall time on a shared virtual machine moves with the host's load (the same build here took
1.8 s or 2.9 s with the same CPU time), so each kind of run is repeated and the best and the
median wall time are printed, with the median CPU time of all the build's processes.

Notes are spread over files of 500 cards (one topic file each, as people keep them), 5% of
cards show a local image and many carry inline and display math. Three runs per N: a fresh
build, a rebuild with nothing changed, and a rebuild after editing one file.
"""

from __future__ import annotations

import argparse
import os
import statistics
import struct
import subprocess
import sys
import tempfile
import zlib
from pathlib import Path

CARDS_PER_FILE = 500
STUDYDECK = Path(sys.executable).with_name("studydeck")


def tiny_png(seed: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 8, 1, 8, 2, 0, 0, 0)
    pixels = b"\x00" + bytes((seed + i) % 256 for i in range(24))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(pixels))
        + chunk(b"IEND", b"")
    )


def card(n: int) -> str:
    lines = [f"### {n:05d}. 질문 {n}: Attention과 Transformer의 차이는?", ""]
    lines.append(f"- 인코더의 은닉 벡터 $h_{{{n}}}$와 디코더의 은닉 벡터 $s_t$를 **내적**한다.")
    lines.append("- softmax로 Attention 분포를 만든 뒤 Value를 가중합한다.")
    lines.append("  - 정보 손실을 줄인다")
    if n % 7 == 0:
        lines += [
            "",
            "$$",
            rf"\mathrm{{Attention}}(Q,K,V)=\mathrm{{softmax}}(QK^T/\sqrt{{d_k}})V_{{{n}}}",
            "$$",
        ]
    if n % 20 == 0:
        lines += ["", f"![diagram](img/d{n}.png)"]
    if n % 50 == 0:
        lines += ["", "| 방법 | 장점 |", "|---|---|", f"| RNN | 순서 {n} |"]
    return "\n".join(lines) + "\n"


def generate(folder: Path, count: int) -> None:
    (folder / "img").mkdir(parents=True)
    for start in range(0, count, CARDS_PER_FILE):
        topic = start // CARDS_PER_FILE
        body = [f"# {topic + 1}. Topic {topic}\n"]
        body += [card(n) for n in range(start, min(start + CARDS_PER_FILE, count))]
        (folder / f"topic{topic:03d}.md").write_text("\n".join(body), encoding="utf-8")
    for n in range(0, count, 20):
        (folder / "img" / f"d{n}.png").write_bytes(tiny_png(n))


def run(notes: Path, out: Path) -> tuple[float, float, float, str]:
    """Run one build in a child process; return wall s, CPU s (all processes), peak MB, summary."""
    code = (
        "import resource, subprocess, sys, time; t = time.perf_counter(); "
        "p = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
        "w = time.perf_counter() - t; u = resource.getrusage(resource.RUSAGE_CHILDREN); "
        "print(w, u.ru_utime + u.ru_stime, u.ru_maxrss, p.returncode); "
        "print(p.stdout.strip().splitlines()[0] if p.stdout.strip() else p.stderr[-500:])"
    )
    cmd = [sys.executable, "-c", code, str(STUDYDECK), "build", str(notes), "-o", str(out)]
    result = subprocess.run(cmd, capture_output=True, text=True, check=True)
    first, summary = result.stdout.splitlines()[:2]
    wall, cpu, rss_kb, rc = first.split()
    if rc != "0":
        raise SystemExit(f"build failed: {summary}")
    return float(wall), float(cpu), int(rss_kb) / 1024, summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[1_000, 10_000])
    parser.add_argument("--repeat", type=int, default=3, help="runs of each kind (default 3)")
    args = parser.parse_args()
    print(
        f"studydeck build, whole process; {os.cpu_count()} cores; Python {sys.version.split()[0]}; "
        f"best and median of {args.repeat} runs"
    )
    print(f"{'cards':>7}  {'run':<22} {'wall s':>12} {'CPU s':>6} {'peak MB':>8}")
    for count in args.sizes:
        figures: dict[str, list[tuple[float, float, float]]] = {}
        for _ in range(args.repeat):
            with tempfile.TemporaryDirectory() as tmp:
                notes, out = Path(tmp) / "notes", Path(tmp) / "build"
                generate(notes, count)
                for label, edit in RUNS:
                    if edit:
                        target = notes / "topic000.md"
                        target.write_text(
                            target.read_text(encoding="utf-8") + "\n### 새 질문\n\n- 새 답\n",
                            encoding="utf-8",
                        )
                    wall, cpu, peak, _summary = run(notes, out)
                    figures.setdefault(label, []).append((wall, cpu, peak))
        for label, _edit in RUNS:
            walls = [f[0] for f in figures[label]]
            cpu = statistics.median(f[1] for f in figures[label])
            peak = max(f[2] for f in figures[label])
            wall = f"{min(walls):.2f} / {statistics.median(walls):.2f}"
            print(f"{count:>7}  {label:<22} {wall:>12} {cpu:>6.2f} {peak:>8.0f}")


RUNS = (("fresh build", False), ("rebuild, no change", False), ("rebuild, 1 file edited", True))


if __name__ == "__main__":
    main()
