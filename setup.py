"""Packaging glue that pyproject.toml cannot say: the checkout's queries/ and curated data/ stay
at the top of the repository, and a wheel carries them inside the package as
bestbits/_resources/{queries,data}/ (bestbits/config.py finds them there)."""

from setuptools import find_packages, setup

RESOURCES = {"bestbits._resources.queries": "queries", "bestbits._resources.data": "data"}

setup(
    packages=find_packages(include=["bestbits*", "scrapers*", "dashboards*"]) + list(RESOURCES),
    package_dir=RESOURCES,
)
