"""The edition's face: the pages of dashboards/pages/ as static HTML (dashboards/edition/site.py,
templates/ and static/), written by `bestbits publish`. No widget code is imported here."""
