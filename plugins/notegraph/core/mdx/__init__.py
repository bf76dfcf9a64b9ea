"""Python-Markdown extensions for Obsidian's dialect (callouts, highlights, comments, math...)."""
