package dev.pier.observe;

import dev.pier.handler.TrustedProxies;
import dev.pier.http.HttpRequest;
import dev.pier.server.Exchange;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Writes one exchange as one access log line. Runs on the event loop for every request, so it
 * does no more than append to a reused {@link StringBuilder}: the timestamp is formatted once per
 * second and reused, no {@code String.format}, no regex. One instance per thread (it is not
 * thread-safe); {@link AccessLog} keeps one per event loop.
 */
final class AccessLogLine {

    private static final DateTimeFormatter CLF_TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT);
    private static final DateTimeFormatter ISO_SECOND = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private final TrustedProxies proxies;
    private final AccessLogFormat format;
    private final boolean responseTime;
    private final ZoneId zone;
    private final StringBuilder line = new StringBuilder(256);
    /** The second {@link #timeOfSecond} was formatted for. */
    private long second = Long.MIN_VALUE;
    private String timeOfSecond;

    /**
     * @param responseTime whether combined and common lines end with the response time in
     *     milliseconds (JSON lines always have it)
     * @param zone the time zone of combined and common timestamps, as {@code $time_local}; JSON's
     *     are UTC
     */
    AccessLogLine(AccessLogFormat format, boolean responseTime, ZoneId zone) {
        this(format, responseTime, zone, TrustedProxies.NONE);
    }

    /** @param proxies whose forwarded client address is written instead of theirs */
    AccessLogLine(AccessLogFormat format, boolean responseTime, ZoneId zone, TrustedProxies proxies) {
        this.proxies = proxies;
        this.format = format;
        this.responseTime = responseTime;
        this.zone = zone;
    }

    /** The line for an exchange that ended at {@code epochMillis}, without a line terminator. */
    String format(Exchange exchange, long epochMillis) {
        line.setLength(0);
        if (format == AccessLogFormat.JSON) {
            json(exchange, epochMillis);
        } else {
            ncsa(exchange, epochMillis);
        }
        return line.toString();
    }

    /**
     * {@code %h %l %u [%t] "%r" %>s %b}, then {@code "%{Referer}i" "%{User-Agent}i"} for combined;
     * the size is the body's bytes, as nginx's {@code $body_bytes_sent}, written {@code 0} rather than
     * Apache's {@code -} when there is none, as nginx does.
     */
    private void ncsa(Exchange exchange, long epochMillis) {
        HttpRequest request = exchange.request();
        appendClient(exchange);
        line.append(" - - [").append(clfTime(epochMillis)).append("] \"");
        if (request == null) {
            line.append('-');
        } else {
            line.append(request.method().name()).append(' ');
            appendEscaped(request.target().raw());
            line.append(' ').append(request.version().text());
        }
        line.append("\" ").append(exchange.status()).append(' ').append(exchange.bodyBytesSent());
        if (format == AccessLogFormat.COMBINED) {
            line.append(" \"");
            appendEscapedOrDash(request == null ? null : request.header("Referer"));
            line.append("\" \"");
            appendEscapedOrDash(request == null ? null : request.header("User-Agent"));
            line.append('"');
        }
        if (responseTime) {
            line.append(' ');
            appendMillis(exchange.durationNanos());
        }
    }

    private void json(Exchange exchange, long epochMillis) {
        HttpRequest request = exchange.request();
        line.append("{\"time\":\"").append(isoSecond(epochMillis));
        appendThreeDigits(epochMillis % 1000).append("Z\",\"remote\":\"");
        appendClient(exchange);
        line.append("\",\"method\":");
        jsonString(request == null ? null : request.method().name());
        line.append(",\"uri\":");
        jsonString(request == null ? null : request.target().raw());
        line.append(",\"protocol\":");
        jsonString(request == null ? null : request.version().text());
        line.append(",\"status\":").append(exchange.status())
                .append(",\"body_bytes_sent\":").append(exchange.bodyBytesSent())
                .append(",\"bytes_sent\":").append(exchange.bytesSent())
                .append(",\"response_time_ms\":");
        appendMillis(exchange.durationNanos());
        line.append(",\"referer\":");
        jsonString(request == null ? null : request.header("Referer"));
        line.append(",\"user_agent\":");
        jsonString(request == null ? null : request.header("User-Agent"));
        line.append(",\"route\":");
        jsonString(exchange.uriTemplate());
        line.append(",\"request_id\":");
        jsonString(exchange.responseHeaders().first(RequestIdFilter.HEADER));
        line.append(",\"completed\":").append(exchange.completed()).append('}');
    }

    /** The client's address, as the filters see it: the peer's, or what trusted proxies forwarded. */
    private void appendClient(Exchange exchange) {
        InetSocketAddress peer = exchange.remoteAddress();
        if (proxies.isEmpty() || exchange.request() == null || peer == null || peer.getAddress() == null) {
            appendHost(peer);
        } else {
            line.append(proxies.clientAddress(peer.getAddress(), exchange.request().headers()).getHostAddress());
        }
    }

    private void appendHost(InetSocketAddress remote) {
        if (remote == null) {
            line.append('-');
        } else if (remote.getAddress() != null) {
            line.append(remote.getAddress().getHostAddress());
        } else {
            line.append(remote.getHostString());
        }
    }

    /** Milliseconds with three decimals, e.g. {@code 0.412}. */
    private void appendMillis(long nanos) {
        long micros = Math.max(0, nanos) / 1000;
        line.append(micros / 1000).append('.');
        appendThreeDigits(micros % 1000);
    }

    private StringBuilder appendThreeDigits(long value) {
        if (value < 100) {
            line.append('0');
        }
        if (value < 10) {
            line.append('0');
        }
        return line.append(value);
    }

    private String clfTime(long epochMillis) {
        long epochSecond = Math.floorDiv(epochMillis, 1000);
        if (epochSecond != second) {
            second = epochSecond;
            timeOfSecond = CLF_TIME.format(ZonedDateTime.ofInstant(Instant.ofEpochSecond(epochSecond), zone));
        }
        return timeOfSecond;
    }

    /** {@code 2026-11-26T17:01:49.}: the milliseconds follow. */
    private String isoSecond(long epochMillis) {
        long epochSecond = Math.floorDiv(epochMillis, 1000);
        if (epochSecond != second) {
            second = epochSecond;
            timeOfSecond = ISO_SECOND.format(Instant.ofEpochSecond(epochSecond));
        }
        return timeOfSecond;
    }

    private void appendEscapedOrDash(String value) {
        if (value == null || value.isEmpty()) {
            line.append('-');
        } else {
            appendEscaped(value);
        }
    }

    /** As nginx escapes log variables: {@code "}, {@code \} and bytes outside printable ASCII become {@code \xHH}. */
    private void appendEscaped(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
                appendHexEscape(c);
            } else {
                line.append(c);
            }
        }
    }

    private void appendHexEscape(char c) {
        if (c > 0xff) {
            // Header values hold ISO-8859-1 characters; anything wider is escaped byte by byte as UTF-8.
            for (byte b : String.valueOf(c).getBytes(StandardCharsets.UTF_8)) {
                line.append("\\x").append(HEX[(b >> 4) & 0xf]).append(HEX[b & 0xf]);
            }
            return;
        }
        line.append("\\x").append(HEX[c >> 4]).append(HEX[c & 0xf]);
    }

    private void jsonString(String value) {
        if (value == null) {
            line.append("null");
            return;
        }
        line.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> line.append("\\\"");
                case '\\' -> line.append("\\\\");
                case '\n' -> line.append("\\n");
                case '\r' -> line.append("\\r");
                case '\t' -> line.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        line.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xf]);
                    } else {
                        line.append(c);
                    }
                }
            }
        }
        line.append('"');
    }
}
