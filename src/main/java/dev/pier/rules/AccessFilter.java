package dev.pier.rules;

import dev.pier.handler.AddressRange;
import dev.pier.handler.ErrorResponses;
import dev.pier.handler.ExchangeFilter;
import dev.pier.handler.HttpExchange;
import dev.pier.http.PathPattern;
import java.net.InetAddress;
import java.util.List;

/**
 * Allows or refuses (403) requests by the client's address ({@link HttpExchange#clientAddress()})
 * per path pattern, as nginx's {@code allow} and {@code deny}. The first {@link Rule} whose paths
 * cover the request decides, and no later one is consulted. Within it:
 * <ol>
 * <li>of the ranges in {@code allow} and {@code deny} that contain the address, the most specific
 *     (longest prefix) decides; at equal prefixes {@code deny} wins;</li>
 * <li>no range contains it: refused if the rule has an {@code allow} list (only those), allowed
 *     if it has only {@code deny}.</li>
 * </ol>
 * nginx goes by the first matching directive in the order written instead; its configurations put
 * the narrow exception before the wide range ({@code allow 10.1.1.1; deny 10.0.0.0/8;}), and for
 * those the longest prefix gives the same answer without depending on the order of two lists.
 */
public final class AccessFilter implements ExchangeFilter {

    /** Paths and the ranges that may, or may not, reach them; {@code allow} or {@code deny} may be empty, not both. */
    public record Rule(List<PathPattern> paths, List<AddressRange> allow, List<AddressRange> deny) {

        public Rule {
            paths = List.copyOf(paths);
            allow = List.copyOf(allow);
            deny = List.copyOf(deny);
            if (paths.isEmpty() || (allow.isEmpty() && deny.isEmpty())) {
                throw new IllegalArgumentException("An access rule needs paths and an allow or deny list");
            }
        }

        boolean allows(InetAddress client) {
            int allowed = longestPrefix(allow, client);
            int denied = longestPrefix(deny, client);
            if (allowed < 0 && denied < 0) {
                return allow.isEmpty();
            }
            return allowed > denied;
        }

        private static int longestPrefix(List<AddressRange> ranges, InetAddress address) {
            int longest = -1;
            for (AddressRange range : ranges) {
                if (range.prefix() > longest && range.contains(address)) {
                    longest = range.prefix();
                }
            }
            return longest;
        }
    }

    private final List<Rule> rules;
    private final List<PathSet> paths;

    public AccessFilter(List<Rule> rules) {
        this.rules = List.copyOf(rules);
        this.paths = this.rules.stream().map(rule -> new PathSet(rule.paths())).toList();
    }

    @Override
    public void filter(HttpExchange exchange, Chain chain) throws Exception {
        int rule = PathSet.first(paths, exchange.request());
        if (rule >= 0 && !rules.get(rule).allows(exchange.clientAddress())) {
            exchange.respond(ErrorResponses.of(403, "Your address may not reach this page.", exchange.request()));
            return;
        }
        chain.proceed(exchange);
    }
}
