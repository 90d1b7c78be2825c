"""Steering: coverage, money, activity and reporting discipline, national and per département.

Each part of a steering page is computed by one module (``coverage``, ``money``,
``activity``, ``discipline``) as ``Table`` and ``Chart`` objects (``figures``);
the page, the PDF and the XLSX of the annual report render those same objects,
so their figures cannot differ. Every figure is read from the database in a fixed
number of queries whatever the number of posts (the benchmark times the pages).
"""
