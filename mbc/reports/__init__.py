"""Admin aggregates: completion, delivery health, outcomes, caseload, practice metrics, goals.

Every figure is computed in SQL (GROUP BY, window functions) over the filters in
``mbc.reports.filters``; Python only turns counts into shares and rows into tables.
"""
