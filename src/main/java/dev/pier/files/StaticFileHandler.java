package dev.pier.files;

import dev.pier.handler.ErrorResponses;
import dev.pier.handler.HttpHandler;
import dev.pier.http.HttpDate;
import dev.pier.http.HttpMethod;
import dev.pier.http.HttpRequest;
import dev.pier.http.HttpResponse;
import dev.pier.http.ResponseBody;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import lombok.extern.slf4j.Slf4j;

/**
 * Serves the files of a {@link DocRoot} to GET and HEAD; the fallback that takes every request no
 * other handler accepted. A folder requested without its trailing slash is redirected to it, so
 * relative links in its page resolve, and answered with its {@code index.html}.
 *
 * <p>Runs on the event loop: resolving costs a few {@code stat} calls and opening a regular file
 * does not block, while the bytes themselves are sent later by the server, zero-copy.
 */
@Slf4j
public final class StaticFileHandler implements HttpHandler {

    private static final String INDEX = "index.html";
    private static final String ALLOWED_METHODS = "GET, HEAD";

    private final DocRoot docRoot;

    public StaticFileHandler(DocRoot docRoot) {
        this.docRoot = Objects.requireNonNull(docRoot, "docRoot");
    }

    /** Every request: this handler is the last one asked. */
    @Override
    public boolean accepts(HttpRequest request) {
        return true;
    }

    @Override
    public boolean isBlocking() {
        return false;
    }

    /** Bodies are never read: an upload waiting for 100 Continue gets its 405 (or other answer) instead. */
    @Override
    public boolean readsBody(HttpRequest head) {
        return false;
    }

    @Override
    public HttpResponse handle(HttpRequest request) {
        HttpMethod method = request.method();
        if (method != HttpMethod.GET && method != HttpMethod.HEAD) {
            return ErrorResponses.methodNotAllowed(ALLOWED_METHODS, request);
        }
        Resolution resolution = docRoot.resolve(request.path());
        if (resolution instanceof Resolution.Found found) {
            return serve(found, request);
        }
        if (resolution instanceof Resolution.Directory) {
            return request.rawPath().endsWith("/") ? serveIndex(request) : redirectToFolder(request);
        }
        if (resolution instanceof Resolution.BadRequest) {
            return ErrorResponses.of(400, "The path climbs above the site's root folder.", request);
        }
        return notFound(request);
    }

    private HttpResponse serveIndex(HttpRequest request) {
        // Resolved like any path, so an index.html that is a symlink out of the root stays unserved.
        Resolution index = docRoot.resolve(request.path() + "/" + INDEX);
        if (index instanceof Resolution.Found found) {
            return serve(found, request);
        }
        return ErrorResponses.of(404, "This folder has no index.html.", request);
    }

    /** Package-private so a test can delete the file between resolving and opening it. */
    static HttpResponse serve(Resolution.Found found, HttpRequest request) {
        BasicFileAttributes attributes = found.attributes();
        HttpResponse.Builder response = HttpResponse.status(200)
                .contentType(MediaTypes.forFileName(found.file().getFileName().toString()))
                .header("Last-Modified", HttpDate.format(Instant.ofEpochSecond(attributes.lastModifiedTime().to(TimeUnit.SECONDS))));
        if (request.method() == HttpMethod.HEAD) {
            // No body to measure, so the length is stated outright; the file need not be opened.
            return response.header("Content-Length", Long.toString(attributes.size())).build();
        }
        ResponseBody.FileRegion body = open(found.file());
        return body != null ? response.body(body).build() : notFound(request);
    }

    /** The whole file, or {@code null} if it vanished or became unreadable since it was resolved. */
    private static ResponseBody.FileRegion open(Path file) {
        FileChannel channel;
        try {
            // The resolved path holds no symlink; refusing one now defeats a swap since then.
            channel = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            log.debug("Could not open {} after resolving it", file, e);
            return null;
        }
        try {
            // The opened file's own size: had it been replaced since the stat, the stated length still matches what is sent.
            return new ResponseBody.FileRegion(channel, 0, channel.size());
        } catch (IOException e) {
            try {
                channel.close();
            } catch (IOException closing) {
                e.addSuppressed(closing);
            }
            log.debug("Could not read the size of {}", file, e);
            return null;
        }
    }

    /** 301 to the folder with its slash, keeping the query. */
    private static HttpResponse redirectToFolder(HttpRequest request) {
        String rawPath = request.rawPath();
        String query = request.query();
        // "//host/docs" would become a scheme-relative URL leading to another site: keep one leading slash.
        int start = 0;
        while (start + 1 < rawPath.length() && rawPath.charAt(start + 1) == '/') {
            start++;
        }
        StringBuilder location = new StringBuilder(rawPath.length() + 2 + (query == null ? 0 : query.length()))
                .append(rawPath, start, rawPath.length())
                .append('/');
        if (query != null) {
            location.append('?').append(query);
        }
        String target = location.toString();
        return HttpResponse.status(301).header("Location", target).body("Moved to " + target + "\n").build();
    }

    private static HttpResponse notFound(HttpRequest request) {
        return ErrorResponses.of(404, "Nothing is published at this path.", request);
    }
}
