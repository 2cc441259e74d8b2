package dev.weft.bench.compare;

/**
 * The two rendezvous Java threads can use: which is faster depends on the JDK and the scheduler, so
 * the comparisons run both, as the anchor figures did.
 *
 * <pre>{@code
 * ThreadChannel<Object> ch = ChannelKind.SQ.make();
 * }</pre>
 */
enum ChannelKind {
  /** A {@link java.util.concurrent.locks.ReentrantLock} with conditions. */
  LOCK("lock") {
    @Override
    <T> ThreadChannel<T> make() {
      return new LockRendezvous<>();
    }
  },
  /** A {@link java.util.concurrent.SynchronousQueue}. */
  SQ("sq") {
    @Override
    <T> ThreadChannel<T> make() {
      return new SynchronousChannel<>();
    }
  };

  /** The suffix in system names, as in {@code vthreads-lock}. */
  final String label;

  ChannelKind(String label) {
    this.label = label;
  }

  /** A new, open, empty channel. */
  abstract <T> ThreadChannel<T> make();
}
