package dev.pier.actuator;

import dev.pier.handler.Listener;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.IncludeExcludeEndpointFilter;
import org.springframework.boot.actuate.autoconfigure.endpoint.jackson.JacksonEndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointProperties;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.boot.actuate.endpoint.EndpointAccessResolver;
import org.springframework.boot.actuate.endpoint.EndpointFilter;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.OperationFilter;
import org.springframework.boot.actuate.endpoint.invoke.OperationInvokerAdvisor;
import org.springframework.boot.actuate.endpoint.invoke.ParameterValueMapper;
import org.springframework.boot.actuate.endpoint.jackson.EndpointJsonMapper;
import org.springframework.boot.actuate.endpoint.web.AdditionalPathsMapper;
import org.springframework.boot.actuate.endpoint.web.EndpointLinksResolver;
import org.springframework.boot.actuate.endpoint.web.EndpointMediaTypes;
import org.springframework.boot.actuate.endpoint.web.ExposableWebEndpoint;
import org.springframework.boot.actuate.endpoint.web.PathMapper;
import org.springframework.boot.actuate.endpoint.web.WebEndpointsSupplier;
import org.springframework.boot.actuate.endpoint.web.WebOperation;
import org.springframework.boot.actuate.endpoint.web.WebServerNamespace;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpointDiscoverer;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointWebExtension;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointProperties;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.boot.health.registry.ReactiveHealthContributorRegistry;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import tools.jackson.databind.json.JsonMapper;

/**
 * Serves Actuator's web endpoints through Pier. Boot's own {@code WebEndpointAutoConfiguration}
 * only runs in servlet or reactive applications, so this builds the same pieces from the same
 * building blocks (discoverer, exposure filter, access filter, health web extension) and hands
 * the discovered endpoints to Pier as handlers, as Boot's MVC, WebFlux and Jersey adapters do.
 */
@AutoConfiguration(after = {EndpointAutoConfiguration.class, HealthEndpointAutoConfiguration.class, JacksonEndpointAutoConfiguration.class})
@ConditionalOnClass(WebEndpointDiscoverer.class)
@EnableConfigurationProperties(WebEndpointProperties.class)
public class PierActuatorAutoConfiguration {

    /** Ahead of user handlers, so a catch-all handler cannot hide the probes. */
    private static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 100;

    @Bean
    @ConditionalOnMissingBean
    EndpointMediaTypes endpointMediaTypes() {
        return EndpointMediaTypes.DEFAULT;
    }

    @Bean
    @ConditionalOnMissingBean(WebEndpointsSupplier.class)
    WebEndpointDiscoverer webEndpointDiscoverer(ApplicationContext context, ParameterValueMapper parameterValueMapper, EndpointMediaTypes mediaTypes,
            WebEndpointProperties properties, ObjectProvider<PathMapper> pathMappers, ObjectProvider<AdditionalPathsMapper> additionalPathsMappers,
            ObjectProvider<OperationInvokerAdvisor> invokerAdvisors, ObjectProvider<EndpointFilter<ExposableWebEndpoint>> endpointFilters,
            ObjectProvider<OperationFilter<WebOperation>> operationFilters) {
        List<PathMapper> mappers = new ArrayList<>(pathMappers.orderedStream().toList());
        mappers.add(endpointId -> properties.getPathMapping().get(endpointId.toString()));
        return new WebEndpointDiscoverer(context, parameterValueMapper, mediaTypes, mappers, additionalPathsMappers.orderedStream().toList(),
                invokerAdvisors.orderedStream().toList(), endpointFilters.orderedStream().toList(), operationFilters.orderedStream().toList());
    }

    @Bean
    IncludeExcludeEndpointFilter<ExposableWebEndpoint> webExposeExcludePropertyEndpointFilter(WebEndpointProperties properties) {
        WebEndpointProperties.Exposure exposure = properties.getExposure();
        return new IncludeExcludeEndpointFilter<>(ExposableWebEndpoint.class, exposure.getInclude(), exposure.getExclude(),
                EndpointExposure.WEB.getDefaultIncludes());
    }

    @Bean
    OperationFilter<WebOperation> webAccessPropertiesOperationFilter(EndpointAccessResolver accessResolver) {
        return OperationFilter.byAccess(accessResolver);
    }

