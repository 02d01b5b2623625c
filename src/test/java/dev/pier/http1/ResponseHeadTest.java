package dev.pier.http1;

import dev.pier.http.HttpResponse;
import dev.pier.http.HttpVersion;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ResponseHeadTest {

    private static final String DATE = "Sun, 06 Nov 1994 08:49:37 GMT";

    @Test
    void whenAResponseIsEncodedThenTheHeadHasTheStatusLineAndServerFields() {
        HttpResponse response = HttpResponse.status(200).body("hello").build();
        assertThat(encode(response, true, HttpVersion.HTTP_1_1)).isEqualTo("HTTP/1.1 200 OK\r\n"
                + "Date: " + DATE + "\r\n"
                + "Server: Pier\r\n"
                + "Content-Type: text/plain;charset=utf-8\r\n"
                + "Content-Length: 5\r\n"
                + "\r\n");
    }

    @Test
    void whenTheConnectionClosesThenTheHeadSaysSo() {
        HttpResponse response = HttpResponse.status(404).build();
        assertThat(encode(response, false, HttpVersion.HTTP_1_1)).isEqualTo("HTTP/1.1 404 Not Found\r\n"
                + "Date: " + DATE + "\r\n"
                + "Server: Pier\r\n"
                + "Content-Length: 0\r\n"
                + "Connection: close\r\n"
                + "\r\n");
    }

    @Test
    void whenAnHttp10ConnectionIsKeptAliveThenTheHeadSaysSo() {
        String head = encode(HttpResponse.status(200).build(), true, HttpVersion.HTTP_1_0);
        assertThat(head).startsWith("HTTP/1.1 200 OK\r\n").endsWith("Content-Length: 0\r\nConnection: keep-alive\r\n\r\n");
    }

    @Test
    void whenAnHttp10ConnectionClosesThenTheHeadSaysClose() {
        String head = encode(HttpResponse.status(200).build(), false, HttpVersion.HTTP_1_0);
        assertThat(head).contains("Connection: close\r\n").doesNotContain("keep-alive");
    }

    @Test
    void whenAnHttp11ConnectionIsKeptAliveThenThereIsNoConnectionField() {
        assertThat(encode(HttpResponse.status(200).build(), true, HttpVersion.HTTP_1_1)).doesNotContain("Connection");
    }

    @ParameterizedTest
    @ValueSource(ints = {204, 304})
    void whenTheStatusForbidsContentThenThereIsNoContentLength(int status) {
        HttpResponse response = HttpResponse.status(status).header("ETag", "\"1\"").build();
        String head = encode(response, true, HttpVersion.HTTP_1_1);
        assertThat(head).startsWith("HTTP/1.1 " + status + " ").contains("ETag: \"1\"\r\n").doesNotContain("Content-Length");
    }

    @Test
    void whenTheHandlerSetsContentLengthThenItIsHonouredOnce() {
        HttpResponse response = HttpResponse.status(200).header("Content-Length", "1234").header("Content-Type", "text/html").build();
        String head = encode(response, true, HttpVersion.HTTP_1_1);
        assertThat(head).contains("Content-Type: text/html\r\nContent-Length: 1234\r\n");
        assertThat(head.split("Content-Length", -1)).hasSize(2);
    }

    @Test
    void whenTheHandlerSetsConnectionThenTheServerDecides() {
        HttpResponse response = HttpResponse.status(200).header("Connection", "keep-alive").build();
        String head = encode(response, false, HttpVersion.HTTP_1_1);
        assertThat(head).contains("Connection: close\r\n").doesNotContain("keep-alive");
    }

    @Test
    void whenTheStatusIsUnknownThenItsClassNamesIt() {
        assertThat(encode(HttpResponse.status(299).build(), true, HttpVersion.HTTP_1_1)).startsWith("HTTP/1.1 299 Success\r\n");
        assertThat(encode(HttpResponse.status(599).build(), true, HttpVersion.HTTP_1_1)).startsWith("HTTP/1.1 599 Server Error\r\n");
    }

    @Test
    void whenAValueHasLatin1AndOtherCharactersThenLatin1IsKeptAndTheRestBecomesAQuestionMark() {
        HttpResponse response = HttpResponse.status(200).header("X-Name", "Caf\u00e9 \u20ac").build();
        byte[] head = ResponseHead.encode(response, 0, true, HttpVersion.HTTP_1_1, "Pier", DATE);
        assertThat(new String(head, StandardCharsets.ISO_8859_1)).contains("X-Name: Caf\u00e9 ?\r\n").endsWith("\r\n\r\n");
    }

    @Test
    void whenManyFieldsThenEachOnceInOrderAndTheHeadIsExactlyAsLongAsItsText() {
        HttpResponse.Builder builder = HttpResponse.status(206);
        StringBuilder expected = new StringBuilder("HTTP/1.1 206 Partial Content\r\nDate: " + DATE + "\r\nServer: Pier\r\n");
        for (int i = 0; i < 40; i++) {
            builder.header("X-Field-" + i, "v".repeat(i));
            expected.append("X-Field-").append(i).append(": ").append("v".repeat(i)).append("\r\n");
        }
        HttpResponse response = builder.build();
        expected.append("Content-Length: 123456789012\r\n\r\n");

        byte[] head = ResponseHead.encode(response, 123456789012L, true, HttpVersion.HTTP_1_1, "Pier", DATE);

        assertThat(new String(head, StandardCharsets.ISO_8859_1)).isEqualTo(expected.toString());
    }

    private static String encode(HttpResponse response, boolean keepAlive, HttpVersion version) {
        return new String(ResponseHead.encode(response, response.contentLength(), keepAlive, version, "Pier", DATE), StandardCharsets.ISO_8859_1);
    }
}
