"""Batch runs over a whole catalog: locally with a progress bar, or on a Ray cluster.

A job is a list of batches and a `work` function for one batch; `run_local` and `run_on_ray`
yield finished batches, and the caller stores each in one transaction (so a crash costs at
most the batches in flight). Workers build their models once per process from the settings
they are sent (`borderless.wiring.Services` without a database): they never open the shop
database or run migrations.
"""

from borderless.jobs.copy import copy_work, write_copy
from borderless.jobs.localize import remembered, translate_fields, translation_work
from borderless.jobs.runner import Work, batched, run_local, run_on_ray

__all__ = [
    "Work",
    "batched",
    "copy_work",
    "remembered",
    "run_local",
    "run_on_ray",
    "translate_fields",
    "translation_work",
    "write_copy",
]
