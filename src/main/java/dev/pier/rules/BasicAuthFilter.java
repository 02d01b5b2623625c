package dev.pier.rules;

import dev.pier.handler.ErrorResponses;
import dev.pier.handler.ExchangeFilter;
import dev.pier.handler.HttpExchange;
import dev.pier.http.HttpRequest;
import dev.pier.http.HttpResponse;
import dev.pier.http.PathPattern;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * HTTP Basic authentication (RFC 7617) per path pattern, with users from htpasswd files, as
 * nginx's {@code auth_basic} and {@code auth_basic_user_file} or Caddy's {@code basic_auth}. A
 * request whose path one of the {@link Area}s covers goes on only with an {@code Authorization:
 * Basic} field naming a user of that area's file and the right password; every other request,
 * whatever was wrong (no field, another scheme, bad Base64, no colon, unknown user, wrong
 * password), gets the same 401 with {@code WWW-Authenticate: Basic realm="…", charset="UTF-8"}.
 *
 * <p><b>Where the bcrypt check runs.</b> A filter runs on its handler's thread: the event loop for
 * static files and Actuator. The filter SPI cannot move a whole-response handler's exchange to a
 * worker, so the check runs there, and is kept short and rare instead: costs above
 * {@link Htpasswd#MAX_COST} are refused when the file is read (cost 10 is about 50 ms, the
 * default of {@code htpasswd -B}, 5, about 2 ms), and each success is remembered (SHA-256 of the
 * {@code Authorization} value with the file's version, at most {@value #MAX_REMEMBERED} of them,
 * forgotten all at once when full), so a browser that sends the same field with every request
 * costs one check per user and file version. A failed attempt costs one check each time.
 *
 * <p><b>No user enumeration.</b> User names are compared in constant time against every user of
 * the file, and an unknown user is checked against a hash of the file's highest cost all the same.
 * Neither the password nor the {@code Authorization} value is logged or kept: the cache holds
 * digests.
 *
 * <p>Paths are matched after percent-decoding and removing dot segments as the static files'
 * {@code DocRoot} does, and as sent, so {@code /public/../admin/} and {@code /%61dmin/} are
 * covered by {@code /admin/**}.
 */
public final class BasicAuthFilter implements ExchangeFilter {

    static final int MAX_REMEMBERED = 10_000;

    /**
     * Paths that need a user of one file.
     *
     * @param realm sent quoted in {@code WWW-Authenticate}; without double quotes, backslashes or control characters
     */
    public record Area(List<PathPattern> paths, String realm, HtpasswdFile users) {

        public Area {
            paths = List.copyOf(paths);
            if (!isValidRealm(realm)) {
                throw new IllegalArgumentException("Realm '" + realm + "' must be non-empty, without double quotes, backslashes or control characters");
            }
        }
    }

    private final List<Area> areas;
    private final List<PathSet> paths;
    private final List<String> challenges;
    private final BCryptPasswordEncoder bcrypt = new BCryptPasswordEncoder();
    /** SHA-256 of accepted Authorization values, per area, to the file version that accepted them; any thread. */
    private final List<Map<ByteBuffer, Long>> accepted;

    /** @param areas the first area covering a path decides it */
    public BasicAuthFilter(List<Area> areas) {
        this.areas = List.copyOf(areas);
        this.paths = this.areas.stream().map(area -> new PathSet(area.paths())).toList();
        this.challenges = this.areas.stream().map(area -> "Basic realm=\"" + area.realm() + "\", charset=\"UTF-8\"").toList();
        this.accepted = this.areas.stream().map(area -> (Map<ByteBuffer, Long>) new ConcurrentHashMap<ByteBuffer, Long>()).toList();
    }

    public static boolean isValidRealm(String realm) {
        if (realm == null || realm.isBlank()) {
            return false;
        }
        for (int i = 0; i < realm.length(); i++) {
            char c = realm.charAt(i);
            if (c == '"' || c == '\\' || c < 0x20 || c == 0x7f) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void filter(HttpExchange exchange, Chain chain) throws Exception {
        HttpRequest request = exchange.request();
        int area = PathSet.first(paths, request);
        if (area < 0 || isAuthorized(area, request.header("Authorization"))) {
            chain.proceed(exchange);
            return;
        }
        HttpResponse error = ErrorResponses.of(401, "This page needs a user name and password.", request);
        exchange.respond(error.withHeader("WWW-Authenticate", challenges.get(area)));
    }

    private boolean isAuthorized(int index, String authorization) {
        if (authorization == null) {
            return false;
        }
        HtpasswdFile.Version version = areas.get(index).users().current();
        Map<ByteBuffer, Long> remembered = accepted.get(index);
        ByteBuffer digest = ByteBuffer.wrap(sha256(authorization));
        Long acceptedBy = remembered.get(digest);
        if (acceptedBy != null && acceptedBy == version.number()) {
            return true;
        }
        String[] credentials = credentials(authorization);
        if (credentials == null) {
            return false;
        }
        String hash = version.users().hashOf(credentials[0]);
        // An unknown user costs one bcrypt check as well, so timing does not tell users apart.
        boolean matches = bcrypt.matches(credentials[1], hash == null ? version.dummyHash() : hash) && hash != null;
        if (matches) {
            if (remembered.size() >= MAX_REMEMBERED) {
                remembered.clear();
            }
            remembered.put(digest, version.number());
        }
        return matches;
    }

    /** User and password from {@code Basic <base64(user:password)>}, or {@code null} if it is not that. */
    static String[] credentials(String authorization) {
        String value = authorization.strip();
        if (value.length() < 6 || !value.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(value.substring(6).strip());
        } catch (IllegalArgumentException e) {
            return null;
        }
        String text = new String(decoded, StandardCharsets.UTF_8);
        int colon = text.indexOf(':');
        if (colon < 0) {
            return null;
        }
        return new String[] {text.substring(0, colon), text.substring(colon + 1)};
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JDK has SHA-256", e);
        }
    }
}
