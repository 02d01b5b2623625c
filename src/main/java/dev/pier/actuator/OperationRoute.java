package dev.pier.actuator;

import dev.pier.http.HttpMethod;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.actuate.endpoint.web.WebOperation;
import org.springframework.boot.actuate.endpoint.web.WebOperationRequestPredicate;

/**
 * One web operation of an endpoint at its full path, e.g. {@code /actuator/metrics/{requiredMetricName}}
 * or {@code /actuator/health/{*path}}, plus any arguments fixed by the route itself (an additional
 * health path such as {@code /livez} invokes the health operation for its group).
 */
record OperationRoute(HttpMethod method, String[] segments, String matchAllVariable, WebOperation operation, Map<String, Object> fixedArguments) {

    static OperationRoute of(String basePath, WebOperation operation) {
        WebOperationRequestPredicate predicate = operation.getRequestPredicate();
        return new OperationRoute(HttpMethod.valueOf(predicate.getHttpMethod().name()), split(basePath + "/" + predicate.getPath()),
                predicate.getMatchAllRemainingPathSegmentsVariable(), operation, Map.of());
    }

    /** A fixed path that invokes a match-all operation with the given remaining segments. */
    static OperationRoute fixed(String path, WebOperation operation, String[] remainingSegments) {
        String variable = operation.getRequestPredicate().getMatchAllRemainingPathSegmentsVariable();
        return new OperationRoute(HttpMethod.GET, split(path), null, operation, Map.of(variable, remainingSegments));
    }

    /** The route as a template, e.g. {@code /actuator/health/{*path}}: the {@code uri} tag of its requests. */
    String template() {
        return "/" + String.join("/", segments);
    }

    List<String> produces() {
        return List.copyOf(operation.getRequestPredicate().getProduces());
    }

    /** The path variables if the path matches, else {@code null}. */
    Map<String, Object> match(String[] path) {
        int fixed = matchAllVariable == null ? segments.length : segments.length - 1;
        if (matchAllVariable == null ? path.length != fixed : path.length < fixed) {
            return null;
        }
        Map<String, Object> variables = new HashMap<>(fixedArguments);
        for (int i = 0; i < fixed; i++) {
            String pattern = segments[i];
            if (pattern.startsWith("{") && pattern.endsWith("}")) {
                variables.put(pattern.substring(1, pattern.length() - 1), path[i]);
            } else if (!pattern.equals(path[i])) {
                return null;
            }
        }
        if (matchAllVariable != null) {
            variables.put(matchAllVariable, Arrays.copyOfRange(path, fixed, path.length));
        }
        return variables;
    }

    static String[] split(String path) {
        return Arrays.stream(path.split("/")).filter(segment -> !segment.isEmpty()).toArray(String[]::new);
    }
}
