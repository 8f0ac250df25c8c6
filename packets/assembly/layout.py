"""WeasyPrint layout of print parts (cover, letter, one narrative section, …), in this process or in a small pool.

A part is a complete HTML document; its layout depends on nothing but that string and ``print.css``, so the renderer
can cache each part's PDF and lay out the parts it lacks side by side, one per CPU core. This module knows nothing of
Django or the database: the pool's processes import it (and WeasyPrint) once, keep their font configuration and parsed
stylesheet warm, and return PDF bytes.

Security: the HTML is ours (user text escaped by Django's templates); the URL fetcher refuses every URL, so a bug that
let markup through could still not read a file or reach the network.
"""

import logging
import multiprocessing
import os
import threading
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import weasyprint
from weasyprint.text.fonts import FontConfiguration

from packets.assembly.fetcher import BASE_URL, PacketURLFetcher

PRINT_CSS = Path(__file__).with_name("print.css")
# Pool processes are replaced after this many parts, so a slow leak in a C library cannot grow a worker forever.
TASKS_PER_WORKER = 500


class LayoutError(Exception):
    """WeasyPrint could not load part of a print document; the message lists what."""


@dataclass(frozen=True)
class LaidOut:
    pdf: bytes
    pages: int
    pid: int  # the process that laid it out, and its peak memory: for the benchmark's memory figure
    peak_rss_mb: float


def lay_out(html: str) -> LaidOut:
    """``html`` as a PDF, laid out in this process. Anything WeasyPrint could not load is an error, not a gap."""
    font_config, stylesheet = _warm()
    with weasyprint_problems() as problems:
        document = weasyprint.HTML(string=html, base_url=BASE_URL, url_fetcher=PacketURLFetcher({})).render(
            stylesheets=[stylesheet], font_config=font_config
        )
        pdf = document.write_pdf(pdf_tags=True)
    if problems:
        raise LayoutError("The layout engine could not load part of the packet: " + "; ".join(problems[:3]))
    if pdf is None:  # write_pdf() without a target always returns the bytes
        raise LayoutError("The layout engine produced no PDF.")
    return LaidOut(pdf=pdf, pages=len(document.pages), pid=os.getpid(), peak_rss_mb=_peak_rss_mb())


def lay_out_many(htmls: list[str], *, workers: int) -> list[LaidOut]:
    """Every document of ``htmls``, laid out by ``workers`` processes at once (0: one after another, here)."""
    if workers <= 0 or len(htmls) <= 1:
        return [lay_out(html) for html in htmls]
    futures = [(index, _submit(html, workers)) for index, html in _largest_first(htmls)]
    results: dict[int, LaidOut] = {}
    for index, future in futures:
        try:
            results[index] = future.result()
        except BrokenProcessPool:
            # A worker died (killed for memory, say): forget the pool and do this part here; the next render
            # starts a fresh pool.
            shutdown_pool(wait=False)
            results[index] = lay_out(htmls[index])
    return [results[index] for index in range(len(htmls))]


def workers_peak_rss_mb() -> float:
    """The summed peak resident memory of the pool's worker processes seen so far (0 without a pool)."""
    with _pool_lock:
        return sum(_worker_peaks.values())


def shutdown_pool(*, wait: bool = True) -> None:
    """Stop the pool's processes (a benchmark does this between sizes; a worker process simply exits). The next
    layout starts a fresh pool; a broken one is dropped this way without waiting for it."""
    global _pool
    with _pool_lock:
        if _pool is not None:
            _pool.shutdown(wait=wait, cancel_futures=True)
        _pool = None


def _largest_first(htmls: list[str]) -> list[tuple[int, str]]:
    # Long parts first, so a long section never starts last while the other worker sits idle.
    return sorted(enumerate(htmls), key=lambda item: -len(item[1]))


_pool: ProcessPoolExecutor | None = None
_pool_size = 0
_pool_lock = threading.Lock()
_worker_peaks: dict[int, float] = {}


def _submit(html: str, workers: int) -> "Future[LaidOut]":
    global _pool, _pool_size
    with _pool_lock:
        if _pool is None or _pool_size != workers:
            if _pool is not None:
                _pool.shutdown(wait=False)
            # forkserver: workers start from a clean interpreter, not from a copy of a threaded web or task worker
            # (forking those can deadlock on a lock some other thread held), and without its secrets in memory.
            context = multiprocessing.get_context("forkserver")
            _pool = ProcessPoolExecutor(
                max_workers=workers, mp_context=context, initializer=_warm, max_tasks_per_child=TASKS_PER_WORKER
            )
            _pool_size = workers
        future = _pool.submit(lay_out, html)
    future.add_done_callback(_note_peak)
    return future


def _note_peak(future: "Future[LaidOut]") -> None:
    if future.cancelled() or future.exception() is not None:
        return
    laid_out = future.result()
    with _pool_lock:
        _worker_peaks[laid_out.pid] = max(_worker_peaks.get(laid_out.pid, 0.0), laid_out.peak_rss_mb)


@cache
def _warm() -> tuple[FontConfiguration, weasyprint.CSS]:
    """The font configuration and parsed print stylesheet, made once per process and shared by every part."""
    font_config = FontConfiguration()
    stylesheet = weasyprint.CSS(
        string=PRINT_CSS.read_text(encoding="utf-8"),
        base_url=BASE_URL,
        url_fetcher=PacketURLFetcher({}),
        font_config=font_config,
    )
    return font_config, stylesheet


def _peak_rss_mb() -> float:
    try:
        for line in Path(f"/proc/{os.getpid()}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.problems: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        # WeasyPrint only logs a resource it failed to load and carries on without it.
        if message.startswith(("Failed to load", "Error loading")) or record.levelno >= logging.ERROR:
            self.problems.append(message[:300])


@contextmanager
def weasyprint_problems() -> Iterator[list[str]]:
    logger = logging.getLogger("weasyprint")
    collector = _Collector()
    logger.addHandler(collector)
    try:
        yield collector.problems
    finally:
        logger.removeHandler(collector)
