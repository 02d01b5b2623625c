package dev.pier.config;

import static java.lang.annotation.ElementType.ANNOTATION_TYPE;
import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;
import java.time.Duration;
import java.util.function.Function;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.util.unit.DataSize;

/**
 * The range, bounds included, of a {@link Duration} or {@link DataSize} setting, the bounds written
 * as the setting would be ({@code "1ms"}, {@code "16B"}). {@code null} passes: {@code @NotNull}
 * decides whether a value may be missing. The violation states what is allowed, e.g.
 * {@code must be at least 1ms} or {@code must be between 0B and 2147483639B}, which Boot's failure
 * analysis prints beside the key and the value.
 */
@Documented
@Target({FIELD, METHOD, PARAMETER, ANNOTATION_TYPE})
@Retention(RUNTIME)
@Constraint(validatedBy = {InRange.DurationInRange.class, InRange.DataSizeInRange.class})
public @interface InRange {

    /** Smallest value allowed: {@code "0s"} or {@code "0B"} where zero means something, else the least that does. */
    String min();

    /** Largest value allowed, or empty for no bound. */
    String max() default "";

    /** Empty: the message states the range. */
    String message() default "";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    /** For {@link Duration}s, with bounds in any form Spring binds ({@code 20s}, {@code PT20S}). */
    final class DurationInRange extends Bounds<Duration> {

        public DurationInRange() {
            super(DurationStyle::detectAndParse);
        }
    }

    /** For {@link DataSize}s, with bounds such as {@code 16B} or {@code 8KB}. */
    final class DataSizeInRange extends Bounds<DataSize> {

        public DataSizeInRange() {
            super(DataSize::parse);
        }
    }

    abstract class Bounds<T extends Comparable<T>> implements ConstraintValidator<InRange, T> {

        private final Function<String, T> parser;
        private T min;
        private T max;
        private String allowed;

        Bounds(Function<String, T> parser) {
            this.parser = parser;
        }

        @Override
        public void initialize(InRange range) {
            min = parser.apply(range.min());
            max = range.max().isEmpty() ? null : parser.apply(range.max());
            if (!range.message().isEmpty()) {
                allowed = null;
            } else if (max == null) {
                allowed = "must be at least " + range.min();
            } else {
                allowed = "must be between " + range.min() + " and " + range.max();
            }
        }

        @Override
        public boolean isValid(T value, ConstraintValidatorContext context) {
            if (value == null || (value.compareTo(min) >= 0 && (max == null || value.compareTo(max) <= 0))) {
                return true;
            }
            if (allowed != null) {
                context.disableDefaultConstraintViolation();
                context.buildConstraintViolationWithTemplate(allowed).addConstraintViolation();
            }
            return false;
        }
    }
}
