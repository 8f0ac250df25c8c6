"""Packet rendering: our renderer against the bare-library floor (benchmarks/floor.py) on the same content.

Three packet sizes (small: ~10 narrative pages, 5 exhibits / 30 pages; medium: ~30, 20 / 200; large: ~60, 60 /
1,000). Each size runs in its own process (so peak RSS is that size's), against a throwaway SQLite database and media
folder. For each size it prints: the median of 5 first renders (the packet as its uploads left it: exhibits
normalised at upload, no part laid out yet), pages per second, peak RSS (the render process plus its layout
processes), the median of 3 renders from scratch (the exhibit cache emptied too), the median of 5 re-renders after
a one-field text edit, and the floor's median on the same exhibits and the same number of narrative pages, measured
in the same run, interleaved with ours.

    .venv/bin/python benchmarks/render.py [--runs 5] [--only small|medium|large]

The last line:
    render: medium_ratio=… reedit_ratio=… large_peak_rss_mb=…
Targets on the 2-core machine: medium_ratio ≤ 1.3, reedit_ratio (medium) ≤ 1.0, large peak RSS < 600 MB.
"""

import argparse
import base64
import io
import json
import os
import random
import re
import resource
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FLOOR = ROOT / "benchmarks" / "floor.py"

SIZES = {
    "small": {"narrative_pages": 10, "exhibits": 5, "exhibit_pages": 30},
    "medium": {"narrative_pages": 30, "exhibits": 20, "exhibit_pages": 200},
    "large": {"narrative_pages": 60, "exhibits": 60, "exhibit_pages": 1000},
}
# Characters of prose per narrative page at 11 pt on Letter (measured with this stylesheet; tables add a little).
CHARS_PER_PAGE = 3300
WORDS = [
    "project",
    "partner",
    "community",
    "safety",
    "evidence",
    "letter",
    "support",
    "timeline",
    "milestone",
    "exit",
    "strategy",
    "training",
    "assessment",
    "public",
    "benefit",
    "applicant",
    "organisation",
    "supervision",
    "report",
    "indicator",
    "risk",
    "plan",
]


def prose(rnd: random.Random, chars: int) -> str:
    paragraphs, total = [], 0
    while total < chars:
        sentences = [
            " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(9, 22))).capitalize() + "."
            for _ in range(rnd.randint(4, 7))
        ]
        paragraph = " ".join(sentences)
        paragraphs.append(paragraph)
        total += len(paragraph)
    return "\n\n".join(paragraphs)[: max(chars, 1)]


def exhibit_files(folder: Path, count: int, pages: int) -> list[Path]:
    """``count`` exhibits with ``pages`` pages in all: one JPEG scan (like a passport page) and text PDFs."""
    from PIL import Image, ImageDraw
    from reportlab.lib.pagesizes import letter
    from reportlab.pdfgen import canvas

    folder.mkdir(parents=True, exist_ok=True)
    image = Image.new("RGB", (1275, 1650), "white")
    ImageDraw.Draw(image).rectangle((100, 100, 1175, 1550), outline="black", width=6)
    jpeg = folder / "e000.jpg"
    image.save(jpeg, "JPEG", quality=85)
    paths = [jpeg]
    rnd = random.Random(11)
    rest, pdfs = pages - 1, count - 1
    for index in range(pdfs):
        size = rest // pdfs + (1 if index < rest % pdfs else 0)
        buffer = io.BytesIO()
        pdf = canvas.Canvas(buffer, pagesize=letter, invariant=True)
        for number in range(size):
            pdf.setFont("Helvetica", 11)
            for line in range(30):
                pdf.drawString(72, 720 - 20 * line, " ".join(rnd.choice(WORDS) for _ in range(11)))
            pdf.drawString(72, 60, f"exhibit {index + 2}, page {number + 1} of {size}")
            pdf.showPage()
        pdf.save()
        path = folder / f"e{index + 1:03d}.pdf"
        path.write_bytes(buffer.getvalue())
        paths.append(path)
    return paths


