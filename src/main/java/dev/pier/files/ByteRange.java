package dev.pier.files;

/**
 * One satisfiable range of a file's bytes, both ends included, as {@code Content-Range} states it.
 *
 * @param first offset of the first byte
 * @param last offset of the last byte, at least {@code first}
 */
record ByteRange(long first, long last) {

    ByteRange {
        if (first < 0 || last < first) {
            throw new IllegalArgumentException("Invalid range " + first + "-" + last);
        }
    }

    long length() {
        return last - first + 1;
    }

    /** {@code bytes 0-499/1234} */
    String contentRange(long completeLength) {
        return "bytes " + first + "-" + last + "/" + completeLength;
    }
}
