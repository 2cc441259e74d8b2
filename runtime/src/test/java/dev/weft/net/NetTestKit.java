package dev.weft.net;

import java.time.Duration;
import dev.weft.Eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Suspendable;
import dev.weft.Weft;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.IntSupplier;

/**
 * What the network tests share: echo loops, and the leak check that every test ends with (open
 * file descriptors and live fibers back at their count from before the test).
 */
final class NetTestKit {
  private NetTestKit() {}

  /** Open file descriptors of this process. */
  static int openFds() {
    String[] fds = new File("/proc/self/fd").list();
    return fds == null ? -1 : fds.length;
  }

  /** What each descriptor is, for a failure message. */
  static String fdTargets() {
    StringBuilder b = new StringBuilder();
    String[] fds = new File("/proc/self/fd").list();
    for (String fd : fds == null ? new String[0] : fds) {
      try {
        b.append(fd).append("->").append(java.nio.file.Files.readSymbolicLink(new File("/proc/self/fd/" + fd).toPath())).append(' ');
      } catch (IOException e) {
        b.append(fd).append("->? ");
      }
    }
    return b.toString();
  }

  private static boolean warmedUp;

  private static synchronized boolean warmUp() {
    if (!warmedUp) {
      try {
        Net.listen("127.0.0.1:0").close();
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      warmedUp = true;
    }
    return true;
  }

  /** The counts to come back to. */
  static final class Baseline {
    // Made once per process: the poller's selector (an epoll descriptor and its wake-up
    // descriptor), and the JDK's socket that it dup2s over a socket closed while registered.
    private final boolean warm = warmUp();
    final int fds = openFds();
    final int fibers = Weft.numFibers();

    /**
     * Waits (bounded) until descriptors and fibers are back at the baseline, then asserts it: a
     * closed socket's descriptor is released by the poller's next select, a fiber ends after its
     * socket's close wakes it, so both may take a moment.
     */
    void assertNoLeak() throws InterruptedException {
      // Judged by the count that came back, not by a second count: the JDK opens descriptors of
      // its own for an instant now and then (the process held one more socket for a moment in
      // one run, between a count that was back at the baseline and the next), and a leaked one
      // never comes back within the bound.
      boolean fdsBack = waitFor(() -> openFds() - fds);
      waitFor(() -> Weft.numFibers() - fibers);
      assertEquals(fibers, Weft.numFibers(), "live fibers after the test\n" + Weft.dumpFibers());
      // Fewer is no leak: a socket closed just before the baseline may have been released since.
      assertTrue(fdsBack, () -> "open file descriptors: " + fds + " before the test, " + openFds() + " after: " + fdTargets());
    }

    private static boolean waitFor(IntSupplier excess) {
      return Eventually.until(() -> excess.getAsInt() <= 0, Duration.ofSeconds(10));
    }
  }

  /** Weft.call, with a checked exception thrown as itself rather than in a CompletionException. */
  static <V> V call(dev.weft.SuspendableCallable<V> main) throws Exception {
    try {
      return Weft.call(main);
    } catch (java.util.concurrent.CompletionException e) {
      if (e.getCause() instanceof Exception) {
        throw (Exception) e.getCause();
      }
      throw e;
    }
  }

  /** Echoes until end of stream, then closes. */
  @Suspendable
  static void echo(Conn c) throws IOException {
    try (c) {
      ByteBuffer buf = ByteBuffer.allocate(4096);
      while (c.read(buf) > 0) {
        buf.flip();
        c.write(buf);
        buf.clear();
      }
    }
  }

  /** Reads exactly {@code n} bytes. */
  @Suspendable
  static String readN(Conn c, int n) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(n);
    while (buf.hasRemaining()) {
      if (c.read(buf) < 0) {
        throw new IOException("end of stream after " + buf.position() + " of " + n + " bytes");
      }
    }
    return new String(buf.array(), StandardCharsets.UTF_8);
  }

  /** Reads until end of stream. */
  @Suspendable
  static String readAll(Conn c) throws IOException {
    StringBuilder b = new StringBuilder();
    ByteBuffer buf = ByteBuffer.allocate(1024);
    while (c.read(buf) > 0) {
      b.append(new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8));
      buf.clear();
    }
    return b.toString();
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static String addr(Listener l) {
    return HostPort.format(l.address());
  }
}
