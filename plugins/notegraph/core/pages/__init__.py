"""Stage 6, the pages: the Markdown of every generated page (notes, topics, videos, tags,
folders, the A–Z index, the home page), written from the vault, its links, the site map and
the graph."""
