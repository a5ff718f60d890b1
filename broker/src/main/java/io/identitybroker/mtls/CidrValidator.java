package io.identitybroker.mtls;

import io.micronaut.core.annotation.AnnotationValue;
import io.micronaut.validation.validator.constraints.ConstraintValidator;
import io.micronaut.validation.validator.constraints.ConstraintValidatorContext;
import jakarta.inject.Singleton;

/** Validates {@link Cidr} by parsing the value exactly as the proxy check will. */
@Singleton
class CidrValidator implements ConstraintValidator<Cidr, String> {
    @Override
    public boolean isValid(String value, AnnotationValue<Cidr> annotation, ConstraintValidatorContext context) {
        if (value == null || value.isBlank()) {
            return true;
        }
        try {
            CidrRange.parse(value);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
