package dev.pier.files;

import dev.pier.handler.ErrorResponses;
import dev.pier.handler.HttpHandler;
import dev.pier.handler.UriTemplates;
import dev.pier.http.HttpHeaders;
import dev.pier.http.HttpMethod;
import dev.pier.http.HttpRequest;
import dev.pier.http.HttpResponse;
import dev.pier.http.RequestTarget;
import dev.pier.http.ResponseBody;
import java.util.Arrays;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Serves the files of a {@link DocRoot}; the fallback that takes every request no other handler
 * accepted. The flow, each step in a class of its own:
 * <ul>
 * <li>{@code OPTIONS}: a CORS preflight ({@link CorsPolicy}), else 204 with {@code Allow}, without
 *     touching the file system; {@code OPTIONS *} lists the methods the server accepts;</li>
 * <li>methods other than GET and HEAD: 405;</li>
 * <li>under {@link TrailingSlash#REMOVE}, a path with a trailing slash: 301 without it;</li>
 * <li>the {@link TryFiles} candidates in order, the first that resolves answering:</li>
 * <li>a file: {@link FileResponder} (representation, preconditions, ranges, compression);</li>
 * <li>a folder: its {@link TrailingSlash} redirect, else its {@code index.html}, else its
 *     {@link DirectoryListing} if enabled, else 404;</li>
 * <li>nothing: the single-page-app fallback for paths that do not look like files, else the
 *     try-files status (404 unless configured);</li>
 * <li>every error through {@link ErrorPages}, every response with the {@link CommonHeaders}.</li>
 * </ul>
 *
 * <p>Runs on the event loop: resolving costs a few {@code stat} calls and opening a regular file
 * does not block, while the bytes themselves are sent later by the server, zero-copy. Work that
 * grows with input is bounded: ranges by {@code maxRanges}, gzip by its maximum size and cache,
 * listings by {@link DirectoryListing#MAX_ENTRIES}.
 */
public final class StaticFileHandler implements HttpHandler {

    /** What a file allows; the {@code Allow} of 405 and of {@code OPTIONS}. */
    static final String ALLOWED_METHODS = "GET, HEAD, OPTIONS";
    /** What {@code OPTIONS *} answers: every method the server parses and hands to handlers (CONNECT gets 501). */
    static final String SERVER_METHODS = Arrays.stream(HttpMethod.values())
            .filter(method -> method != HttpMethod.CONNECT)
            .map(HttpMethod::name)
            .collect(Collectors.joining(", "));

    private static final String INDEX = "index.html";
    /** Tries at a file replaced while it is being opened, before answering 503. */
    private static final int MAX_ATTEMPTS = 3;

    private final ResolvedPaths paths;
    private final TryFiles tryFiles;
    private final TrailingSlash trailingSlash;
    private final CorsPolicy cors;
    private final CommonHeaders common;
    private final ErrorPages errors;
    private final FileResponder files;
    private final DirectoryListing listing;

    /** With the defaults of {@link StaticFileSettings#DEFAULTS}. */
    public StaticFileHandler(DocRoot docRoot) {
        this(docRoot, StaticFileSettings.DEFAULTS);
    }

    public StaticFileHandler(DocRoot docRoot, StaticFileSettings settings) {
        Objects.requireNonNull(docRoot, "docRoot");
        this.paths = new ResolvedPaths(docRoot, settings.fileCache().paths(), settings.fileCache().revalidateAfter().toNanos());
        this.tryFiles = settings.effectiveTryFiles();
        this.trailingSlash = settings.trailingSlash();
        this.cors = settings.cors();
        this.common = new CommonHeaders(settings.securityHeaders(), settings.cors());
        this.errors = new ErrorPages(docRoot, settings.errorPages(), common);
        this.files = new FileResponder(settings, common, errors);
        this.listing = settings.directoryListing() ? new DirectoryListing(docRoot) : null;
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
        if (method == HttpMethod.OPTIONS) {
            return options(request);
        }
        if (method != HttpMethod.GET && method != HttpMethod.HEAD) {
            return errors.respond(ErrorResponses.methodNotAllowed(ALLOWED_METHODS, request), request);
        }
        RequestTarget sent = sentTarget(request);
        if (trailingSlash == TrailingSlash.REMOVE && endsWithSlash(sent) && !keepsItsSlash(request)) {
            return common.addTo(redirect(sent, withoutTrailingSlashes(sent.path())), request);
        }
        String path = request.path();
        for (TryFiles.Candidate candidate : tryFiles.candidates()) {
            String candidatePath = candidate.expand(path);
            Resolution resolution = paths.resolve(candidatePath);
            if (resolution instanceof Resolution.Found found) {
                return serve(candidatePath, found, request);
            }
            if (resolution instanceof Resolution.Directory directory && candidate.takesFolder()) {
                return directory(directory, request, sent);
            }
            if (resolution instanceof Resolution.BadRequest) {
                return errors.respond(ErrorResponses.of(400, "The path climbs above the site's root folder.", request), request);
            }
        }
        return missing(request);
    }

    /**
     * One series for the whole site, whatever the file: {@code STATIC}, or {@code root} for
     * {@code /}; a 404 is {@code NOT_FOUND} and the folder redirect {@code REDIRECTION}, as Spring
     * tags them, while a 304 stays {@code STATIC}: it is a file served from the client's cache.
     */
    @Override
    public String uriTemplate(HttpRequest request, int status) {
        if (status == 404 || status >= 300 && status < 400 && status != 304) {
            return UriTemplates.unmatched(status);
        }
        return request.rawPath().equals("/") ? UriTemplates.ROOT : UriTemplates.STATIC;
    }

    /**
     * The file's response; if it changed between resolving and opening, resolved afresh and tried
     * again, so that the bytes sent are always the version the validators describe. Package-private
     * so a test can change the file in between.
     */
    HttpResponse serve(String path, Resolution.Found found, HttpRequest request) {
        for (int attempt = 1; ; attempt++) {
            HttpResponse response = files.serve(found, request);
            if (response != null) {
                return response;
            }
            if (!(paths.refresh(path) instanceof Resolution.Found fresh)) {
                return notFound(request);
            }
            if (attempt == MAX_ATTEMPTS) {
                return errors.respond(ErrorResponses.of(503, "The file is being replaced; try again.", request).withHeader("Retry-After", "1"), request);
            }
            found = fresh;
        }
    }

    /** What is held in memory and how often it served, for metrics. */
    public FileCacheStats cacheStats() {
        return files.cacheStats();
    }

    /** Compressed bytes held in memory, for tests. */
    CompressionCache compressionCache() {
        return files.compressionCache();
    }

    private HttpResponse options(HttpRequest request) {
        if (request.rawPath().equals("*")) {
            return common.addSecurityHeaders(new HttpResponse(204, HttpHeaders.builder().add("Allow", SERVER_METHODS).build(), ResponseBody.EMPTY));
        }
        if (cors.isPreflight(request)) {
            return common.addSecurityHeaders(cors.preflight(request));
        }
        // Any path: what a file allows does not depend on whether it exists, so nothing is resolved.
        HttpHeaders.Builder headers = HttpHeaders.builder().add("Allow", ALLOWED_METHODS);
        common.addTo(headers, request, null);
        return new HttpResponse(204, headers.build(), ResponseBody.EMPTY);
    }

    private HttpResponse directory(Resolution.Directory directory, HttpRequest request, RequestTarget sent) {
        boolean slash = sent.path().endsWith("/");
        if (trailingSlash == TrailingSlash.ADD && !slash) {
            return common.addTo(redirect(sent, sent.path() + "/"), request);
        }
        // Resolved like any path, so an index.html that is a symlink out of the root stays unserved.
        String indexPath = request.path() + "/" + INDEX;
        if (paths.resolve(indexPath) instanceof Resolution.Found index) {
            return serve(indexPath, index, request);
        }
        if (listing != null) {
            // A listing's links are relative to the folder: under REMOVE too, it keeps its slash.
            if (trailingSlash == TrailingSlash.REMOVE && !slash) {
                return common.addTo(redirect(sent, sent.path() + "/"), request);
            }
            HttpResponse page = listing.render(directory, request);
            if (page != null) {
                HttpHeaders.Builder headers = page.headers().toBuilder();
                common.addTo(headers, request, "Accept");
                return new HttpResponse(200, headers.build(), page.body());
            }
        }
        return errors.respond(ErrorResponses.of(404, "This folder has no index.html.", request), request);
    }

    /**
     * Nothing found: the fallback page for what looks like an app's route, with {@code no-cache}
     * as it stands for many addresses; else the try-files status.
     */
    private HttpResponse missing(HttpRequest request) {
        String fallback = tryFiles.fallback();
        if (fallback != null && looksLikeARoute(request.path()) && paths.resolve(fallback) instanceof Resolution.Found page) {
            HttpResponse response = serve(fallback, page, request);
            if (response.status() >= 400) {
                return response;
            }
            return response.withHeader("Cache-Control", "no-cache");
        }
        int status = tryFiles.status();
        if (status == 404) {
            return notFound(request);
        }
        return errors.respond(ErrorResponses.of(status, "The site answers this path with " + status + ".", request), request);
    }

    private HttpResponse notFound(HttpRequest request) {
        return errors.respond(ErrorResponses.of(404, "Nothing is published at this path.", request), request);
    }

    /**
     * Under {@link TrailingSlash#REMOVE}, whether a path with a trailing slash is a folder whose
     * listing is its page: the one address that keeps its slash.
     */
    private boolean keepsItsSlash(HttpRequest request) {
        return listing != null && paths.resolve(request.path()) instanceof Resolution.Directory
                && !(paths.resolve(request.path() + "/" + INDEX) instanceof Resolution.Found);
    }

    /**
     * Whether a missing path is a route of a single-page app ({@code /users/42}) rather than a
     * missing file ({@code /app.js}, {@code /favicon.ico}): no dot in its last segment. A missing
     * script must stay a 404, or the browser would run the app's HTML as JavaScript.
     */
    static boolean looksLikeARoute(String path) {
        return path.indexOf('.', path.lastIndexOf('/') + 1) < 0;
    }

    /**
     * The target the client sent. A rewrite ({@code dev.pier.rules}) hands on a request whose path
     * and query are the rewritten ones but whose {@link RequestTarget#raw()} is still the target
     * as sent: a redirect must name the client's URL, never the internal path.
     */
    static RequestTarget sentTarget(HttpRequest request) {
        RequestTarget target = request.target();
        String raw = target.raw();
        String path = target.path();
        if (raw.startsWith(path) && (raw.length() == path.length() || raw.charAt(path.length()) == '?')) {
            return target;
        }
        RequestTarget sent = RequestTarget.parse(raw);
        return sent == null ? target : sent;
    }

    /** Whether the client's path ends with a slash, the root aside. */
    private static boolean endsWithSlash(RequestTarget sent) {
        return sent.path().endsWith("/") && !withoutTrailingSlashes(sent.path()).isEmpty();
    }

    private static String withoutTrailingSlashes(String rawPath) {
        int end = rawPath.length();
        while (end > 0 && rawPath.charAt(end - 1) == '/') {
            end--;
        }
        return rawPath.substring(0, end);
    }

    /** 301 to another spelling of the client's path, keeping its query. */
    private static HttpResponse redirect(RequestTarget sent, String rawPath) {
        String query = sent.query();
        // "//host/docs" would become a scheme-relative URL leading to another site: keep one leading slash.
        int start = 0;
        while (start + 1 < rawPath.length() && rawPath.charAt(start + 1) == '/') {
            start++;
        }
        StringBuilder location = new StringBuilder(rawPath.length() + 2 + (query == null ? 0 : query.length()))
                .append(rawPath, start, rawPath.length());
        if (query != null) {
            location.append('?').append(query);
        }
        String target = location.toString();
        return HttpResponse.status(301).header("Location", target).body("Moved to " + target + "\n").build();
    }
}
