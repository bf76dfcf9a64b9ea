"""Stage 5: the concept graph (NetworkX), its JSON, its layout and the vis-network view data."""
