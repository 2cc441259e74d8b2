package dev.weft.io;

import dev.weft.Suspendable;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A sink of bytes whose writes suspend the calling fiber while the sink cannot take more,
 * instead of blocking its worker.
 *
 * <pre>{@code
 * Writer out = conn;                      // a dev.weft.net.Conn is a Writer
 * out.write(ByteBuffer.wrap("hello\n".getBytes(StandardCharsets.UTF_8)));
 * }</pre>
 *
 * <p>On a plain thread a write blocks the thread.
 */
public interface Writer {
  /**
   * Writes every remaining byte of {@code src}; returns when all of them were handed on.
   *
   * @throws IOException if the sink is closed or fails; bytes handed on before the failure stay
   *     handed on
   */
  @Suspendable
  void write(ByteBuffer src) throws IOException;
}
