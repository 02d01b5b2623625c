package dev.pier.config;

import java.nio.file.Path;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Basic auth under {@code pier.basic-auth}: path patterns that need a user of an htpasswd file, as
 * nginx's {@code auth_basic} and {@code auth_basic_user_file}. A record of its own beside
 * {@link PierProperties}, binding the same prefix; checked by {@link BasicAuthRules},
 * which says in one sentence what is wrong with an entry.
 *
 * @param basicAuth Path patterns that need a user name and password (HTTP Basic) from an htpasswd file made with
 *     htpasswd -B: each entry has paths (Ant-style patterns, e.g. /admin/**), realm (the name shown in the login
 *     prompt), htpasswd (the file, re-read when it changes) and allow-plain-http (default false: refused unless
 *     server.ssl.bundle is set); none when unset
 */
@ConfigurationProperties("pier")
public record BasicAuthProperties(List<BasicAuth> basicAuth) {

    public BasicAuthProperties {
        basicAuth = basicAuth == null ? List.of() : basicAuth;
    }

    /**
     * @param paths Ant-style path patterns that need a user, e.g. /admin/**
     * @param realm Name sent in WWW-Authenticate and shown by browsers in their login prompt; no double quotes,
     *     backslashes or control characters
     * @param htpasswd htpasswd file of users with bcrypt hashes (htpasswd -B), re-read when it changes
     * @param allowPlainHttp Whether this entry may be served over plain HTTP (passwords in clear text), e.g. behind a
     *     TLS-terminating proxy; without it, basic auth needs server.ssl.bundle
     */
    public record BasicAuth(List<String> paths, String realm, Path htpasswd, @DefaultValue("false") boolean allowPlainHttp) {
    }
}
