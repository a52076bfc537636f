"""What every job the portal records in a row shares (exports, large imports): handing it to
the broker without failing the request when the broker is down, and writing its progress to
the row at most twice a second."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

log = logging.getLogger(__name__)


def send(task, *args) -> bool:
    """Send `task(*args)`; False (logged) when the broker cannot be reached, so the caller keeps
    its row to send later or says why."""
    from kombu.exceptions import OperationalError

    try:
        task.apply_async(args, retry=False)
    except (OperationalError, OSError):
        log.warning("%s%s: the broker cannot be reached", task.name, args)
        return False
    return True


def every_half_second(write: Callable[..., None]) -> Callable[..., None]:
    """A progress callback (…, done, total) that passes its arguments to `write` at most every
    half second, and always for the last step."""
    last = 0.0

    def progress(*args) -> None:
        nonlocal last
        done, total = args[-2], args[-1]
        now = time.monotonic()
        if done < total and now - last < 0.5:
            return
        last = now
        write(*args)

    return progress
