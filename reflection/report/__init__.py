"""The network report (DESIGN.md §8): aggregates of the whole network, small numbers suppressed.

structure.py   the plain data a report is made of (the contract between building and rendering)
suppression.py primary and secondary small-number suppression
indicators.py  `build_report()`: every indicator, computed in the database
render.py      HTML, PDF (WeasyPrint) and CSV from a built report
"""
