package dev.pier.actuator;

import org.springframework.boot.actuate.endpoint.web.WebServerNamespace;
import tools.jackson.databind.json.JsonMapper;

/** Makes an {@link OperationInvoker} for each listener's namespace, sharing Actuator's JSON mapper. */
final class OperationInvokers {

    private final JsonMapper json;

    OperationInvokers(JsonMapper json) {
        this.json = json;
    }

    OperationInvoker forNamespace(WebServerNamespace namespace) {
        return new OperationInvoker(json, namespace);
    }
}
