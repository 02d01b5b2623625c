package dev.pier.config;

import dev.pier.http.PathPattern;
import dev.pier.rules.BasicAuthFilter;
import dev.pier.rules.Htpasswd;
import dev.pier.rules.HtpasswdFile;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Basic auth ({@code pier.basic-auth}) built into an exchange filter for {@link SiteAssembler},
 * present only when an entry is configured, so a server without it runs no filter. Each entry is
 * checked here, at startup and on each reload, with one sentence per mistake: no paths, a bad pattern, a
 * realm that cannot be quoted, a missing or refused htpasswd file, or plain HTTP without
 * {@code allow-plain-http}.
 */
final class BasicAuthRules {

    /** After the request id (so a 401 carries it) and redirects (nginx's rewrite phase comes before its access phase), before everything else. */
    static final int ORDER = RedirectRules.ORDER + 100;

    private BasicAuthRules() {
    }

    /**
     * The protected areas, or {@code null} when there are none.
     *
     * @param https whether the application's port speaks HTTPS
     */
    static BasicAuthFilter filter(BasicAuthProperties properties, boolean https) {
        if (properties.basicAuth().isEmpty()) {
            return null;
        }
        List<BasicAuthFilter.Area> areas = new ArrayList<>();
        List<BasicAuthProperties.BasicAuth> entries = properties.basicAuth();
        for (int i = 0; i < entries.size(); i++) {
            areas.add(area("pier.basic-auth[" + i + "].", entries.get(i), https));
        }
        return new BasicAuthFilter(areas);
    }

    static BasicAuthFilter.Area area(String prefix, BasicAuthProperties.BasicAuth entry, boolean https) {
        if (entry.paths() == null || entry.paths().isEmpty()) {
            throw new InvalidConfigurationPropertyValueException(prefix + "paths", null,
                    "Basic auth needs at least one path pattern to protect, such as /admin/**.");
        }
        List<PathPattern> patterns = new ArrayList<>();
        for (String path : entry.paths()) {
            try {
                patterns.add(PathPattern.compile(path));
            } catch (IllegalArgumentException e) {
                throw new InvalidConfigurationPropertyValueException(prefix + "paths", path, e.getMessage() + ".");
            }
        }
        if (!BasicAuthFilter.isValidRealm(entry.realm())) {
            throw new InvalidConfigurationPropertyValueException(prefix + "realm", entry.realm(),
                    "Basic auth needs a realm, the name browsers show in their login prompt, without double quotes, backslashes"
                            + " or control characters since it is sent quoted in WWW-Authenticate, such as Admin.");
        }
        if (entry.htpasswd() == null) {
            throw new InvalidConfigurationPropertyValueException(prefix + "htpasswd", null,
                    "Basic auth needs an htpasswd file of users, made with htpasswd -B -c <file> <user>.");
        }
        if (!https && !entry.allowPlainHttp()) {
            throw new InvalidConfigurationPropertyValueException(prefix + "allow-plain-http", false,
                    "Basic auth over plain HTTP sends passwords in clear text: name an SSL bundle in server.ssl.bundle,"
                            + " or set " + prefix + "allow-plain-http=true if a TLS proxy in front of Pier serves the clients.");
        }
        HtpasswdFile users;
        try {
            users = HtpasswdFile.load(entry.htpasswd());
        } catch (Htpasswd.InvalidHtpasswdException e) {
            throw new InvalidConfigurationPropertyValueException(prefix + "htpasswd", entry.htpasswd(), e.getMessage());
        }
        return new BasicAuthFilter.Area(patterns, entry.realm(), users);
    }
}
