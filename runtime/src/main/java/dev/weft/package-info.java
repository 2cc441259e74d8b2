/**
 * Weft's API: fibers ({@link dev.weft.Weft#go}), channels and {@code select}, {@link
 * dev.weft.WaitGroup}, {@link dev.weft.Mutex} and timers, after Go.
 *
 * <pre>{@code
 * Weft.run(() -> {
 *   Channel<String> messages = Channel.make();
 *   Weft.go(() -> messages.send("ping"));
 *   System.out.println(messages.receive());
 * });
 * }</pre>
 *
 * A method that may block a fiber is marked {@link dev.weft.Suspendable}; the agent
 * ({@code -javaagent:weft-agent.jar}) rewrites it so that the fiber can give its worker thread back.
 */
package dev.weft;
