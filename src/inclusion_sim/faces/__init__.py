"""Stage 7, the faces people use: the command line, the dashboard, plots and reports.

Each is a thin shell over the stages below it.
"""
