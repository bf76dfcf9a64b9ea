"""Stage 4, the site map: every page's path in the site's sources, and its title."""
