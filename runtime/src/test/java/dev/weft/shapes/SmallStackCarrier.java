package dev.weft.shapes;

import dev.weft.frame.Carrier;
import dev.weft.frame.FrameStack;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A carrier thread with a small stack, running one body as a fiber's entry frame would be run
 * (armed, for a static entry method), without a scheduler: for tests that overflow the stack on
 * purpose, which the workers' 1 GB stacks would make take minutes. Nothing can resume here, so a
 * body must not suspend; a suspension it starts leaves {@link #modeAfter} at {@code UNWINDING}.
 *
 * <pre>{@code
 * SmallStackCarrier.run(() -> recurseUntilOverflow());
 * }</pre>
 */
final class SmallStackCarrier extends Carrier {
  /** Small, so that an overflow comes after a few thousand frames. */
  static final long STACK_BYTES = 256 * 1024;

  private final Runnable body;
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private int modeAfter;

  private SmallStackCarrier(Runnable body) {
    super(null, "small-stack-carrier", STACK_BYTES);
    this.body = body;
    this.frames = new FrameStack() {};
  }

  @Override
  public void run() {
    frames.mode = FrameStack.ARMED;
    frames.armedFor = null;
    try {
      body.run();
    } catch (Throwable t) {
      failure.set(t);
    }
    modeAfter = frames.mode;
  }

  /**
   * Runs {@code body} on a new small-stack carrier and waits for it.
   *
   * @return the frame stack's mode when the body returned or threw
   * @throws Throwable what the body threw
   */
  static int run(Runnable body) throws Throwable {
    SmallStackCarrier c = new SmallStackCarrier(body);
    c.start();
    c.join();
    if (c.failure.get() != null) {
      throw c.failure.get();
    }
    return c.modeAfter;
  }
}
