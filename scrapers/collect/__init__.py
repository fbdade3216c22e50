"""Collect: fetch archived pages and list files politely, and keep them as raw files under data/raw/."""
