package dev.weft;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method that may suspend the fiber running it.
 *
 * <p>The Weft agent rewrites every suspendable method, and every method that overrides or
 * implements one, so that a fiber blocked in a channel, a mutex or a sleep below it saves the
 * method's locals and operand stack to the fiber's heap stack, returns, and later resumes exactly
 * where it left off. A method that calls a suspendable method and may itself be on the stack when
 * the fiber suspends must be suspendable too; otherwise the suspension fails at once with an error
 * naming the method to annotate.
 *
 * <pre>{@code
 * @Suspendable
 * static void relay(Channel<String> in, Channel<String> out) {
 *   for (String s; (s = in.receive()) != null; ) out.send(s);
 * }
 * }</pre>
 *
 * <p>On a plain thread a suspendable method simply runs, and its suspensions block the thread.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Suspendable {}
