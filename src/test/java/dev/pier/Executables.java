package dev.pier;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the programs some tests drive (Chromium, curl, GoAccess) on the PATH, so those tests can skip, saying why, where they are missing. */
public final class Executables {

    private Executables() {
    }

    /** The first of these names found executable on the PATH, or {@code null}. */
    public static String find(String... names) {
        for (String folder : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            for (String name : names) {
                Path candidate = Path.of(folder, name);
                if (Files.isExecutable(candidate)) {
                    return candidate.toString();
                }
            }
        }
        return null;
    }

    /** Chromium, under any of the names distributions give it. */
    public static String chromium() {
        return find("chromium", "chromium-browser", "google-chrome");
    }
}
