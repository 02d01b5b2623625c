package dev.pier.test;

import dev.pier.http.HttpHeaders;
import dev.pier.http.HttpMethod;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.function.Supplier;
import org.springframework.context.ApplicationContext;
import org.springframework.core.env.Environment;
import tools.jackson.databind.json.JsonMapper;

/**
 * Talks to the running application over a real socket, as its clients will, for tests that boot
 * it: every {@code @SpringBootTest} has one to {@code @Autowired}, as it has Boot's
 * {@code TestRestTemplate} in a servlet application.
 *
 * <pre>{@code
 * TestResponse created = client.post("/todos").json(new Todo(null, "Write docs", false)).exchange();
 * assertThat(created).hasStatus(201).bodyJson().extractingPath("$.title").isEqualTo("Write docs");
 * }</pre>
 *
 * Requests go through the JDK's {@code HttpClient} on HTTP/1.1 to {@code 127.0.0.1}, plain HTTP,
 * following no redirects, each given 30 seconds; fields the JDK client owns ({@code Host},
 * {@code Connection}, {@code Content-Length}, {@code Expect}) cannot be set.
 */
public final class PierTestClient implements TestRequests {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Supplier<String> base;
    private final JsonMapper json;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build();

    private PierTestClient(Supplier<String> base, JsonMapper json) {
        this.base = base;
        this.json = json;
    }

    /**
     * A client of this application's server, writing and reading JSON with its {@code JsonMapper}.
     * The port ({@code local.server.port}) is read at each request: the client exists before the
     * server has started, as a bean of the context that starts it.
     */
    public static PierTestClient from(ApplicationContext context) {
        Environment environment = context.getEnvironment();
        return new PierTestClient(() -> {
            String port = environment.getProperty("local.server.port");
            if (port == null) {
                throw new IllegalStateException("local.server.port is not set: Pier's server has not started in this context");
            }
            return "http://127.0.0.1:" + port;
        }, context.getBeanProvider(JsonMapper.class).getIfAvailable(JsonMapper::shared));
    }

    @Override
    public TestRequest method(HttpMethod method, String target) {
        return new TestRequest(method, target, json, this::send);
    }

    private TestResponse send(TestRequest.Written request) {
        HttpRequest.Builder sent = HttpRequest.newBuilder(URI.create(base.get() + request.target())).timeout(TIMEOUT)
                .method(request.method().name(), request.body().length == 0 ? BodyPublishers.noBody() : BodyPublishers.ofByteArray(request.body()));
        request.headers().forEach(sent::header);
        try {
            HttpResponse<byte[]> response = http.send(sent.build(), BodyHandlers.ofByteArray());
            HttpHeaders.Builder headers = HttpHeaders.builder();
            response.headers().map().forEach((name, values) -> values.forEach(value -> headers.add(name, value)));
            return new TestResponse(response.statusCode(), headers.build(), response.body(), json);
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.target() + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted waiting for " + request.method() + " " + request.target(), e);
        }
    }
}