    @Bean
    @ConditionalOnBean(HealthEndpoint.class)
    @ConditionalOnMissingBean
    HealthEndpointWebExtension healthEndpointWebExtension(HealthContributorRegistry registry, ObjectProvider<ReactiveHealthContributorRegistry> reactiveRegistry,
            HealthEndpointGroups groups, HealthEndpointProperties properties) {
        return new HealthEndpointWebExtension(registry, reactiveRegistry.getIfAvailable(), groups, properties.getLogging().getSlowIndicatorThreshold());
    }

    @Bean
    OperationInvokers pierOperationInvokers(ObjectProvider<EndpointJsonMapper> endpointJson, ObjectProvider<JsonMapper> json) {
        EndpointJsonMapper endpointJsonMapper = endpointJson.getIfAvailable();
        JsonMapper mapper = endpointJsonMapper != null ? endpointJsonMapper.get() : json.getIfAvailable(JsonMapper::shared);
        return new OperationInvokers(mapper);
    }

    @Bean
    @Order(ORDER)
    ActuatorEndpointsHandler pierActuatorEndpointsHandler(WebEndpointsSupplier endpoints, WebEndpointProperties properties, EndpointMediaTypes mediaTypes,
            OperationInvokers invokers, Environment environment) {
        String basePath = normalize(properties.getBasePath());
        Collection<ExposableWebEndpoint> exposed = endpoints.getEndpoints();
        List<OperationRoute> routes = exposed.stream()
                .flatMap(endpoint -> endpoint.getOperations().stream())
                .map(operation -> OperationRoute.of(basePath, operation))
                .toList();
        return new ActuatorEndpointsHandler(basePath, routes, new EndpointLinksResolver(exposed, basePath),
                invokers.forNamespace(managementNamespace(environment)), mediaTypes.getProduced());
    }

    @Bean
    @Order(ORDER)
    AdditionalHealthPathsHandler pierApplicationHealthPathsHandler(WebEndpointsSupplier endpoints, ObjectProvider<HealthEndpointGroups> groups,
            OperationInvokers invokers) {
        return additionalPaths(endpoints, groups, invokers, WebServerNamespace.SERVER, Listener.APPLICATION);
    }

    @Bean
    @Order(ORDER)
    AdditionalHealthPathsHandler pierManagementHealthPathsHandler(WebEndpointsSupplier endpoints, ObjectProvider<HealthEndpointGroups> groups,
            OperationInvokers invokers, Environment environment) {
        // On a shared port Boot serves only the server namespace's paths; so does Pier.
        boolean separate = ManagementPortType.get(environment) == ManagementPortType.DIFFERENT;
        return separate ? additionalPaths(endpoints, groups, invokers, WebServerNamespace.MANAGEMENT, Listener.MANAGEMENT)
                : new AdditionalHealthPathsHandler(Map.of(), invokers.forNamespace(WebServerNamespace.MANAGEMENT), Listener.MANAGEMENT);
    }

    private static AdditionalHealthPathsHandler additionalPaths(WebEndpointsSupplier endpoints, ObjectProvider<HealthEndpointGroups> groups,
            OperationInvokers invokers, WebServerNamespace namespace, Listener listener) {
        Map<String, OperationRoute> routes = new HashMap<>();
        HealthEndpointGroups healthGroups = groups.getIfAvailable();
        WebOperation health = healthOperation(endpoints);
        if (healthGroups != null && health != null) {
            healthGroups.getAllWithAdditionalPath(namespace).forEach(group -> {
                String path = group.getAdditionalPath().getValue();
                routes.put(path, OperationRoute.fixed(path, health, OperationRoute.split(path)));
            });
        }
        return new AdditionalHealthPathsHandler(routes, invokers.forNamespace(namespace), listener);
    }

    /** The exposed health endpoint's GET operation that takes a group path, if health is exposed. */
    private static WebOperation healthOperation(WebEndpointsSupplier endpoints) {
        return endpoints.getEndpoints().stream()
                .filter(endpoint -> endpoint.getEndpointId().equals(EndpointId.of("health")))
                .flatMap(endpoint -> endpoint.getOperations().stream())
                .filter(operation -> operation.getRequestPredicate().getMatchAllRemainingPathSegmentsVariable() != null)
                .findFirst()
                .orElse(null);
    }

    private static WebServerNamespace managementNamespace(Environment environment) {
        return ManagementPortType.get(environment) == ManagementPortType.DIFFERENT ? WebServerNamespace.MANAGEMENT : WebServerNamespace.SERVER;
    }

    private static String normalize(String basePath) {
        String trimmed = basePath == null ? "" : basePath.trim();
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return trimmed.isEmpty() || trimmed.startsWith("/") ? trimmed : "/" + trimmed;
    }
}