def child(size: str, runs: int) -> dict[str, float]:
    """Build the packet for ``size`` in a fresh database and time renders; runs in its own process."""
    work = Path(tempfile.mkdtemp(prefix=f"render-bench-{size}-"))
    os.environ.update(
        DATABASE_URL=f"sqlite:///{work / 'db.sqlite3'}",
        MEDIA_ROOT=str(work / "media"),
        TASK_BACKEND="django_tasks.backends.immediate.ImmediateBackend",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(60),
        ENCRYPTION_KEYS=base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),  # a throwaway Fernet key
        ALLOWED_HOSTS="localhost",
    )
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parole_wizard.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command

    from packets.assembly.exhibits import cache_dir
    from packets.assembly.layout import shutdown_pool, workers_peak_rss_mb
    from packets.assembly.partcache import PartCache
    from packets.content.schema import PacketData
    from packets.content.services import ExhibitUpload, exhibit_add, packet_create, packet_save_section
    from packets.rendering.versions import packet_render

    call_command("migrate", verbosity=0)
    if os.environ.get("RENDER_BENCH_VERBOSE"):
        import logging

        logging.basicConfig(level=logging.INFO, stream=sys.stderr, force=True)
        logging.getLogger("packets.assembly.render").setLevel(logging.INFO)
    spec = SIZES[size]
    files = exhibit_files(work / "exhibits", spec["exhibits"], spec["exhibit_pages"])
    user = get_user_model().objects.create_user(username="bench", password="bench-password")  # noqa: S106
    packet = packet_create(owner=user, name=f"Benchmark {size}")
    rnd = random.Random(5)
    long_fields = [
        (section, name)
        for section, info in PacketData.model_fields.items()
        if section not in ("schema_version", "cover_letter")
        for name, field in info.annotation.model_fields.items()  # type: ignore[union-attr]
        if isinstance(field.json_schema_extra, dict)
        and field.json_schema_extra.get("widget") == "textarea"
        and any(getattr(m, "max_length", 0) == 10_000 for m in field.metadata)
    ]
    # Fill answers in order until the prose budget is spent: the cover, letter, contents and index take ~4 pages and
    # every section starts on a new page, so a small packet has fewer sections, like a real early draft.
    budget = max(spec["narrative_pages"] - 4, 1) * CHARS_PER_PAGE
    values: dict[str, dict[str, str]] = {}
    for section, name in long_fields:
        if budget <= 0:
            break
        chars = min(budget, 9_900)
        values.setdefault(section, {})[name] = prose(rnd, chars)
        budget -= chars + 400  # a question heading and paragraph gaps
    values.setdefault("project", {})
    values["project"]["title"] = f"Benchmark {size}"
    values["beneficiary"]["full_name"] = "Lucía Fernández Ortega"
    for section, value in values.items():
        packet = packet_save_section(
            packet=packet, section=section, value=value, base_revision=packet.revision, by=user
        )
    for path in files:
        content_type = "image/jpeg" if path.suffix == ".jpg" else "application/pdf"
        upload = SimpleUploadedFile(path.name, path.read_bytes(), content_type=content_type)
        exhibit_add(packet=packet, upload=ExhibitUpload(file=upload, kind="other", title=path.stem), by=user)

    warm = packet_render(packet=packet, final=False, by=user)  # warm-up: imports, fonts
    with warm.pdf.open("rb") as handle:
        narrative_pages = _narrative_pages(handle.read())
    # The floor runs interleaved with ours, one run at a time, so both see the same machine load (other processes
    # on a 2-core machine move single timings by ±50%).
    # "First render": the packet as its uploads left it (each exhibit normalised by its upload), no part laid out yet.
    # "From scratch": the exhibit cache emptied too, so every exhibit is normalised again in the sandbox.
    parts = PartCache(str(packet.pk))
    cold, scratch, floors, pages = [], [], [], 0
    for run in range(runs):
        floors.append(floor(narrative_pages, str(work / "exhibits"), 1))
        parts.clear()
        started = time.perf_counter()
        version = packet_render(packet=packet, final=False, by=user)
        cold.append(time.perf_counter() - started)
        pages = version.page_count
        if run < 3:
            parts.clear()
            shutil.rmtree(cache_dir(), ignore_errors=True)
            started = time.perf_counter()
            packet_render(packet=packet, final=False, by=user)
            scratch.append(time.perf_counter() - started)
    reedit, reedit_floors = [], []
    for run in range(runs):
        reedit_floors.append(floor(narrative_pages, str(work / "exhibits"), 1))
        packet = packet_save_section(
            packet=packet,
            section="project",
            value={**packet.data["project"], "title": f"Benchmark {size}, edit {run}"},
            base_revision=packet.revision,
            by=user,
        )
        started = time.perf_counter()
        packet_render(packet=packet, final=False, by=user)
        reedit.append(time.perf_counter() - started)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # The layout processes hold memory too: their peaks are added (an upper bound: they need not peak together).
    workers_peak = workers_peak_rss_mb()
    shutdown_pool()
    shutil.rmtree(work / "media", ignore_errors=True)
    return {
        "pages": pages,
        "narrative_pages": narrative_pages,
        "render_s": statistics.median(cold),
        "scratch_s": statistics.median(scratch),
        "reedit_s": statistics.median(reedit),
        "floor_s": statistics.median(floors),
        "reedit_floor_s": statistics.median(reedit_floors),
        "peak_rss_mb": peak + workers_peak,
        "process_peak_rss_mb": peak,
        "exhibits_dir": str(work / "exhibits"),
    }


