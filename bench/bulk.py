"""Writing millions of rows quickly, with a progress bar on the terminal."""

import sys
import time
from collections.abc import Iterable, Iterator
from itertools import islice

BATCH = 5000


class ProgressBar:
    """`label ██████░░░░  60%  600,000/1,000,000  12s`, redrawn in place."""

    WIDTH = 30

    def __init__(self, label: str, total: int, stream=None):
        self.label, self.total, self.done = label, max(total, 1), 0
        self.stream = stream or sys.stderr
        self.started = time.monotonic()
        self._draw()

    def advance(self, count: int) -> None:
        self.done += count
        self._draw()

    def finish(self) -> None:
        self._draw()
        self.stream.write("\n")
        self.stream.flush()

    def _draw(self) -> None:
        share = min(self.done / self.total, 1)
        filled = round(share * self.WIDTH)
        bar = "█" * filled + "░" * (self.WIDTH - filled)
        elapsed = time.monotonic() - self.started
        self.stream.write(f"\r{self.label:<22} {bar} {share:4.0%} {self.done:>10,}/{self.total:,} {elapsed:5.0f}s")
        self.stream.flush()


def chunks(items: Iterable, size: int = BATCH) -> Iterator[list]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def insert(model, objects: Iterable, *, total: int, label: str, keep_ids: bool = False) -> list[int]:
    """bulk_create `objects` (a generator, so that a million rows never sit in memory at
    once) in batches; returns the new primary keys when `keep_ids`."""
    bar = ProgressBar(label, total)
    ids = []
    for chunk in chunks(objects):
        created = model.objects.bulk_create(chunk, batch_size=BATCH)
        if keep_ids:
            ids.extend(obj.pk for obj in created)
        bar.advance(len(chunk))
    bar.finish()
    return ids
