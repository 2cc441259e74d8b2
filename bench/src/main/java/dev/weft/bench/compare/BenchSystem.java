package dev.weft.bench.compare;

import dev.weft.Weft;

/**
 * One of the systems compared: Weft, or Java threads of a kind with a kind of rendezvous, named as
 * in the report ({@code weft}, {@code vthreads-lock}, {@code threads-sq}, ...). Workloads with no
 * channels take the names without a channel suffix ({@code vthreads}, {@code threads}).
 *
 * <pre>{@code
 * BenchSystem s = BenchSystem.parse("vthreads-sq");
 * }</pre>
 */
final class BenchSystem {
  /** Null for Weft. */
  final ThreadKind threads;

  /** Null for Weft and for workloads without channels. */
  final ChannelKind channel;

  private BenchSystem(ThreadKind threads, ChannelKind channel) {
    this.threads = threads;
    this.channel = channel;
  }

  /**
   * Reads a system name.
   *
   * @throws IllegalArgumentException naming the systems there are
   */
  static BenchSystem parse(String name) {
    if (name.equals("weft")) {
      return new BenchSystem(null, null);
    }
    for (ThreadKind t : ThreadKind.values()) {
      if (name.equals(t.label)) {
        return new BenchSystem(t, null);
      }
      for (ChannelKind c : ChannelKind.values()) {
        if (name.equals(t.label + "-" + c.label)) {
          return new BenchSystem(t, c);
        }
      }
    }
    throw new IllegalArgumentException(
        "unknown system '"
            + name
            + "': use weft, threads, vthreads, or threads-/vthreads- followed by lock or sq");
  }

  boolean isWeft() {
    return threads == null;
  }

  /**
   * The channel to use.
   *
   * @throws IllegalArgumentException when the name did not say which
   */
  ChannelKind channel() {
    if (channel == null) {
      throw new IllegalArgumentException(
          "this workload needs a channel: name the system " + threads.label + "-lock or -sq");
    }
    return channel;
  }

  /** The parallelism this system runs with in this JVM. */
  int parallelism() {
    return isWeft() ? Weft.maxProcs() : threads.parallelism();
  }

  @Override
  public String toString() {
    return isWeft() ? "weft" : threads.label + (channel == null ? "" : "-" + channel.label);
  }
}
