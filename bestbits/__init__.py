"""bestbits-archive: the archived record of the Best Bits network, as a DuckDB database and dashboards.

The pipeline, one stage per folder:
scrapers/collect -> data/raw -> scrapers/parse -> bestbits/load -> queries/*.sql -> dashboards/
"""

__version__ = "0.1.0"
