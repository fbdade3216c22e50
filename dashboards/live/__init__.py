"""The live face: the pages of dashboards/pages/ drawn as ipywidgets in one kernel per visit,
served by Voila (the notebook dashboards/bestbits.ipynb calls dashboards.live.app)."""
