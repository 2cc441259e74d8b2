package dev.weft;

import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;

/**
 * A test-only stand-in for the runtime's annotation, with the same name: the agent module builds
 * before the runtime, and the agent recognises the annotation by its name alone.
 */
@Retention(RetentionPolicy.RUNTIME)
public @interface Suspendable {}
