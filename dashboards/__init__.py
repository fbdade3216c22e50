"""Show: the pages over the built database, each defined once (dashboards/pages/, as PageViews:
dashboards/page.py, dashboards/page_view.py) and drawn by two faces: live widgets served by Voila
(dashboards/live/) and the static edition (dashboards/edition/)."""
