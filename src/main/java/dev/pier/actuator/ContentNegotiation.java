package dev.pier.actuator;

import java.util.List;
import org.springframework.util.InvalidMimeTypeException;
import org.springframework.util.MimeType;
import org.springframework.util.MimeTypeUtils;

/** Picks the produced media type an {@code Accept} header prefers, by q-value then by the operation's own order. */
final class ContentNegotiation {

    private ContentNegotiation() {
    }

    /** The chosen type, or {@code null} when the client accepts none of them (406). */
    static String select(String accept, List<String> produces) {
        if (produces.isEmpty()) {
            return "application/json";
        }
        if (accept == null || accept.isBlank()) {
            return produces.get(0);
        }
        List<MimeType> ranges;
        try {
            ranges = MimeTypeUtils.parseMimeTypes(accept);
        } catch (InvalidMimeTypeException e) {
            return produces.get(0);
        }
        String best = null;
        double bestQuality = 0;
        for (String produced : produces) {
            MimeType type = MimeType.valueOf(produced);
            for (MimeType range : ranges) {
                double quality = quality(range);
                if (range.includes(type) && quality > bestQuality) {
                    best = produced;
                    bestQuality = quality;
                }
            }
        }
        return best;
    }

    private static double quality(MimeType range) {
        String q = range.getParameter("q");
        try {
            return q == null ? 1 : Double.parseDouble(q);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
