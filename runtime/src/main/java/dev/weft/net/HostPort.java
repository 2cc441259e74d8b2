package dev.weft.net;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * A parsed {@code "host:port"}, {@code "[v6]:port"} or {@code ":port"} address, as Go's
 * net.SplitHostPort reads it. Parsing never touches the network; {@link #resolve} does.
 */
final class HostPort {
  /** The host, without brackets; empty for ":port". */
  final String host;

  final int port;

  private final String address;

  private HostPort(String address, String host, int port) {
    this.address = address;
    this.host = host;
    this.port = port;
  }

  /**
   * Splits and checks an address.
   *
   * @throws IllegalArgumentException naming the address and what is wrong with it
   */
  static HostPort parse(String address) {
    if (address == null) {
      throw new IllegalArgumentException("address is null; use \"host:port\", \"[::1]:port\" or \":port\"");
    }
    String host;
    String port;
    if (address.startsWith("[")) {
      int end = address.indexOf(']');
      if (end < 0) {
        throw bad(address, "missing ']'");
      }
      if (end + 1 >= address.length() || address.charAt(end + 1) != ':') {
        throw bad(address, "missing port after ']'");
      }
      host = address.substring(1, end);
      port = address.substring(end + 2);
      if (host.indexOf(':') < 0 || !isIpv6Literal(host)) {
        throw bad(address, "\"" + host + "\" in brackets is not an IPv6 address");
      }
    } else {
      int colon = address.lastIndexOf(':');
      if (colon < 0) {
        throw bad(address, "missing port");
      }
      host = address.substring(0, colon);
      port = address.substring(colon + 1);
      if (host.indexOf(':') >= 0) {
        throw bad(address, "too many colons (write an IPv6 address in brackets: \"[::1]:80\")");
      }
      if (!isHostName(host)) {
        throw bad(address, "\"" + host + "\" is not a host name or IPv4 address");
      }
    }
    return new HostPort(address, host, parsePort(address, port));
  }

  private static int parsePort(String address, String port) {
    if (port.isEmpty() || port.length() > 5) {
      throw bad(address, "bad port \"" + port + "\"");
    }
    int p = 0;
    for (int i = 0; i < port.length(); i++) {
      char c = port.charAt(i);
      if (c < '0' || c > '9') {
        throw bad(address, "bad port \"" + port + "\"");
      }
      p = p * 10 + (c - '0');
    }
    if (p > 65535) {
      throw bad(address, "port " + p + " out of range 0-65535");
    }
    return p;
  }

  private static boolean isHostName(String host) {
    for (int i = 0; i < host.length(); i++) {
      char c = host.charAt(i);
      boolean ok =
          c >= 'a' && c <= 'z'
              || c >= 'A' && c <= 'Z'
              || c >= '0' && c <= '9'
              || c == '-'
              || c == '.'
              || c == '_';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private static boolean isIpv6Literal(String host) {
    int zone = host.indexOf('%'); // fe80::1%eth0: anything may follow the '%'
    int end = zone < 0 ? host.length() : zone;
    for (int i = 0; i < end; i++) {
      char c = host.charAt(i);
      boolean ok =
          c >= '0' && c <= '9'
              || c >= 'a' && c <= 'f'
              || c >= 'A' && c <= 'F'
              || c == ':'
              || c == '.';
      if (!ok) {
        return false;
      }
    }
    try {
      InetAddress.getByName(host); // a literal: parsed, never looked up
      return true;
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static IllegalArgumentException bad(String address, String why) {
    return new IllegalArgumentException("address \"" + address + "\": " + why);
  }

  /** The addresses to dial, in the resolver's order; an empty host is this machine's loopback. */
  InetSocketAddress[] resolveAll() throws UnknownHostException {
    InetAddress[] all =
        host.isEmpty()
            ? new InetAddress[] {InetAddress.getLoopbackAddress()}
            : InetAddress.getAllByName(host);
    InetSocketAddress[] out = new InetSocketAddress[all.length];
    for (int i = 0; i < all.length; i++) {
      out[i] = new InetSocketAddress(all[i], port);
    }
    return out;
  }

  /** The address to bind: every interface for an empty host. */
  InetSocketAddress resolveForListen() throws UnknownHostException {
    return host.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(InetAddress.getByName(host), port);
  }

  /** {@code 127.0.0.1:80}, {@code [::1]:80}; {@code ?} while unknown. */
  static String format(InetSocketAddress a) {
    if (a == null) {
      return "?";
    }
    String h = a.getAddress() != null ? a.getAddress().getHostAddress() : a.getHostString();
    return (h.indexOf(':') >= 0 ? "[" + h + "]" : h) + ":" + a.getPort();
  }

  @Override
  public String toString() {
    return address;
  }
}
