"""Stage 2, linking: `Vault` → `Links` (what each wikilink resolves to, backlinks, mentions,
the sentence around each link, moments)."""
