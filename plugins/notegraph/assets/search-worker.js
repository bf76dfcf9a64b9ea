/* notegraph: Material's search box starts this as its worker when Pagefind answers the
 * search (search.js): it does nothing, so that no page loads Material's own worker and index. */
