/**
 * Internal: the scheduler, its workers and run queues, fibers, timers and the deadlock monitor.
 *
 * <p>Not API. Its classes are public only because the API package {@code dev.weft} is built on
 * them; they change without notice, and the {@code dev.weft} module does not export this package,
 * so code on the module path cannot reach it. Programs use {@link dev.weft.Weft}, {@link
 * dev.weft.Channel} and the rest of {@code dev.weft}.
 */
package dev.weft.core;
