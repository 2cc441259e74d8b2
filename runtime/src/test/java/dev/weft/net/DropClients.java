package dev.weft.net;

import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * The child process of {@link NetScaleTest}: opens {@code n} connections to a port on 127.0.0.1
 * with plain blocking sockets, says "connected" on stdout, and exits when stdin closes or says
 * anything, dropping them all at once. A process of its own, because one JVM holding both ends of
 * 10,000 connections would need more than its 20,000 file descriptors.
 */
public final class DropClients {
  private DropClients() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    int n = Integer.parseInt(args[1]);
    List<SocketChannel> held = new ArrayList<>(n);
    InetSocketAddress to = new InetSocketAddress("127.0.0.1", port);
    for (int i = 0; i < n; i++) {
      held.add(SocketChannel.open(to));
    }
    System.out.println("connected " + held.size());
    System.out.flush();
    System.in.read();
    Runtime.getRuntime().halt(0); // every socket drops at once, as a crash would
  }
}
