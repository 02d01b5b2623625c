package dev.pier.multipart;

/**
 * Bounds on what {@link MultipartParser} accepts; each one passed is a 413 with its own reason.
 * Sizes count a part's content, not its head. The parser itself holds no more than one part head
 * ({@code partHead}) at a time: contents pass through as slices of the input.
 *
 * @param parts most parts in one form ("Too many parts")
 * @param partHead largest part head in bytes: the delimiter line's transport padding, the header
 *     fields and the empty line that ends them ("Part head too large"). A head that never ends is
 *     caught by this limit too, so it is a 413 as well: the bytes need not be wrong, only too many
 * @param field largest part without a filename, which a {@link FormCollector} holds in memory as
 *     text ("Field too large")
 * @param fields all parts without a filename together, so that many fields cannot add up to much
 *     memory either ("Fields too large")
 * @param file largest part with a filename ("File too large"); {@link #UNBOUNDED} by default, as
 *     files are streamed or spooled to disk
 * @param total every byte of the body, preamble and epilogue included ("Form too large");
 *     {@link #UNBOUNDED} by default, as the exchange's own body limit applies first
 */
public record MultipartLimits(int parts, int partHead, long field, long fields, long file, long total) {

    public static final long UNBOUNDED = Long.MAX_VALUE;

    public static final MultipartLimits DEFAULTS = new MultipartLimits(1000, 16 * 1024, 1024 * 1024, 10 * 1024 * 1024, UNBOUNDED, UNBOUNDED);

    public MultipartLimits {
        if (parts < 1 || partHead < 1 || field < 0 || fields < 0 || file < 0 || total < 0) {
            throw new IllegalArgumentException("Invalid multipart limits " + parts + "/" + partHead + "/" + field + "/" + fields + "/" + file + "/" + total);
        }
    }
}
