/**
 * The rules nginx and Caddy operators write in a {@code server {}} block, as exchange filters over
 * the handler SPI: maintenance mode, response headers, redirects, basic auth and the like, each configured under {@code pier.*} and
 * checked at startup. No server, no Spring, but for spring-security-crypto's password hashes.
 */
package dev.pier.rules;
