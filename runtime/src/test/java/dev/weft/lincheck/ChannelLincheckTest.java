package dev.weft.lincheck;

import dev.weft.Channel;
import dev.weft.ChannelClosedException;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Lincheck on a buffered channel's non-blocking operations from plain threads: every concurrent
 * history of {@code trySend}, {@code tryReceive}, {@code close}, {@code len} and {@code isClosed}
 * must be explained by some order of the same calls on {@link Spec}, a plain bounded queue. The
 * blocking operations park (a fiber or a thread), which Lincheck's Java runners cannot express;
 * they share the code checked here (the buffer, the wait queues' hand-off, close).
 */
@Param(name = "v", gen = IntGen.class, conf = "1:4")
@Timeout(value = 5, unit = TimeUnit.MINUTES)
public class ChannelLincheckTest {
  private final Channel<Integer> channel = Channel.make(2);

  @Operation
  public boolean trySend(@Param(name = "v") int v) {
    return channel.trySend(v);
  }

  @Operation
  public Integer tryReceive() {
    return channel.tryReceive();
  }

  @Operation
  public void close() {
    channel.close();
  }

  @Operation
  public int len() {
    return channel.len();
  }

  @Operation
  public boolean isClosed() {
    return channel.isClosed();
  }

  /** The sequential meaning: a bounded FIFO that can be closed once. */
  public static final class Spec {
    private final ArrayDeque<Integer> buffer = new ArrayDeque<>();
    private boolean closed;

    public boolean trySend(int v) {
      if (closed) {
        throw new ChannelClosedException("send on closed channel");
      }
      if (buffer.size() == 2) {
        return false;
      }
      return buffer.add(v);
    }

    public Integer tryReceive() {
      return buffer.poll();
    }

    public void close() {
      if (closed) {
        throw new ChannelClosedException("close of closed channel");
      }
      closed = true;
    }

    public int len() {
      return buffer.size();
    }

    public boolean isClosed() {
      return closed;
    }
  }

  @Test
  public void stress() {
    new StressOptions()
        .iterations(10)
        .invocationsPerIteration(300)
        .threads(2)
        .actorsPerThread(3)
        .sequentialSpecification(Spec.class)
        .check(ChannelLincheckTest.class);
  }

  @Test
  public void modelChecking() {
    new ModelCheckingOptions()
        .iterations(10)
        .invocationsPerIteration(100)
        .threads(2)
        .actorsPerThread(3)
        .sequentialSpecification(Spec.class)
        .check(ChannelLincheckTest.class);
  }
}
