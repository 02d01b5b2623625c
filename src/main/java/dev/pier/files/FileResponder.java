package dev.pier.files;

import dev.pier.handler.ErrorResponses;
import dev.pier.http.HttpHeaders;
import dev.pier.http.HttpMethod;
import dev.pier.http.HttpRequest;
import dev.pier.http.HttpResponse;
import dev.pier.http.ResponseBody;
import java.nio.channels.FileChannel;
import java.util.List;

/**
 * Answers GET and HEAD for one resolved file, in the order RFC 9110 prescribes:
 * <ol>
 * <li>choose the representation ({@link Representations}): with a {@code Range} field, always the
 *     file itself, so a range is a range of the bytes on disk with the validators a resuming client
 *     holds, and no 206 is ever compressed;</li>
 * <li>evaluate the preconditions against its validators ({@link Preconditions}): 304 or 412;</li>
 * <li>for GET with {@code Range} whose {@code If-Range} holds, cut the ranges ({@link ByteRanges}):
 *     206 with one region, 206 {@code multipart/byteranges}, or 416; an invalid or over-long
 *     range-set is ignored;</li>
 * <li>otherwise 200: the file or its sibling, from the {@link ContentCache} when small, else
 *     zero-copy from a channel the {@link OpenFiles} keep open; or its gzip form from the
 *     {@link CompressionCache}.</li>
 * </ol>
 * HEAD gets GET's fields and an explicit {@code Content-Length} without the file being opened
 * (except to learn a gzip form's length), and ignores {@code Range}, for which only GET is defined.
 */
final class FileResponder {

    private final Representations representations;
    private final CompressionCache compressionCache;
    private final ContentCache contentCache;
    private final OpenFiles openFiles;
    private final CacheControlRules cacheControl;
    private final int maxRanges;
    private final CommonHeaders common;
    private final ErrorPages errors;

    FileResponder(StaticFileSettings settings, CommonHeaders common, ErrorPages errors) {
        this.representations = new Representations(settings.compression());
        this.compressionCache = new CompressionCache(settings.compression().cacheSize());
        this.contentCache = new ContentCache(settings.fileCache().size(), settings.fileCache().maxFileSize());
        this.openFiles = new OpenFiles(settings.fileCache().openFiles(), settings.fileCache().revalidateAfter().toNanos(), System::nanoTime);
        this.cacheControl = settings.cacheControl();
        this.maxRanges = settings.maxRanges();
        this.common = common;
        this.errors = errors;
    }

    /**
     * @return the response, or {@code null} if the file changed or vanished between resolving and
     *     opening it: its bytes would not be the version the validators describe, so the caller
     *     resolves the path afresh
     */
    HttpResponse serve(Resolution.Found found, HttpRequest request) {
        return serve(found, request, true);
    }

    /** Compressed bytes held in memory now, for tests. */
    CompressionCache compressionCache() {
        return compressionCache;
    }

    FileCacheStats cacheStats() {
        return contentCache.stats(compressionCache.held(), openFiles.count());
    }

