package dev.pier.files;

/**
 * What the static files do with a trailing {@code /}: which of {@code /docs} and {@code /docs/}
 * is the page's address. Whether the client's URL ends with {@code /} is read from the target as
 * sent, so that a path rewritten on the way in ({@code dev.pier.rules}) is never revealed by a
 * redirect, and a redirect always names a URL the client can ask for again.
 */
public enum TrailingSlash {

    /**
     * A folder asked for without its {@code /} gets 301 to the path with it, so relative links in
     * its page resolve; a file asked for with one is served all the same. Pier's behaviour before
     * the policy existed, and nginx's.
     */
    ADD,

    /**
     * Any path but {@code /} asked for with a trailing {@code /} gets 301 to the path without it,
     * whatever it names (what exists there is decided on the next request, which rewrites and
     * try-files see as any other); a folder's {@code index.html} is served at the path without
     * {@code /}. A folder listing keeps its {@code /}, as its links are relative.
     */
    REMOVE,

    /** No redirect at all: what the path resolves to is served, a folder's index at either address. */
    LEAVE
}