def _narrative_pages(pdf: bytes) -> int:
    """Pages before the first slip sheet (what the floor calls narrative pages)."""
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    pages = text.split("\f")
    return next(i for i, page in enumerate(pages) if re.match(r"\s*Exhibit A\s", page))


def floor(narrative_pages: int, exhibits_dir: str, runs: int) -> float:
    command = [
        sys.executable,
        str(FLOOR),
        "--narrative-pages",
        str(narrative_pages),
        "--exhibits",
        exhibits_dir,
        "--runs",
        str(runs),
    ]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    match = re.search(r"median_s=([0-9.]+)", output)
    if not match:
        raise RuntimeError(f"unexpected floor output: {output!r}")
    return float(match[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--only", choices=sorted(SIZES))
    parser.add_argument("--child", choices=sorted(SIZES), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.runs)))
        return
    results = {}
    for size in [args.only] if args.only else list(SIZES):
        output = subprocess.run(
            [sys.executable, __file__, "--child", size, "--runs", str(args.runs)],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        ).stdout
        result = json.loads(output.strip().splitlines()[-1])
        shutil.rmtree(Path(result["exhibits_dir"]).parent, ignore_errors=True)
        results[size] = result
        print(
            f"{size}: pages={result['pages']} narrative_pages={result['narrative_pages']} "
            f"render_median_s={result['render_s']:.3f} pages_per_s={result['pages'] / result['render_s']:.0f} "
            f"peak_rss_mb={result['peak_rss_mb']:.0f} (render process {result['process_peak_rss_mb']:.0f}) "
            f"from_scratch_median_s={result['scratch_s']:.3f} reedit_median_s={result['reedit_s']:.3f} "
            f"floor_median_s={result['floor_s']:.3f} ratio={result['render_s'] / result['floor_s']:.2f} "
            f"reedit_ratio={result['reedit_s'] / result['reedit_floor_s']:.2f}",
            flush=True,
        )
    medium = results.get("medium")
    large = results.get("large")
    print(
        f"render: medium_ratio={medium['render_s'] / medium['floor_s']:.2f} "
        if medium
        else "render: medium_ratio=n/a ",
        end="",
    )
    print(
        f"reedit_ratio={medium['reedit_s'] / medium['reedit_floor_s']:.2f} " if medium else "reedit_ratio=n/a ", end=""
    )
    print(f"large_peak_rss_mb={large['peak_rss_mb']:.0f}" if large else "large_peak_rss_mb=n/a")


if __name__ == "__main__":
    main()
