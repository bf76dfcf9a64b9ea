"""The MkDocs adapter: the plugin's events sequence the core; Material's template overrides."""
