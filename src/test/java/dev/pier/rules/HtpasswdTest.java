package dev.pier.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.pier.Executables;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * Which htpasswd lines Pier accepts (bcrypt as {@code htpasswd -B} writes it) and which it refuses,
 * each refusal one sentence naming the file, the line and the format; with Debian's own
 * {@code htpasswd} (apache2-utils) where it is installed.
 */
class HtpasswdTest {

    /** "correct horse", made by Debian's htpasswd -B -C 4. */
    static final String ALICE_2Y = "$2y$04$MCTg2NDOLwrKqJcRVhZpX.pvliP3RnUEFFQ.frmu4E.uNe.bKRuSa";

    private final BCryptPasswordEncoder bcrypt = new BCryptPasswordEncoder();

    @TempDir
    Path folder;

    @Test
    void whenLinesAreBcryptThenEveryVariantIsAcceptedAndChecksTheRightPassword() {
        String alice2a = "$2a" + ALICE_2Y.substring(3);
        String alice2b = "$2b" + ALICE_2Y.substring(3);

        Htpasswd users = Htpasswd.parse("alice:" + ALICE_2Y + "\nbob:" + alice2a + "\ncarol:" + alice2b + "\n", "users");

        assertThat(users.users()).containsOnlyKeys("alice", "bob", "carol");
        assertThat(users.maxCost()).isEqualTo(4);
        for (String user : List.of("alice", "bob", "carol")) {
            assertThat(bcrypt.matches("correct horse", users.hashOf(user))).as(user).isTrue();
            assertThat(bcrypt.matches("wrong horse", users.hashOf(user))).as(user).isFalse();
        }
        assertThat(users.hashOf("dave")).isNull();
    }

    @Test
    void whenTheFileHasCommentsBlankLinesAndCrlfThenOnlyUsersCount() {
        Htpasswd users = Htpasswd.parse("# admins\r\n\r\n   \r\nalice:" + ALICE_2Y + "\r\n#bob:" + ALICE_2Y + "\r\n", "users");

        assertThat(users.users()).containsOnlyKeys("alice");
        assertThat(bcrypt.matches("correct horse", users.hashOf("alice"))).isTrue();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "$apr1$9QhQ5kpV$JdYh2bZwXRLNjwzHEY9.R/ | Apache MD5 ($apr1$, htpasswd -m)",
            "{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=     | unsalted SHA-1 ({SHA}, htpasswd -s)",
            "$1$abcdefgh$qwertyuiopasdfghjklzx1  | MD5 crypt ($1$)",
            "$5$saltsalt$abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG | SHA-256 crypt ($5$)",
            "$6$saltsalt$abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG | SHA-512 crypt ($6$)",
            "rqXexS6ZhobKA                         | DES crypt (htpasswd -d)",
            "password                              | plain-text password",
            "$2y$05$tooshort                    | malformed or unknown bcrypt variant",
    })
    void whenAHashIsNotBcryptThenTheFileIsRefusedNamingLineAndFormat(String hash, String format) {
        assertThatThrownBy(() -> Htpasswd.parse("# users\nalice:" + ALICE_2Y + "\nbob:" + hash + "\n", "/etc/pier/users"))
                .isInstanceOf(Htpasswd.InvalidHtpasswdException.class)
                .hasMessageStartingWith("The htpasswd file /etc/pier/users, line 3, holds user 'bob' with a ")
                .hasMessageContaining(format)
                .hasMessageEndingWith("which Pier refuses as too weak; make it again with htpasswd -B.");
    }

    @Test
    void whenTheBcryptCostIsAboveTheCapThenTheFileIsRefused() {
        String costly = new BCryptPasswordEncoder(BCryptPasswordEncoder.BCryptVersion.$2Y, Htpasswd.MAX_COST + 1).encode("x");

        assertThatThrownBy(() -> Htpasswd.parse("alice:" + costly, "users"))
                .hasMessage("The htpasswd file users, line 1, holds user 'alice' with bcrypt cost 11, above the 10 Pier accepts"
                        + " since checks run on the event loop; make it again with htpasswd -B -C 10 (or less).");
    }

    @Test
    void whenAUserIsNamedTwiceThenTheFileIsRefused() {
        assertThatThrownBy(() -> Htpasswd.parse("alice:" + ALICE_2Y + "\n\nalice:" + ALICE_2Y, "users"))
                .hasMessage("The htpasswd file users, line 3, names user 'alice' again after line 1; keep one line per user.");
    }

    @Test
    void whenALineHasNoUserOrNoColonOrTheFileNoUsersThenItIsRefused() {
        assertThatThrownBy(() -> Htpasswd.parse("alice", "users")).hasMessage("The htpasswd file users, line 1, is not user:hash; make the file with htpasswd -B.");
        assertThatThrownBy(() -> Htpasswd.parse(":" + ALICE_2Y, "users")).hasMessageContaining("line 1, is not user:hash");
        assertThatThrownBy(() -> Htpasswd.parse("# nobody\n\n", "users")).hasMessage("The htpasswd file users has no users; add one with htpasswd -B users <user>.");
    }

    @Test
    void whenDebiansHtpasswdMakesEachFormatThenOnlyBcryptIsAccepted() throws Exception {
        String htpasswd = Executables.find("htpasswd");
        assumeTrue(htpasswd != null, "htpasswd (Debian's apache2-utils) is not installed");
        Path bcryptFile = make(htpasswd, "-B", "bcrypt");
        Htpasswd users = Htpasswd.parse(Files.readString(bcryptFile), bcryptFile.toString());
        assertThat(users.hashOf("alice")).startsWith("$2y$");
        assertThat(bcrypt.matches("s3cret pass", users.hashOf("alice"))).isTrue();
        assertThat(bcrypt.matches("s3cret pasS", users.hashOf("alice"))).isFalse();

        assertThat(HtpasswdFile.load(bcryptFile).current().users().users()).containsOnlyKeys("alice");
        for (String[] refused : List.of(new String[] {"-m", "Apache MD5"}, new String[] {"-s", "SHA-1"}, new String[] {"-d", "DES crypt"},
                new String[] {"-p", "plain-text"})) {
            Path file = make(htpasswd, refused[0], refused[0].substring(1));
            assertThatThrownBy(() -> Htpasswd.parse(Files.readString(file), file.toString())).as(refused[0])
                    .hasMessageContaining("line 1, holds user 'alice' with a ").hasMessageContaining(refused[1]);
        }
    }

    private Path make(String htpasswd, String option, String name) throws Exception {
        Path file = folder.resolve(name);
        Process process = new ProcessBuilder(htpasswd, "-b", "-c", option, file.toString(), "alice", "s3cret pass")
                .redirectErrorStream(true).start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(new String(process.getInputStream().readAllBytes())).isZero();
        return file;
    }
}
