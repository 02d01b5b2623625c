package dev.pier.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import dev.pier.config.PierAutoConfiguration;
import dev.pier.http.HttpException;
import dev.pier.route.Response;
import dev.pier.route.RouteFilter;
import dev.pier.route.RoutePredicate;
import dev.pier.route.Routes;
import java.net.URI;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/** Routes built in the test, run by the router without a socket: what a route's own unit test looks like. */
class RouteTesterTests {

    record Book(Long id, String title) {
    }

    private final RouteTester books = RouteTester.of(Routes.builder().group("/books", books -> books
            .get("/{id}", request -> {
                long id = request.pathVariable("id", Long.class);
                if (id == 0) {
                    throw new NoSuchElementException("No book 0");
                }
                return Response.ok(new Book(id, "Book " + id));
            })
            .post("", request -> {
                Book asked = request.body(Book.class);
                return Response.created(URI.create("/books/7"), new Book(7L, asked.title()));
            })
            .get("/{id}/teapot", request -> {
                throw new HttpException(418, "Not a teapot");
            })
            .onError(NoSuchElementException.class, (e, request) -> Response.problem(404, e.getMessage())))
            .build());

    @Test
    void whenAPathHasVariablesThenTheRouteGetsThemConverted() {
        assertThat(books.get("/books/42").exchange()).hasStatus(200).hasContentType("application/json")
                .bodyJson().isLenientlyEqualTo("{\"id\":42,\"title\":\"Book 42\"}");

        assertThat(books.get("/books/abc").exchange()).isProblem(400)
                .bodyJson().extractingPath("$.detail").isEqualTo("Path variable id is not a valid Long: abc");
    }

    @Test
    void whenAJsonBodyIsPostedThenItIsReadWithTheMapperAndAnsweredWith201() {
        TestResponse created = books.post("/books").json(new Book(null, "Dune")).exchange();

        assertThat(created).hasStatus(201).hasHeader("Location", "/books/7").bodyJson().extractingPath("$.title").isEqualTo("Dune");
        assertThat(created.body(Book.class)).isEqualTo(new Book(7L, "Dune"));
        assertThat(created).bodyJson().convertTo(Book.class).isEqualTo(new Book(7L, "Dune"));
    }

    @Test
    void whenTheJsonBodyIsMalformedOrNotJsonThenAProblemSaysWhat() {
        assertThat(books.post("/books").json("{\"title\":").exchange()).isProblem(400)
                .bodyJson().extractingPath("$.detail").asString().startsWith("The JSON body could not be read");

        assertThat(books.post("/books").body("title=Dune", "application/x-www-form-urlencoded").exchange()).isProblem(415);
        assertThat(books.post("/books").exchange()).isProblem(400);
    }

    @Test
    void whenRoutesDifferByContentTypeThenEachBodyFindsItsOwnAndAnyOtherGetsA415Problem() {
        RouteTester uploads = RouteTester.of(Routes.builder()
                .post("/imports", RoutePredicate.contentType("application/json"), request -> Response.ok("json"))
                .post("/imports", RoutePredicate.contentType("text/csv"), request -> Response.ok("csv"))
                .get("/imports", RoutePredicate.accept("application/json"), request -> Response.ok(List.of()))
                .build());

        assertThat(uploads.post("/imports").body("[]", "application/json").exchange()).hasStatus(200).hasBodyText("json");
        assertThat(uploads.post("/imports").body("a,b", "text/csv; charset=utf-8").exchange()).hasStatus(200).hasBodyText("csv");
        assertThat(uploads.post("/imports").body("<a/>", "application/xml").exchange()).isProblem(415)
                .bodyJson().extractingPath("$.detail").isEqualTo("This route needs a body of type text/csv");
        assertThat(uploads.get("/imports").header("Accept", "text/html").exchange()).isProblem(406);
        assertThat(uploads.get("/imports").header("Accept", "text/html, */*;q=0.1").exchange()).hasStatus(200);
    }

