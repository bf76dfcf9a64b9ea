"""Stage 1, reading: a folder of notes → `Vault` (frontmatter, links, tags, stamps, attachments)."""
