package dev.weft.samples;

import java.net.Inet6Address;
import java.net.InetSocketAddress;

/**
 * An address as Go prints it: {@code 127.0.0.1:8000}, {@code [::1]:8000}, without the host name
 * or the leading slash of {@link InetSocketAddress#toString}.
 *
 * <pre>{@code
 * String who = HostPort.of(conn.remoteAddress()); // "127.0.0.1:54012"
 * }</pre>
 */
public final class HostPort {
  private HostPort() {}

  /** {@code host:port}, the host in brackets when it is IPv6. */
  public static String of(InetSocketAddress a) {
    String host = a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress();
    if (a.getAddress() instanceof Inet6Address) {
      int zone = host.indexOf('%');
      host = "[" + (zone >= 0 ? host.substring(0, zone) : host) + "]";
    }
    return host + ":" + a.getPort();
  }
}
