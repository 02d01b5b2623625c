package dev.pier.config;

import java.util.function.Supplier;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

/**
 * {@code POST /actuator/reload}: what {@code SIGHUP} does, for where no signal can be sent, such as
 * a Kubernetes ConfigMap mounted as {@code application.yml}. Answers 200 with what changed, or 422
 * with why the new configuration was refused while the running one keeps serving. Exposed only
 * when listed in {@code management.endpoints.web.exposure.include}.
 */
@Endpoint(id = "reload")
public class ReloadEndpoint {

    /** RFC 9110 §15.5.21: the request was understood, the configuration it points at could not be applied. */
    private static final int UNPROCESSABLE_CONTENT = 422;

    /** Looked up when called: the reload needs the handlers, and this endpoint is one of them. */
    private final Supplier<SiteReload> reload;

    ReloadEndpoint(Supplier<SiteReload> reload) {
        this.reload = reload;
    }

    @WriteOperation
    public WebEndpointResponse<SiteReload.Outcome> reload() {
        SiteReload.Outcome outcome = reload.get().reload();
        return new WebEndpointResponse<>(outcome, outcome.reloaded() ? WebEndpointResponse.STATUS_OK : UNPROCESSABLE_CONTENT);
    }
}
