# Voila settings that cannot be given on the command line (bestbits serve adds this folder to
# JUPYTER_CONFIG_PATH). The rest of the settings are the flags in bestbits/serve.py.
# ruff: noqa: F821  (`c` is the config object Jupyter passes to this file)

CELL_TIMEOUT_SECONDS = 60


def cell_timeout(cell):
    """Every cell gets the timeout except the one where a preheated kernel waits for a visitor:
    that wait lasts as long as the kernel sits in the pool, and timing it out breaks the kernel."""
    if "get_query_string()" in cell.source:
        return None
    return CELL_TIMEOUT_SECONDS


c.VoilaExecutor.timeout_func = cell_timeout

# Voila serves no file from dashboards/: the charts' plotly.js comes from the template's own
# static folder (dashboards/jupyter/voila/templates/bestbits/static/), read-only.
c.VoilaConfiguration.file_allowlist = []
