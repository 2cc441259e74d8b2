package dev.weft.net;

import dev.weft.Suspendable;
import dev.weft.core.PollDesc;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;

/**
 * TCP listen and dial, as Go's {@code net.Listen("tcp", ...)} and {@code net.Dial}. Addresses are
 * {@code "host:port"}, {@code "[::1]:port"} for IPv6, or {@code ":port"} for every interface (to
 * listen) or this machine (to dial); port 0 lets the system pick one when listening.
 *
 * <pre>{@code
 * Listener l = Net.listen("127.0.0.1:0");
 * Weft.go(() -> {
 *   try (Conn c = l.accept()) {
 *     byte[] buf = new byte[512];
 *     for (int n; (n = c.read(buf, 0, buf.length)) > 0; ) c.write(buf, 0, n);   // echo
 *   }
 * });
 * try (Conn c = Net.dial("127.0.0.1:" + l.address().getPort())) { ... }
 * }</pre>
 *
 * A host name is resolved by the JDK's resolver, which blocks the calling thread (a fiber's worker
 * is then replaced by a compensating one, as for any blocking call); addresses in digits never
 * touch the resolver.
 */
public final class Net {
  /** Go asks the system for its largest backlog; Linux caps it at net.core.somaxconn. */
  private static final int BACKLOG = 65_535;

  private Net() {}

  /**
   * Binds and listens at once.
   *
   * <pre>{@code
   * Listener l = Net.listen(":8080");          // every interface, IPv4 and IPv6
   * Listener t = Net.listen("127.0.0.1:0");    // loopback, a port the system picks
   * }</pre>
   *
   * @throws IllegalArgumentException when the address or port does not parse (the message names
   *     it)
   * @throws java.net.UnknownHostException when the host does not resolve
   * @throws IOException when binding fails (the port is in use, say)
   */
  public static Listener listen(String address) throws IOException {
    HostPort hp = HostPort.parse(address);
    InetSocketAddress at = hp.resolveForListen();
    ServerSocketChannel ch = ServerSocketChannel.open();
    try {
      ch.setOption(StandardSocketOptions.SO_REUSEADDR, true); // as Go: rebind after a restart
      ch.bind(at, BACKLOG);
      ch.configureBlocking(false);
      return new Listener(ch);
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  /**
   * Connects to {@code address}, trying each of the host's addresses in turn.
   *
   * <pre>{@code
   * Conn c = Net.dial("[::1]:8080");
   * }</pre>
   *
   * @throws IllegalArgumentException when the address or port does not parse
   * @throws java.net.UnknownHostException when the host does not resolve
   * @throws java.net.ConnectException when the connection is refused
   */
  @Suspendable
  public static Conn dial(String address) throws IOException {
    return dialUntil(HostPort.parse(address), PollDesc.NO_DEADLINE);
  }

  /**
   * As {@link #dial(String)}, giving up after {@code timeout} (for all of the host's addresses
   * together).
   *
   * <pre>{@code
   * Conn c = Net.dial("10.0.0.7:5432", Duration.ofSeconds(2));
   * }</pre>
   *
   * @throws SocketTimeoutException when the time runs out
   */
  @Suspendable
  public static Conn dial(String address, Duration timeout) throws IOException {
    HostPort hp = HostPort.parse(address);
    if (timeout == null) {
      throw new NullPointerException("Net.dial: timeout is null; use dial(address) for none");
    }
    long nanos;
    try {
      nanos = timeout.toNanos();
    } catch (ArithmeticException e) {
      nanos = timeout.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
    return dialUntil(hp, Deadlines.after(System.nanoTime(), Deadlines.clamp(nanos)));
  }

  @Suspendable
  private static Conn dialUntil(HostPort hp, long deadline) throws IOException {
    InetSocketAddress[] targets = hp.resolveAll();
    IOException last = null;
    for (InetSocketAddress to : targets) {
      SocketChannel ch =
          SocketChannel.open(
              to.getAddress() instanceof Inet6Address
                  ? StandardProtocolFamily.INET6
                  : StandardProtocolFamily.INET);
      Conn c;
      try {
        ch.configureBlocking(false);
        ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
        c = new Conn(ch, to);
      } catch (IOException | RuntimeException e) {
        ch.close();
        throw e;
      }
      try {
        c.poll().setDeadline(PollDesc.WRITE, deadline);
        c.connect(to);
        c.poll().setDeadline(PollDesc.WRITE, PollDesc.NO_DEADLINE);
        return c;
      } catch (SocketTimeoutException e) {
        c.close();
        throw new SocketTimeoutException("dial " + hp + ": connect timed out");
      } catch (ConnectException e) {
        c.close();
        last = new ConnectException("dial " + hp + ": " + e.getMessage());
      } catch (IOException e) {
        c.close();
        last = e;
      } catch (RuntimeException | Error e) {
        c.close();
        throw e;
      }
    }
    throw last;
  }
}
