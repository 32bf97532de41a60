package org.sluice.rest.internal.security;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.sluice.api.security.Role;

/**
 * The least role an operation needs; on a method it overrides its class. An operation with neither this nor {@link
 * Public} needs {@link Role#ADMIN}, so that forgetting the annotation fails closed.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Allow {
    Role value();
}
