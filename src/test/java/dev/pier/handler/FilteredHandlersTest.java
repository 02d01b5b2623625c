package dev.pier.handler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import dev.pier.http.HttpException;
import dev.pier.http.HttpMethod;
import dev.pier.http.HttpRequest;
import dev.pier.http.HttpResponse;
import dev.pier.http.RequestTarget;
import dev.pier.http.HttpHeaders;
import dev.pier.http.HttpVersion;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FilteredHandlersTest {

    private final List<String> calls = new ArrayList<>();

    @Test
    void whenThereAreNoFiltersThenTheHandlerIsServedAsItIs() {
        HttpHandler handler = answering(request -> HttpResponse.status(200).build());

        assertThat(FilteredHandlers.wrap(handler, List.of())).isSameAs(handler);
    }

    @Test
    void whenFiltersWrapAWholeResponseHandlerThenTheFirstIsOutermostAndEachSeesTheAnswer() throws Exception {
        HttpHandler handler = answering(request -> {
            calls.add("handler");
            return HttpResponse.status(200).body("hi").build();
        });

        HttpResponse response = FilteredHandlers.wrap(handler, List.of(marking("outer"), marking("inner"))).handle(get());

        assertThat(calls).containsExactly("outer in", "inner in", "handler", "inner out", "outer out");
        assertThat(response.headers().all("X-Seen")).containsExactly("inner", "outer");
    }

    @Test
    void whenTheHandlerRefusesWithAStatusThenTheFiltersStillSeeThatAnswer() throws Exception {
        HttpHandler handler = answering(request -> {
            throw new HttpException(404, "Nothing here");
        });

        HttpResponse response = FilteredHandlers.wrap(handler, List.of(marking("only"))).handle(get());

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.headers().first("X-Seen")).isEqualTo("only");
    }

    @Test
    void whenAFilterNeitherAnswersNorGoesOnThenTheServerHearsOfItAsAFailure() {
        HttpHandler filtered = FilteredHandlers.wrap(answering(request -> HttpResponse.status(200).build()), List.of((exchange, chain) -> { }));

        assertThatIllegalStateException().isThrownBy(() -> filtered.handle(get())).withMessageContaining("neither answered nor went on");
    }

    @Test
    void whenAStreamingHandlerIsWrappedThenItStaysStreamingAndKeepsWhatTheServerAsksBeforeRunningIt() {
        StreamingHandler streaming = new StreamingHandler() {
            @Override
            public boolean accepts(HttpRequest request) {
                return request.path().startsWith("/s");
            }

            @Override
            public boolean isBlocking() {
                return false;
            }

            @Override
            public long bodyLimit(HttpRequest head) {
                return 42;
            }

            @Override
            public void handle(HttpExchange exchange) {
                exchange.respond(HttpResponse.status(204).build());
            }
        };

        HttpHandler filtered = FilteredHandlers.wrap(streaming, List.of(marking("f")));

        assertThat(filtered).isInstanceOf(StreamingHandler.class);
        assertThat(filtered.isBlocking()).isFalse();
        assertThat(filtered.accepts(get())).isFalse();
        assertThat(((StreamingHandler) filtered).bodyLimit(get())).isEqualTo(42);
    }

    private ExchangeFilter marking(String name) {
        return (exchange, chain) -> {
            calls.add(name + " in");
            chain.proceed(new ForwardingExchange(exchange) {
                @Override
                public void respond(HttpResponse response) {
                    calls.add(name + " out");
                    super.respond(new HttpResponse(response.status(), response.headers().toBuilder().add("X-Seen", name).build(), response.body()));
                }
            });
        };
    }

    private interface Answer {
        HttpResponse to(HttpRequest request) throws Exception;
    }

    private static HttpHandler answering(Answer answer) {
        return new HttpHandler() {
            @Override
            public boolean accepts(HttpRequest request) {
                return true;
            }

            @Override
            public HttpResponse handle(HttpRequest request) throws Exception {
                return answer.to(request);
            }
        };
    }

    private static HttpRequest get() {
        return new HttpRequest(HttpMethod.GET, new RequestTarget("/", "/", null, "/"), HttpVersion.HTTP_1_1, HttpHeaders.EMPTY, null);
    }
}
