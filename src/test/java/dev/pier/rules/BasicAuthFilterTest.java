package dev.pier.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BasicAuthFilterTest {

    @Test
    void whenTheFieldIsBasicThenUserAndPasswordAreSplitAtTheFirstColon() {
        assertThat(BasicAuthFilter.credentials("Basic " + base64("alice:pass:word"))).containsExactly("alice", "pass:word");
        assertThat(BasicAuthFilter.credentials("basic  " + base64("élise:") + " ")).containsExactly("élise", "");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Basic", "Basic ", "Bearer YWxpY2U6cGFzcw==", "Basic !!!!", "Basic YWxpY2U=", "Digest username=\"alice\""})
    void whenTheFieldIsNotBasicUserColonPasswordThenThereAreNoCredentials(String authorization) {
        assertThat(BasicAuthFilter.credentials(authorization)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Admin", "Staff only: team 1", "Zone d'accès"})
    void whenARealmCanBeQuotedThenItIsValid(String realm) {
        assertThat(BasicAuthFilter.isValidRealm(realm)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "say \"hi\"", "back\\slash", "line\nbreak", "tab\there"})
    void whenARealmCannotBeQuotedThenItIsInvalid(String realm) {
        assertThat(BasicAuthFilter.isValidRealm(realm)).isFalse();
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
