package dev.pier.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import dev.pier.http.HttpMethod;
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

        assertThat(table.find(HttpMethod.POST, "/files/readme", variables)).hasToString("POST /files/{name}");
        assertThat(variables).containsEntry("name", "readme");
        assertThat(table.find(HttpMethod.GET, "/files/readme", variables)).hasToString("GET /files/readme");
        assertThat(table.find(HttpMethod.HEAD, "/files/readme", variables)).as("HEAD by the GET route").hasToString("GET /files/readme");
        assertThat(table.find(HttpMethod.DELETE, "/files/readme", variables)).isNull();
        assertThat(table.allowed("/files/readme")).isEqualTo("GET, HEAD, OPTIONS, POST");
        assertThat(table.template("/files/readme")).isEqualTo("/files/readme");
        assertThat(table.template("/files/other")).isEqualTo("/files/{name}");
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
}
