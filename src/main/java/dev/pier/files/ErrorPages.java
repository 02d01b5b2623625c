package dev.pier.files;

import dev.pier.http.HttpHeaders;
import dev.pier.http.HttpMethod;
import dev.pier.http.HttpRequest;
import dev.pier.http.HttpResponse;
import dev.pier.http.ResponseBody;
import java.util.HashMap;
import java.util.Map;
import lombok.extern.slf4j.Slf4j;

/**
 * The site's own pages for errors ({@code pier.error-pages}, e.g. {@code 404: /404.html}), served
 * with the error's status, the page's type and the error's other fields ({@code Allow} of a 405,
 * {@code Content-Range} of a 416, {@code Cache-Control: no-store}), zero-copy like any file. A page
 * is resolved through the {@link DocRoot} on each use, so it may change while Pier runs; a missing
 * one, or a client that asked for JSON, gets the built-in page of
 * {@link dev.pier.handler.ErrorResponses}. Every error leaves through here, so it also adds the
 * {@link CommonHeaders}.
 */
@Slf4j
public final class ErrorPages {

    private final DocRoot docRoot;
    private final Map<Integer, String> pages;
    private final CommonHeaders common;

    ErrorPages(DocRoot docRoot, Map<Integer, String> pages, CommonHeaders common) {
        this.docRoot = docRoot;
        this.pages = new HashMap<>(pages);
        this.common = common;
        this.pages.forEach((status, page) -> {
            if (!(docRoot.resolve(page) instanceof Resolution.Found)) {
                log.warn("The error page for {} ({}) is not a file of {}; the built-in page will be served until it is", status, page, docRoot.root());
            }
        });
    }

    /** The error as the site shows it: its own page for that status if there is one, else the built-in one. */
    HttpResponse respond(HttpResponse error, HttpRequest request) {
        String page = pages.get(error.status());
        HttpResponse answer = error;
        if (page != null) {
            HttpResponse custom = sitePage(docRoot, page, error, request);
            if (custom != null) {
                answer = custom;
            }
        }
        return common.addTo(answer, request);
    }

    /**
     * The error with the site's page at {@code page} as its body, or {@code null} when the client
     * asked for JSON or the page is not a readable file of the root: then the built-in page answers.
     */
    public static HttpResponse sitePage(DocRoot docRoot, String page, HttpResponse error, HttpRequest request) {
        if (request.acceptsJson() || !(docRoot.resolve(page) instanceof Resolution.Found found)) {
            return null;
        }
        HttpHeaders.Builder headers = error.headers().toBuilder()
                .set("Content-Type", MediaTypes.forFileName(found.file().getFileName().toString()));
        if (request.method() == HttpMethod.HEAD) {
            headers.set("Content-Length", Long.toString(found.attributes().size()));
            return new HttpResponse(error.status(), headers.build(), ResponseBody.EMPTY);
        }
        ResponseBody.FileRegion body = FileBodies.whole(found.file());
        return body == null ? null : new HttpResponse(error.status(), headers.build(), body);
    }
}
