"""Stages 4 and 6: the site map (where every page goes) and the pages' Markdown."""
