package dev.pier.config;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import dev.pier.http.PathPattern;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A path pattern as {@link PathPattern} compiles it, checked when the settings bind so that a
 * mistake is reported with its key instead of failing later in the handler's constructor.
 */
@Documented
@Constraint(validatedBy = AntPattern.Validator.class)
@Target({ElementType.TYPE_USE, ElementType.FIELD, ElementType.PARAMETER})
@Retention(RetentionPolicy.RUNTIME)
public @interface AntPattern {

    String message() default "must be a path pattern starting with /, with ** only as a whole segment, as in /assets/**";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    /** Null is left to {@code @NotNull}. */
    class Validator implements ConstraintValidator<AntPattern, String> {

        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            if (value == null) {
                return true;
            }
            try {
                PathPattern.compile(value);
                return true;
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
    }
}
