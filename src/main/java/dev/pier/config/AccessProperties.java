package dev.pier.config;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Allow and deny lists of client addresses per path pattern, under {@code pier.access}, as nginx's
 * {@code allow} and {@code deny}. Checked by {@link ClientAccessRules}.
 *
 * @param access Client addresses that may or may not reach path patterns, answered 403 otherwise: each entry has paths
 *     (Ant-style patterns, e.g. /admin/**), allow and deny (addresses or CIDR blocks, or all); the first entry covering a
 *     path decides, within it the most specific block; none when unset
 */
@ConfigurationProperties("pier")
public record AccessProperties(List<Access> access) {

    public AccessProperties {
        access = access == null ? List.of() : access;
    }

    /**
     * @param paths Ant-style path patterns the entry applies to, e.g. /admin/**
     * @param allow Addresses or CIDR blocks that may reach the paths (all for every address); with an allow list, any other
     *     address is refused
     * @param deny Addresses or CIDR blocks refused with 403 (all for every address); a more specific allow block wins
     */
    public record Access(List<String> paths, List<String> allow, List<String> deny) {

        public Access {
            allow = allow == null ? List.of() : allow;
            deny = deny == null ? List.of() : deny;
        }
    }
}
