package dev.pier.files;

/**
 * What a request's {@code Accept-Encoding} says of each coding Pier can send (RFC 9110 §12.5.3),
 * as qualities in thousandths: 1000 for {@code q=1}, 0 for refused.
 *
 * <p>The rules: a listed coding has its own quality; {@code *} gives its quality to every coding not
 * listed, identity included; otherwise a coding not listed is refused, except identity, which is
 * acceptable unless refused, but least preferred, so that {@code br;q=1, gzip;q=0.5} still gets
 * gzip rather than the whole file when there is no brotli. {@code x-gzip} is gzip (§8.4.1.3). A
 * member with an invalid quality is ignored.
 *
 * @param br quality of brotli
 * @param gzip quality of gzip
 * @param identity quality of the uncompressed file
 */
record AcceptEncoding(int br, int gzip, int identity) {

    /** No field, or a request whose answer must not be compressed: the file as it is. */
    static final AcceptEncoding IDENTITY_ONLY = new AcceptEncoding(0, 0, 1000);

    private static final int UNSET = -1;
    /** Identity's quality when nothing names it: acceptable, after anything the client did name. */
    private static final int IMPLICIT_IDENTITY = 1;

    /**
     * Reads the field's value; {@code null} (no field) means identity only, since a client that
     * sends none may not decode anything (§12.5.3 allows any coding, but no browser omits the field).
     */
    static AcceptEncoding parse(String field) {
        if (field == null) {
            return IDENTITY_ONLY;
        }
        int br = UNSET;
        int gzip = UNSET;
        int identity = UNSET;
        int star = UNSET;
        int length = field.length();
        for (int start = 0; start < length; ) {
            int end = field.indexOf(',', start);
            if (end < 0) {
                end = length;
            }
            int semicolon = field.indexOf(';', start);
            int nameEnd = semicolon >= 0 && semicolon < end ? semicolon : end;
            int from = OptionalWhitespace.skip(field, start, nameEnd);
            int to = OptionalWhitespace.trim(field, from, nameEnd);
            int quality = nameEnd < end ? quality(field, nameEnd + 1, end) : 1000;
            if (to > from && quality >= 0) {
                // The first mention of a coding counts; a client repeating one is confused either way.
                if (is(field, from, to, "br")) {
                    br = br == UNSET ? quality : br;
                } else if (is(field, from, to, "gzip") || is(field, from, to, "x-gzip")) {
                    gzip = gzip == UNSET ? quality : gzip;
                } else if (is(field, from, to, "identity")) {
                    identity = identity == UNSET ? quality : identity;
                } else if (is(field, from, to, "*")) {
                    star = star == UNSET ? quality : star;
                }
            }
            start = end + 1;
        }
        return new AcceptEncoding(
                br != UNSET ? br : Math.max(star, 0),
                gzip != UNSET ? gzip : Math.max(star, 0),
                identity != UNSET ? identity : star != UNSET ? star : IMPLICIT_IDENTITY);
    }

    int quality(ContentCoding coding) {
        return switch (coding) {
            case BR -> br;
            case GZIP -> gzip;
            case IDENTITY -> identity;
        };
    }

    /**
     * The acceptable codings, best first: by quality, then in {@link ContentCoding}'s order, so br
     * beats gzip and both beat identity at equal quality. At most three, so an array, not a sort.
     */
    ContentCoding[] preferred() {
        ContentCoding[] order = new ContentCoding[3];
        int count = 0;
        for (ContentCoding coding : ContentCoding.values()) {
            int quality = quality(coding);
            if (quality <= 0) {
                continue;
            }
            int at = count;
            while (at > 0 && quality(order[at - 1]) < quality) {
                order[at] = order[at - 1];
                at--;
            }
            order[at] = coding;
            count++;
        }
        return count == 3 ? order : java.util.Arrays.copyOf(order, count);
    }

    /**
     * The quality of the parameters {@code ;q=0.5} between {@code from} and {@code end}, in
     * thousandths: 1000 without a {@code q}, -1 if the value is not a qvalue ({@code 0.5x}, {@code 2}).
     */
    private static int quality(String field, int from, int end) {
        int quality = 1000;
        for (int start = from; start < end; ) {
            int semicolon = field.indexOf(';', start);
            int paramEnd = semicolon >= 0 && semicolon < end ? semicolon : end;
            int name = OptionalWhitespace.skip(field, start, paramEnd);
            if (name + 1 < paramEnd && (field.charAt(name) == 'q' || field.charAt(name) == 'Q') && field.charAt(name + 1) == '=') {
                quality = qvalue(field, name + 2, OptionalWhitespace.trim(field, name + 2, paramEnd));
            }
            start = paramEnd + 1;
        }
        return quality;
    }

    /** {@code qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )} (RFC 9110 §12.4.2), or -1. */
    private static int qvalue(String field, int from, int to) {
        if (from >= to || (field.charAt(from) != '0' && field.charAt(from) != '1')) {
            return -1;
        }
        int whole = field.charAt(from) - '0';
        if (from + 1 == to) {
            return whole * 1000;
        }
        if (field.charAt(from + 1) != '.' || to - from - 2 > 3) {
            return -1;
        }
        int thousandths = 0;
        int scale = 100;
        for (int i = from + 2; i < to; i++, scale /= 10) {
            char c = field.charAt(i);
            if (c < '0' || c > '9' || (whole == 1 && c != '0')) {
                return -1;
            }
            thousandths += (c - '0') * scale;
        }
        return whole * 1000 + thousandths;
    }

    private static boolean is(String field, int from, int to, String token) {
        return to - from == token.length() && field.regionMatches(true, from, token, 0, token.length());
    }
}