    @Test
    void whenARouteThrowsThenItsErrorHandlerOrTheExceptionsStatusAnswers() {
        assertThat(books.get("/books/0").exchange()).isProblem(404)
                .bodyJson().isLenientlyEqualTo("{\"title\":\"Not Found\",\"detail\":\"No book 0\",\"instance\":\"/books/0\"}");

        assertThat(books.get("/books/1/teapot").exchange()).isProblem(418);
    }

    @Test
    void whenFiltersWrapTheRoutesThenTheFirstIsOutermostAndTheGroupsIsInnermost() {
        Routes traced = Routes.builder().group("/traced", group -> group.filter(tagging("group")).get("", request -> Response.ok("traced"))).build();
        RouteTester tester = RouteTester.of(List.of(traced), List.of(tagging("outer"), tagging("inner")), JsonMapper.shared());

        TestResponse response = tester.get("/traced").exchange();

        assertThat(response).hasStatus(200).hasBodyText("traced").hasContentType("text/plain");
        assertThat(response.headers("X-Filter")).as("added on the way out, innermost first").containsExactly("group", "inner", "outer");
    }

    @Test
    void whenAFilterAnswersThenTheRouteDoesNotRun() {
        RouteFilter refusing = (request, next) -> request.header("Authorization") == null
                ? Response.problem(401, "Sign in first")
                : next.next(request);
        RouteTester tester = RouteTester.of(List.of(Routes.builder().get("/secret", request -> Response.ok("42")).build()), List.of(refusing),
                JsonMapper.shared());

        assertThat(tester.get("/secret").exchange()).isProblem(401);
        assertThat(tester.get("/secret").header("Authorization", "Bearer x").exchange()).hasStatus(200).hasBodyText("42");
    }

    @Test
    void whenHeadOptionsOrAnotherMethodComeThenTheRouterAnswersThemFromTheRoutes() {
        assertThat(books.head("/books/42").exchange()).hasStatus(200).hasContentType("application/json").hasEmptyBody();
        assertThat(books.options("/books").exchange()).hasStatus(204).hasHeader("Allow", "OPTIONS, POST");
        assertThat(books.delete("/books/42").exchange()).isProblem(405).hasHeader("Allow", "GET, HEAD, OPTIONS");
        assertThat(books.get("/authors").exchange()).hasStatus(404).doesNotHaveHeader("Allow").bodyText().contains("No route matches /authors");
    }

    @Test
    void whenTheResponseIsNotTheExpectedOneThenTheAssertionFailsShowingIt() {
        TestResponse response = books.get("/books/42").exchange();

        assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> assertThat(response).hasStatus(201))
                .withMessageContaining("Expected status 201 but was 200").withMessageContaining("\"title\":\"Book 42\"");
        assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> assertThat(response).hasHeader("Location", "/books/42"))
                .withMessageContaining("Expected header Location: /books/42 but there was none");
        assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> assertThat(response).hasContentType("text/html"))
                .withMessageContaining("Expected Content-Type text/html but it was application/json");
        assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> assertThat(response).isProblem(200))
                .withMessageContaining("application/problem+json");
        assertThatExceptionOfType(AssertionError.class)
                .isThrownBy(() -> assertThat(response).bodyJson().extractingPath("$.title").isEqualTo("Dune"));
    }

    @Test
    void whenTestingTheApplicationsRouterThenItsFilterBeansAndWorkersAnswer() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, PierAutoConfiguration.class))
                .withUserConfiguration(ThreadRoutes.class)
                .withPropertyValues("server.port=0", "pier.document-root=site", "pier.event-loops=1", "pier.worker-threads=1",
                        "pier.access-log.enabled=false", "pier.request-id.enabled=true")
                .run(context -> {
                    TestResponse response = RouteTester.from(context).get("/thread").header("X-Request-Id", "test-1").exchange();

                    assertThat(response).hasStatus(200).hasHeader("X-Request-Id", "test-1").bodyText().startsWith("pier-route-");
                });
    }

    private static RouteFilter tagging(String name) {
        return (request, next) -> next.next(request).header("X-Filter", name);
    }

    @Configuration(proxyBeanMethods = false)
    static class ThreadRoutes {

        @Bean
        Routes threadRoutes() {
            return Routes.builder().get("/thread", request -> Response.ok(Thread.currentThread().getName())).build();
        }
    }
}
