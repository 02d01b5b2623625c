package dev.pier.http;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * An immutable, ordered list of header fields whose names compare case-insensitively
 * (RFC 9110 §5.1). Backed by two arrays: a request rarely has more than a dozen fields, so a
 * linear scan beats hashing and allocates nothing.
 */
public final class HttpHeaders {

    public static final HttpHeaders EMPTY = new HttpHeaders(new String[0], new String[0], 0);

    private final String[] names;
    private final String[] values;
    private final int size;

    private HttpHeaders(String[] names, String[] values, int size) {
        this.names = names;
        this.values = values;
        this.size = size;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder builder = new Builder();
        forEach(builder::add);
        return builder;
    }

    /** The first value of the field, or {@code null}. */
    public String first(String name) {
        for (int i = 0; i < size; i++) {
            if (names[i].equalsIgnoreCase(name)) {
                return values[i];
            }
        }
        return null;
    }

    /** Every value of the field, in order of appearance. */
    public List<String> all(String name) {
        List<String> found = null;
        for (int i = 0; i < size; i++) {
            if (names[i].equalsIgnoreCase(name)) {
                if (found == null) {
                    found = new ArrayList<>(2);
                }
                found.add(values[i]);
            }
        }
        return found == null ? List.of() : Collections.unmodifiableList(found);
    }

    public boolean contains(String name) {
        return first(name) != null;
    }

    /** Whether any value of a comma-separated list field has the token, ignoring case (e.g. {@code Connection: close}). */
    public boolean containsToken(String name, String token) {
        for (int i = 0; i < size; i++) {
            if (names[i].equalsIgnoreCase(name)) {
                for (String element : values[i].split(",")) {
                    if (element.trim().equalsIgnoreCase(token)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    public int size() {
        return size;
    }

    /** The name of the field at {@code index}, in order of appearance; for loops that must not allocate. */
    public String name(int index) {
        return names[Objects.checkIndex(index, size)];
    }

    /** The value of the field at {@code index}. */
    public String value(int index) {
        return values[Objects.checkIndex(index, size)];
    }

    public void forEach(BiConsumer<String, String> action) {
        for (int i = 0; i < size; i++) {
            action.accept(names[i], values[i]);
        }
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("[");
        forEach((name, value) -> text.append(text.length() > 1 ? ", " : "").append(name).append(": ").append(value));
        return text.append(']').toString();
    }

    /** Collects fields; not thread-safe. */
    public static final class Builder {

        private String[] names = new String[8];
        private String[] values = new String[8];
        private int size;
        /** Whether the arrays were handed to a built instance, so the next change must copy them first. */
        private boolean shared;

        private Builder() {
        }

        public Builder add(String name, String value) {
            if (size == names.length || shared) {
                names = Arrays.copyOf(names, size == names.length ? size * 2 : names.length);
                values = Arrays.copyOf(values, names.length);
                shared = false;
            }
            names[size] = name;
            values[size] = value;
            size++;
            return this;
        }

        /** The name of the field added last, for the parser's checks of one field line. */
        public String lastName() {
            return names[size - 1];
        }

        public String lastValue() {
            return values[size - 1];
        }

        /** Replaces every field of that name with one. */
        public Builder set(String name, String value) {
            remove(name);
            return add(name, value);
        }

        public Builder remove(String name) {
            if (shared) {
                names = names.clone();
                values = values.clone();
                shared = false;
            }
            int kept = 0;
            for (int i = 0; i < size; i++) {
                if (!names[i].equalsIgnoreCase(name)) {
                    names[kept] = names[i];
                    values[kept] = values[i];
                    kept++;
                }
            }
            Arrays.fill(names, kept, size, null);
            Arrays.fill(values, kept, size, null);
            size = kept;
            return this;
        }

        public boolean contains(String name) {
            for (int i = 0; i < size; i++) {
                if (names[i].equalsIgnoreCase(name)) {
                    return true;
                }
            }
            return false;
        }

        public int size() {
            return size;
        }

        /** The fields so far. Shares the builder's arrays, which the builder copies before changing them again. */
        public HttpHeaders build() {
            if (size == 0) {
                return EMPTY;
            }
            shared = true;
            return new HttpHeaders(names, values, size);
        }
    }
}
