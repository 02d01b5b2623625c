package dev.pier.handler;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * One event of a {@code text/event-stream} (the HTML Standard's server-sent events): an optional
 * {@code id}, {@code event} name and {@code retry} delay, and data, which may span lines: each
 * becomes a {@code data:} line, as the format asks, whatever its line ends ({@code \r\n},
 * {@code \n} or {@code \r}).
 *
 * @param id the event's id, sent back by the browser as {@code Last-Event-ID} when it reconnects; none when null
 * @param event the event's type, for {@code addEventListener}; {@code message} when null
 * @param data the payload; none when null
 * @param retry how long the browser waits before reconnecting; unchanged when null
 */
public record ServerSentEvent(String id, String event, String data, Duration retry) {

    public ServerSentEvent {
        if (id != null && (id.indexOf('\n') >= 0 || id.indexOf('\r') >= 0 || id.indexOf('\0') >= 0)) {
            throw new IllegalArgumentException("An event id cannot hold a line end or NUL");
        }
        if (event != null && (event.indexOf('\n') >= 0 || event.indexOf('\r') >= 0)) {
            throw new IllegalArgumentException("An event name cannot hold a line end");
        }
        if (retry != null && retry.isNegative()) {
            throw new IllegalArgumentException("A retry delay cannot be negative");
        }
    }

    /** An unnamed event of this data. */
    public static ServerSentEvent data(String data) {
        return new ServerSentEvent(null, null, data, null);
    }

    public ServerSentEvent withId(String value) {
        return new ServerSentEvent(value, event, data, retry);
    }

    public ServerSentEvent withEvent(String value) {
        return new ServerSentEvent(id, value, data, retry);
    }

    public ServerSentEvent withRetry(Duration value) {
        return new ServerSentEvent(id, event, data, value);
    }

    /** The event as the stream carries it, ending in the empty line that dispatches it. */
    public ByteBuffer encode() {
        StringBuilder text = new StringBuilder(32 + (data == null ? 0 : data.length()));
        if (id != null) {
            text.append("id: ").append(id).append('\n');
        }
        if (event != null) {
            text.append("event: ").append(event).append('\n');
        }
        if (retry != null) {
            text.append("retry: ").append(retry.toMillis()).append('\n');
        }
        if (data != null) {
            int start = 0;
            for (int i = 0; i <= data.length(); i++) {
                char c = i < data.length() ? data.charAt(i) : '\n';
                if (c == '\n' || c == '\r') {
                    text.append("data: ").append(data, start, i).append('\n');
                    if (c == '\r' && i + 1 < data.length() && data.charAt(i + 1) == '\n') {
                        i++;
                    }
                    start = i + 1;
                }
            }
        }
        return ByteBuffer.wrap(text.append('\n').toString().getBytes(StandardCharsets.UTF_8));
    }

    /** A comment line, which browsers ignore: what keeps an idle stream's connection from timing out in proxies. */
    static ByteBuffer comment(String text) {
        return ByteBuffer.wrap((":" + text.replace('\n', ' ').replace('\r', ' ') + "\n\n").getBytes(StandardCharsets.UTF_8));
    }
}
