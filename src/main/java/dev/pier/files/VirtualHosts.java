package dev.pier.files;

import dev.pier.handler.ErrorResponses;
import dev.pier.handler.HttpHandler;
import dev.pier.http.HostSelector;
import dev.pier.http.HttpRequest;
import dev.pier.http.HttpResponse;
import java.util.Objects;

/**
 * Static files per virtual host: the request's {@code Host} field ({@code :authority} in HTTP/2,
 * which Pier carries as {@code host}) picks one {@link StaticFileHandler} through a
 * {@link HostSelector}, each over its own {@link DocRoot}, so a path never resolves in another
 * host's root. A request for no configured name goes to the default handler, or gets an error
 * status: 421 Misdirected Request (RFC 9110 §15.5.20) or 404. Like the handler it stands for, it
 * takes every request, never blocks and never reads a body; selecting costs a map look-up per
 * request (and one per label of the name when wildcards are configured).
 */
public final class VirtualHosts implements HttpHandler {

    private final HostSelector<StaticFileHandler> hosts;
    private final StaticFileHandler unknownHosts;
    private final int unknownHostStatus;

    /**
     * @param hosts the handler of each configured name
     * @param unknownHosts what serves a request for no configured name, or {@code null} to answer
     *     it with {@code unknownHostStatus}
     * @param unknownHostStatus 421 or 404; ignored when {@code unknownHosts} is set
     */
    public VirtualHosts(HostSelector<StaticFileHandler> hosts, StaticFileHandler unknownHosts, int unknownHostStatus) {
        if (unknownHosts == null && unknownHostStatus != 421 && unknownHostStatus != 404) {
            throw new IllegalArgumentException("An unknown host is answered with 421 or 404, not " + unknownHostStatus);
        }
        this.hosts = Objects.requireNonNull(hosts, "hosts");
        this.unknownHosts = unknownHosts;
        this.unknownHostStatus = unknownHostStatus;
    }

    /** Every request: this handler is the last one asked, as static files are. */
    @Override
    public boolean accepts(HttpRequest request) {
        return true;
    }

    @Override
    public boolean isBlocking() {
        return false;
    }

    @Override
    public boolean readsBody(HttpRequest head) {
        return false;
    }

    @Override
    public HttpResponse handle(HttpRequest request) {
        StaticFileHandler files = handlerFor(request);
        if (files == null) {
            return ErrorResponses.of(unknownHostStatus, "This server does not serve the site named in the request.", request);
        }
        return files.handle(request);
    }

    @Override
    public String uriTemplate(HttpRequest request, int status) {
        StaticFileHandler files = handlerFor(request);
        return files == null ? HttpHandler.super.uriTemplate(request, status) : files.uriTemplate(request, status);
    }

    /** The handler of the request's host, or {@code null} when the request gets the unknown-host status. */
    private StaticFileHandler handlerFor(HttpRequest request) {
        StaticFileHandler files = hosts.select(request.header("host"));
        return files != null ? files : unknownHosts;
    }

    @Override
    public String toString() {
        return "VirtualHosts[" + hosts + ", unknown hosts " + (unknownHosts != null ? "served by the default root" : "get " + unknownHostStatus) + "]";
    }
}
