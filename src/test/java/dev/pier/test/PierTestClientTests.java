package dev.pier.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.PierApplication;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.context.support.GenericApplicationContext;

/** The client a {@code @SpringBootTest} gets injected, against the to-do example over a real socket. */
@SpringBootTest(classes = PierApplication.class, properties = {"server.port=0", "spring.profiles.active=examples", "pier.document-root=site",
        "pier.event-loops=1", "pier.worker-threads=2", "pier.access-log.enabled=false"})
class PierTestClientTests {

    /** The to-do as a client of the API sees it. */
    record Todo(Long id, String title, boolean done) {
    }

    @Autowired
    PierTestClient client;

    @Test
    void whenATodoIsPostedThenTheClientSees201WithLocationAndTheCreatedJson() {
        TestResponse created = client.post("/examples/todos").json(new Todo(null, "Try the test client", false)).exchange();

        long id = created.body(Todo.class).id();
        assertThat(created).hasStatus(201).hasHeader("Location", "/examples/todos/" + id).hasContentType("application/json")
                .bodyJson().extractingPath("$.title").isEqualTo("Try the test client");
        assertThat(client.get("/examples/todos/" + id).exchange()).hasStatus(200).bodyJson().extractingPath("$.done").isEqualTo(false);
    }

    @Test
    void whenATodoIsUnknownThenTheAnswerIsA404Problem() {
        assertThat(client.get("/examples/todos/999999").exchange()).isProblem(404)
                .bodyJson().extractingPath("$.detail").isEqualTo("No to-do 999999");
    }

    @Test
    void whenTheMethodIsNotARoutesThenTheAnswerIs405WithAllow() {
        assertThat(client.patch("/examples/todos").json("{}").exchange()).isProblem(405).hasHeader("Allow", "GET, HEAD, OPTIONS, POST");
    }

    @Test
    void whenHeadIsSentThenTheServersFieldsComeWithoutABody() {
        assertThat(client.head("/examples/todos").exchange()).hasStatus(200).hasContentType("application/json").hasEmptyBody()
                .satisfies(head -> {
                    assertThat(head.header("Server")).startsWith("Pier/");
                    assertThat(head.header("Date")).isNotBlank();
                });
    }

    @Test
    void whenOnlySpringBootTestsAreCustomizedThenTheirCustomizersAreEqualSoTheContextIsShared(@Autowired ApplicationContext context) {
        PierTestClientContextCustomizerFactory factory = new PierTestClientContextCustomizerFactory();

        assertThat(factory.createContextCustomizer(PierTestClientTests.class, List.of()))
                .isEqualTo(factory.createContextCustomizer(PierTestClientTests.class, List.of()));
        assertThat(factory.createContextCustomizer(RouteTesterTests.class, List.of())).isNull();
        assertThat(context.getBeansOfType(PierTestClient.class)).containsOnlyKeys("pierTestClient");
    }

    @Test
    void whenTheTestDeclaresAClientOfItsOwnThenNoOtherIsAdded() {
        try (GenericApplicationContext context = new GenericApplicationContext()) {
            context.registerBean("ownClient", PierTestClient.class, () -> PierTestClient.from(context));
            new PierTestClientContextCustomizerFactory().createContextCustomizer(PierTestClientTests.class, List.of())
                    .customizeContext(context, null);
            context.refresh();

            assertThat(context.getBeansOfType(PierTestClient.class)).containsOnlyKeys("ownClient");
        }
    }
}
