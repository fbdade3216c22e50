"""The raw store: what the collectors wrote under DATA_DIR/raw/, described once for its writers
(scrapers/collect) and its readers (bestbits/load). Never committed; a rebuild reads it again.

    DATA_DIR/raw/site/                           the website's captures: WARC files and their
                                                 index (warc_store.py)
    DATA_DIR/raw/list/<list>/<YYYY-Month>.txt.gz monthly pipermail text archives (or .txt)
    DATA_DIR/raw/list/<list>/imported/<file>     local mbox files (plain or gzipped)
    DATA_DIR/raw/list/<list>/html/<YYYY-Month>/  date.html and NNNNNN.html message pages, where
                                                 only HTML was archived
    DATA_DIR/raw/list/<list>/sources.json        file -> the address a person can open to check it
    DATA_DIR/raw/list/wayback/                   list files fetched through a web archive, as
                                                 captures (warc_store.py); provenance only
    (list_store.py says which files of the list's folders are inputs.)
"""
