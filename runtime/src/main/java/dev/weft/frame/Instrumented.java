package dev.weft.frame;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Added by the agent to every method it rewrote, so that an error about an uninstrumented frame
 * can tell which frames on a stack were rewritten and which were not. Never written by hand.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD})
public @interface Instrumented {}
