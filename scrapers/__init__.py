"""Scrapers: collect archived material into data/raw/ (collect/), and turn it into rows (parse/)."""
