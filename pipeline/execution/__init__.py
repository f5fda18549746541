"""Execution: running one invariant on one architecture as a job, and its record.

:mod:`~pipeline.execution.runner` runs a job in a contained child process under its time budget
and always returns a record; :mod:`~pipeline.execution.records` makes, validates, writes and
reads records (one JSON file per architecture and invariant); :mod:`~pipeline.execution.config`
checks a sweep configuration and expands it into jobs with their effective settings;
:mod:`~pipeline.execution.batch` computes dimensions over grids and the minimal-filling search;
:mod:`~pipeline.execution.logs` sends the progress lines of every module where the entry point
(the command line, a Snakemake job) wants them.
"""
