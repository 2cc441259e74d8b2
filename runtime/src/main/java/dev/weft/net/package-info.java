/**
 * TCP for fibers, after Go's {@code net} package: {@code Net.listen}, {@code Net.dial}, {@code
 * Listener} and {@code Conn}. A fiber blocked in accept, connect, read or write waits on the
 * socket's readiness and holds no worker thread; plain threads may use the same calls and block.
 *
 * <pre>{@code
 * Listener l = Net.listen("127.0.0.1:0");
 * Weft.go(() -> { try (Conn c = l.accept()) { c.write("hi\n".getBytes(UTF_8)); } });
 * }</pre>
 */
package dev.weft.net;
