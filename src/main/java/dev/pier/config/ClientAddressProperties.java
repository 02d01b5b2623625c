package dev.pier.config;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The proxies whose forwarded client address Pier believes, under {@code pier.trusted-proxies}, as
 * nginx's {@code set_real_ip_from} with {@code real_ip_recursive on}. Checked by
 * {@link ClientAccessRules}.
 *
 * @param trustedProxies Addresses or CIDR blocks (IPv4 and IPv6, e.g. 10.0.0.0/8, ::1/128) of proxies whose Forwarded or
 *     X-Forwarded-For field gives the client's address for access rules, rate limits and the access log; from any other
 *     peer those fields are ignored; none when unset
 */
@ConfigurationProperties("pier")
public record ClientAddressProperties(List<String> trustedProxies) {

    public ClientAddressProperties {
        trustedProxies = trustedProxies == null ? List.of() : trustedProxies;
    }
}
