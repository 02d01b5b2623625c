package dev.pier.rules;

/**
 * A rule (a redirect, a rewrite) that cannot work as written, refused at startup: which key, what it holds, and
 * one sentence saying what is wrong.
 */
public final class InvalidRuleException extends IllegalArgumentException {

    private final String property;
    private final transient Object value;

    InvalidRuleException(String property, Object value, String reason) {
        super(reason);
        this.property = property;
        this.value = value;
    }

    /** The key, as in {@code pier.redirects[2].to}. */
    public String property() {
        return property;
    }

    public Object value() {
        return value;
    }

    /** The sentence alone. */
    public String reason() {
        return getMessage();
    }
}
