package dev.pier.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import dev.pier.http.HttpException;
import dev.pier.http.HttpHeaders;
import dev.pier.http.HttpMethod;
import dev.pier.http.HttpRequest;
import dev.pier.http.HttpVersion;
import dev.pier.http.RequestTarget;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouteTableTest {

    private static final RouteHandler OK = request -> Response.noContent();

    @Test
    void whenTwoRoutesOfOneMethodMatchTheSamePathsThenTheTableIsRefusedNamingBoth() {
        Routes routes = Routes.builder().get("/orders/{id}", OK).get("/orders/{orderId}", OK).build();

        assertThatIllegalStateException().isThrownBy(() -> new RouteTable(routes.routes()))
                .withMessage("Routes GET /orders/{id} and GET /orders/{orderId} match the same requests; keep one");
    }

    @Test
    void whenTheMostSpecificPathLacksTheMethodThenALessSpecificOneThatHasItAnswers() {
        Routes routes = Routes.builder().get("/files/readme", OK).post("/files/{name}", OK).build();
        RouteTable table = new RouteTable(routes.routes());
        Map<String, String> variables = new HashMap<>();

        assertThat(table.find(request(HttpMethod.POST, "/files/readme"), variables)).hasToString("POST /files/{name}");
        assertThat(variables).containsEntry("name", "readme");
        assertThat(table.find(request(HttpMethod.GET, "/files/readme"), variables)).hasToString("GET /files/readme");
        assertThat(table.find(request(HttpMethod.HEAD, "/files/readme"), variables)).as("HEAD by the GET route").hasToString("GET /files/readme");
        assertThat(table.find(request(HttpMethod.DELETE, "/files/readme"), variables)).isNull();
        assertThat(table.allowed("/files/readme")).isEqualTo("GET, HEAD, OPTIONS, POST");
        assertThat(table.template("/files/readme")).isEqualTo("/files/readme");
        assertThat(table.template("/files/other")).isEqualTo("/files/{name}");
    }

    @Test
    void whenRoutesDifferByPredicateThenTheFirstThatHoldsAnswersAndTheOneWithoutTakesTheRest() {
        Routes routes = Routes.builder()
                .post("/orders", OK)
                .post("/orders", RoutePredicate.contentType("application/json"), OK)
                .post("/orders", RoutePredicate.contentType("text/csv"), OK)
                .build();
        RouteTable table = new RouteTable(routes.routes());
        Map<String, String> variables = new HashMap<>();

        assertThat(table.find(request(HttpMethod.POST, "/orders", "Content-Type", "Application/JSON; charset=utf-8"), variables))
                .hasToString("POST /orders (a body of type application/json)");
        assertThat(table.find(request(HttpMethod.POST, "/orders", "Content-Type", "text/csv"), variables)).hasToString("POST /orders (a body of type text/csv)");
        assertThat(table.find(request(HttpMethod.POST, "/orders", "Content-Type", "text/plain"), variables)).hasToString("POST /orders");
    }

    @Test
    void whenEveryRouteOfThePathAndMethodRefusesThenTheLastRefusalIsTheAnswer() {
        Routes routes = Routes.builder()
                .post("/orders", RoutePredicate.contentType("application/json"), OK)
                .get("/report", RoutePredicate.accept("text/csv", "application/json"), OK)
                .get("/v2", RoutePredicate.header("X-Api-Version", "2"), OK)
                .build();
        RouteTable table = new RouteTable(routes.routes());
        Map<String, String> variables = new HashMap<>();

        assertThatExceptionOfType(HttpException.class).isThrownBy(() -> table.find(request(HttpMethod.POST, "/orders", "Content-Type", "text/plain"), variables))
                .satisfies(e -> assertThat(e.status()).isEqualTo(415)).withMessage("This route needs a body of type application/json");
        assertThatExceptionOfType(HttpException.class).isThrownBy(() -> table.find(request(HttpMethod.GET, "/report", "Accept", "text/html, text/csv;q=0"), variables))
                .satisfies(e -> assertThat(e.status()).isEqualTo(406));
        assertThat(table.find(request(HttpMethod.GET, "/report", "Accept", "text/html, text/*;q=0.5"), variables)).isNotNull();
        assertThat(table.find(request(HttpMethod.GET, "/report"), variables)).as("no Accept takes anything").isNotNull();
        assertThatExceptionOfType(HttpException.class).isThrownBy(() -> table.find(request(HttpMethod.GET, "/v2", "X-Api-Version", "1"), variables))
                .satisfies(e -> assertThat(e.status()).isEqualTo(404));
        assertThat(table.find(request(HttpMethod.DELETE, "/orders"), variables)).as("no route of the method: a 405 for the router").isNull();
    }

    @Test
    void whenFiltersAreDeclaredThenEachRouteHasTheEnclosingOnesOutermost() {
        RouteFilter outer = (request, next) -> next.next(request);
        RouteFilter inner = (request, next) -> next.next(request);
        Routes routes = Routes.builder().filter(outer).get("/a", OK).group("/g", g -> g.filter(inner).get("/b", OK)).build();

        assertThat(routes.routes().get(0).filters()).containsExactly(outer);
        assertThat(routes.routes().get(1).filters()).containsExactly(outer, inner);
    }

    @Test
    void whenGroupsNestThenPrefixesJoinAndErrorHandlersGoInnermostFirst() {
        Routes routes = Routes.builder()
                .onError(RuntimeException.class, (e, request) -> Response.status(500))
                .group("/api", api -> api
                        .onError(IllegalStateException.class, (e, request) -> Response.status(409))
                        .group("/v1", v1 -> v1.onEventLoop().get("/ping", OK)))
                .build();

        Route ping = routes.routes().get(0);
        assertThat(ping).hasToString("GET /api/v1/ping");
        assertThat(ping.blocking()).isFalse();
        assertThat(ping.errorHandlers().stream().map(onError -> (Object) onError.type()).toList()).containsExactly(IllegalStateException.class, RuntimeException.class);
    }

    private static HttpRequest request(HttpMethod method, String path, String... headers) {
        HttpHeaders.Builder fields = HttpHeaders.builder();
        for (int i = 0; i < headers.length; i += 2) {
            fields.add(headers[i], headers[i + 1]);
        }
        return new HttpRequest(method, new RequestTarget(path, path, null, path), HttpVersion.HTTP_1_1, fields.build(), null);
    }
}
