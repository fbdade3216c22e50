"""Show: Plotly figures and ipywidgets pages over the built database, served by Voila."""
