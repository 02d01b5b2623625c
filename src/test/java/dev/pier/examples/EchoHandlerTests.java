package dev.pier.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.handler.HttpHandler;
import dev.pier.route.Routes;
import dev.pier.http.HttpHeaders;
import dev.pier.http.HttpMethod;
import dev.pier.http.HttpRequest;
import dev.pier.http.HttpResponse;
import dev.pier.http.HttpVersion;
import dev.pier.http.RequestTarget;
import dev.pier.http.ResponseBody;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

class EchoHandlerTests {

    private static final String FORM = "application/x-www-form-urlencoded";

    private final JsonMapper json = JsonMapper.shared();
    private final EchoHandler handler = new EchoHandler(json);

    private final ApplicationContextRunner scan = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class))
            .withUserConfiguration(ScanExamples.class);

    @Test
    void whenPostToEchoThenAcceptedElseNot() {
        assertThat(handler.accepts(request(HttpMethod.POST, "/echo", FORM, ""))).isTrue();
        assertThat(handler.accepts(request(HttpMethod.GET, "/echo", null, ""))).isFalse();
        assertThat(handler.accepts(request(HttpMethod.POST, "/echo/more", FORM, ""))).isFalse();
        assertThat(handler.accepts(request(HttpMethod.POST, "/", FORM, ""))).isFalse();
        assertThat(handler.isBlocking()).isTrue();
    }

    @Test
    void whenFormIsPostedThenEveryFieldComesBackAsJsonLists() throws Exception {
        HttpResponse response = handler.handle(request(HttpMethod.POST, "/echo", FORM, "name=Ada&lang=Java&lang=C%2B%2B&note=hello+world"));
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.headers().first("Content-Type")).isEqualTo("application/json");
        assertThat(fields(response)).containsExactly(
                Map.entry("name", List.of("Ada")),
                Map.entry("lang", List.of("Java", "C++")),
                Map.entry("note", List.of("hello world")));
    }

    @Test
    void whenBodyIsNotAFormThenAnEmptyObject() throws Exception {
        HttpResponse response = handler.handle(request(HttpMethod.POST, "/echo", "application/json", "{\"name\":\"Ada\"}"));
        assertThat(response.status()).isEqualTo(200);
        assertThat(fields(response)).isEmpty();
    }

    @Test
    void whenExamplesProfileIsActiveThenTheExampleHandlersAreBeans() {
        scan.withPropertyValues("spring.profiles.active=examples").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBeansOfType(HttpHandler.class).values()).extracting(Object::getClass).extracting(Class::getSimpleName)
                    .containsExactlyInAnyOrder("EchoHandler", "UploadHandler", "NumbersHandler", "ClockHandler");
            assertThat(context).hasSingleBean(Routes.class);
        });
    }

    @Test
    void whenExamplesProfileIsNotActiveThenNoEchoHandler() {
        scan.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(EchoHandler.class);
        });
    }

    private Map<String, List<String>> fields(HttpResponse response) {
        ByteBuffer content = ((ResponseBody.Bytes) response.body()).content().duplicate();
        byte[] bytes = new byte[content.remaining()];
        content.get(bytes);
        return json.readValue(bytes, new TypeReference<LinkedHashMap<String, List<String>>>() {
        });
    }

    private static HttpRequest request(HttpMethod method, String path, String contentType, String body) {
        HttpHeaders.Builder headers = HttpHeaders.builder().add("Host", "localhost");
        if (contentType != null) {
            headers.add("Content-Type", contentType);
        }
        return new HttpRequest(method, new RequestTarget(path, path, null, path), HttpVersion.HTTP_1_1, headers.build(),
                body.getBytes(StandardCharsets.UTF_8));
    }

    @Configuration(proxyBeanMethods = false)
    @ComponentScan(basePackageClasses = EchoHandler.class)
    static class ScanExamples {
    }
}
