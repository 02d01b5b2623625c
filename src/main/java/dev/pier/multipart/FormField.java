package dev.pier.multipart;

/**
 * A part without a filename, as {@link FormCollector} keeps it.
 *
 * @param part its head
 * @param value its content decoded as UTF-8, what browsers send for a page in UTF-8; invalid
 *     sequences become U+FFFD
 */
public record FormField(Part part, String value) {

    public String name() {
        return part.name();
    }
}