    /** @param mayEncode false to retry with the file itself after a coded form could not be read */
    private HttpResponse serve(Resolution.Found found, HttpRequest request, boolean mayEncode) {
        String contentType = contentType(found);
        String range = request.method() == HttpMethod.GET && maxRanges > 0 ? request.header("Range") : null;
        AcceptEncoding accept = range != null ? AcceptEncoding.IDENTITY_ONLY : AcceptEncoding.parse(request.header("Accept-Encoding"));
        Representation chosen = representations.select(found, contentType, accept, mayEncode);
        String vary = representations.variesByEncoding(found, contentType) ? "Accept-Encoding" : null;
        String caching = cacheControl.forFile(found.path(), contentType);

        switch (Preconditions.evaluate(request.method(), request.headers(), chosen.etag(), chosen.lastModified())) {
            case NOT_MODIFIED -> {
                // RFC 9110 §15.4.5: the fields a 200 would carry that caches update, and no representation metadata.
                HttpHeaders.Builder headers = validators(HttpHeaders.builder(), chosen, caching);
                common.addTo(headers, request, vary);
                return new HttpResponse(304, headers.build(), ResponseBody.EMPTY);
            }
            case PRECONDITION_FAILED -> {
                return errors.respond(ErrorResponses.of(412, "The file does not meet the request's preconditions.", request), request);
            }
            case PROCEED -> {
                // served below
            }
        }

        HttpHeaders.Builder headers = validators(HttpHeaders.builder().add("Content-Type", contentType), chosen, caching);
        if (chosen.coding() != ContentCoding.IDENTITY) {
            headers.add("Content-Encoding", chosen.coding().token());
        } else if (maxRanges > 0) {
            headers.add("Accept-Ranges", "bytes");
        }
        common.addTo(headers, request, vary);

        if (chosen.onTheFly()) {
            ResponseBody.Bytes gzip = compressionCache.gzip(chosen.file(), chosen.size(), chosen.modifiedNanos());
            // A HEAD gets the body too: the server sends only its length.
            return gzip != null ? new HttpResponse(200, headers.build(), gzip) : serve(found, request, false);
        }
        if (range != null && Preconditions.ifRangeAllows(request.header("If-Range"), chosen.etag(), chosen.lastModified())) {
            ByteRanges.Result ranges = ByteRanges.parse(range, chosen.size(), maxRanges);
            if (ranges instanceof ByteRanges.Unsatisfiable) {
                HttpResponse error = ErrorResponses.of(416, "The requested range lies outside the file.", request);
                HttpHeaders.Builder fields = error.headers().toBuilder().add("Content-Range", "bytes */" + chosen.size());
                return errors.respond(new HttpResponse(416, fields.build(), error.body()), request);
            }
            if (ranges instanceof ByteRanges.Satisfiable satisfiable) {
                return partial(chosen, contentType, satisfiable.ranges(), headers);
            }
        }
        if (request.method() == HttpMethod.HEAD) {
            // No body to measure, so the length is stated outright; the file need not be opened.
            return new HttpResponse(200, headers.set("Content-Length", Long.toString(chosen.size())).build(), ResponseBody.EMPTY);
        }
        ResponseBody body = contentCache.holds(chosen.size())
                ? contentCache.bytes(chosen.file(), chosen.size(), chosen.modifiedNanos())
                : openFiles.whole(chosen.file(), chosen.size(), chosen.modifiedNanos());
        if (body == null) {
            return mayEncode && chosen.coding() != ContentCoding.IDENTITY ? serve(found, request, false) : null;
        }
        return new HttpResponse(200, headers.build(), body);
    }

    /**
     * 206 with one region of the file, or with several as {@code multipart/byteranges}; {@code null}
     * if the file is no longer the version resolved.
     */
    private HttpResponse partial(Representation chosen, String contentType, List<ByteRange> ranges, HttpHeaders.Builder headers) {
        if (ranges.size() == 1) {
            ByteRange range = ranges.get(0);
            ResponseBody.FileRegion region = openFiles.region(chosen.file(), chosen.size(), chosen.modifiedNanos(), range.first(), range.length());
            if (region == null) {
                return null;
            }
            headers.add("Content-Range", range.contentRange(chosen.size()));
            return new HttpResponse(206, headers.build(), region);
        }
        FileChannel channel = FileBodies.openVersion(chosen.file(), chosen.size(), chosen.modifiedNanos());
        if (channel == null) {
            return null;
        }
        String boundary = MultipartByteranges.boundary();
        headers.set("Content-Type", MultipartByteranges.contentType(boundary));
        return new HttpResponse(206, headers.build(), MultipartByteranges.body(channel, ranges, chosen.size(), contentType, boundary));
    }

    private static HttpHeaders.Builder validators(HttpHeaders.Builder headers, Representation chosen, String caching) {
        headers.add("ETag", chosen.etag()).add("Last-Modified", chosen.lastModifiedText());
        if (caching != null) {
            headers.add("Cache-Control", caching);
        }
        return headers;
    }

    private static String contentType(Resolution.Found found) {
        Derived derived = found.derived();
        if (derived.contentType == null) {
            derived.contentType = MediaTypes.forFileName(found.file().getFileName().toString());
        }
        return derived.contentType;
    }
}
