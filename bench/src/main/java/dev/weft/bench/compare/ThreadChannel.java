package dev.weft.bench.compare;

/**
 * The closest thing to an unbuffered Go channel that plain and virtual Java threads have, for the
 * comparisons: a rendezvous that can be closed once by its only sender.
 *
 * <pre>{@code
 * ThreadChannel<String> ch = ChannelKind.LOCK.make();
 * ch.send("hi");          // blocks until a receiver takes it
 * String s = ch.receive(); // null once closed
 * }</pre>
 */
interface ThreadChannel<T> {
  /** Hands {@code value} (not null) to a receiver, blocking until one takes it. */
  void send(T value) throws InterruptedException;

  /** Takes the next value, blocking until one is sent; null once the channel is closed. */
  T receive() throws InterruptedException;

  /** Makes receivers see null; called once, by the sender, when it has sent everything. */
  void close() throws InterruptedException;
}
