package dev.pier.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Virtual hosts under {@code pier.hosts}: several sites on one server, each its own document root,
 * picked by the request's host name as nginx's {@code server_name}. A record of its own beside
 * {@link PierProperties}, binding the same prefix; checked by {@link VirtualHostRules},
 * which says in one sentence what is wrong with an entry.
 *
 * @param hosts Sites picked by the request's Host (or HTTP/2 :authority): each entry has names (exact host names such
 *     as example.org, or wildcards such as *.example.org matching one or more labels before example.org; case, port and
 *     a trailing dot ignored; exact names win over wildcards, longer wildcards over shorter), document-root (required)
 *     and optionally its own try-files, fallback, error-pages and cache-control in place of the top-level ones; none
 *     when unset, and everything is served from pier.document-root
 * @param unknownHost What answers a request whose host is none of pier.hosts' names: default (the top-level
 *     pier.document-root and settings serve it), 421 (Misdirected Request) or 404; read only when pier.hosts is set
 */
@Validated
@ConfigurationProperties("pier")
public record HostsProperties(List<@Valid Host> hosts, @DefaultValue("default") String unknownHost) {

    public HostsProperties {
        hosts = hosts == null ? List.of() : List.copyOf(hosts);
    }

    /**
     * @param names Host names this site answers to: exact (example.org) or wildcards (*.example.org)
     * @param documentRoot Folder whose files this site serves, relative to the working directory unless absolute
     * @param tryFiles What a request path is looked up as, as pier.try-files, for this site; pier.try-files and
     *     pier.fallback when neither this nor fallback is set
     * @param fallback File of this site's root served for missing paths without an extension, as pier.fallback
     * @param errorPages Pages of this site's root per error status, as pier.error-pages; pier.error-pages when unset
     * @param cacheControl Cache-Control by path pattern for this site, as pier.cache-control; pier.cache-control when unset
     * @param sslBundle Name of the Spring Boot SSL bundle (spring.ssl.bundle.pem.<name> or jks.<name>) whose certificate
     *     this site's names get over HTTPS, chosen by the client's SNI; server.ssl.bundle's when unset. A request on a
     *     connection whose SNI chose another certificate is answered 421 (Misdirected Request)
     */
    public record Host(
            List<String> names,
            Path documentRoot,
            List<String> tryFiles,
            @Pattern(regexp = "/.*", message = "must be a path in the document root, starting with /") String fallback,
            Map<@Min(400) @Max(599) Integer, @NotBlank @Pattern(regexp = "/.*", message = "must be a path in the document root, starting with /") String> errorPages,
            Map<@AntPattern String, String> cacheControl,
            String sslBundle) {

        public Host {
            names = names == null ? List.of() : List.copyOf(names);
            tryFiles = tryFiles == null || tryFiles.isEmpty() ? null : List.copyOf(tryFiles);
            errorPages = errorPages == null ? null : Collections.unmodifiableMap(errorPages);
            cacheControl = cacheControl == null ? null : Collections.unmodifiableMap(cacheControl);
            sslBundle = sslBundle == null || sslBundle.isBlank() ? null : sslBundle.trim();
        }
    }
}
