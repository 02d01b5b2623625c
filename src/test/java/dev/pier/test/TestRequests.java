package dev.pier.test;

import dev.pier.http.HttpMethod;

/** The requests a test starts, one method per HTTP method, the same over a socket and in memory. */
public sealed interface TestRequests permits PierTestClient, RouteTester {

    /** A request with this method to this path, which may carry a query ({@code /todos?done=true}). */
    TestRequest method(HttpMethod method, String target);

    default TestRequest get(String target) {
        return method(HttpMethod.GET, target);
    }

    default TestRequest head(String target) {
        return method(HttpMethod.HEAD, target);
    }

    default TestRequest options(String target) {
        return method(HttpMethod.OPTIONS, target);
    }

    default TestRequest post(String target) {
        return method(HttpMethod.POST, target);
    }

    default TestRequest put(String target) {
        return method(HttpMethod.PUT, target);
    }

    default TestRequest patch(String target) {
        return method(HttpMethod.PATCH, target);
    }

    default TestRequest delete(String target) {
        return method(HttpMethod.DELETE, target);
    }
}
