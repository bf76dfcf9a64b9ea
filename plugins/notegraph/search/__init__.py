"""Search: the Pagefind index of a built site."""
