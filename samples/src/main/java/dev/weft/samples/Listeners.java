package dev.weft.samples;

import dev.weft.net.Listener;
import dev.weft.net.Net;
import java.io.IOException;

/** Opens the listener a network sample was asked for, turning a bad address into a usage error. */
final class Listeners {
  private Listeners() {}

  static Listener open(String address) throws IOException, UsageException {
    try {
      return Net.listen(address);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }
}
