package dev.weft.io;

import dev.weft.Suspendable;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A source of bytes whose reads suspend the calling fiber instead of blocking its worker.
 *
 * <pre>{@code
 * Reader in = conn;                       // a dev.weft.net.Conn is a Reader
 * ByteBuffer buf = ByteBuffer.allocate(4096);
 * while (in.read(buf) >= 0) { buf.flip(); consume(buf); buf.clear(); }
 * }</pre>
 *
 * <p>On a plain thread a read blocks the thread, as {@link java.io.InputStream#read} does.
 */
public interface Reader {
  /**
   * Reads into {@code dst}'s remaining space.
   *
   * @return the number of bytes read, at least 1; -1 at the end of the stream; 0 at once when
   *     {@code dst} has no room
   * @throws IOException if the source is closed or fails
   */
  @Suspendable
  int read(ByteBuffer dst) throws IOException;
}
