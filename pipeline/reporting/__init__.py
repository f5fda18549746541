"""Reporting: records into tables (CSV, Markdown, LaTeX, provenance), figures and the summary page.

Tables and figures are generated files: :mod:`~pipeline.reporting.tables` reads each invariant's
spec for its columns, rows and caption; :mod:`~pipeline.reporting.plots` draws from the tables;
:mod:`~pipeline.reporting.summary` puts every table and figure on one HTML page.
"""
