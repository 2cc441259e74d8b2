package dev.weft.modes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Suspendable;
import dev.weft.Weft;
import dev.weft.frame.UninstrumentedFrameError;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The thorough mode, run with {@code -Dweft.checkPath=true}: a suspension below a frame that was
 * not rewritten but that the armed bit cannot see. A hidden class, which the agent never sees,
 * overrides a rewritten method and calls it on {@code this} with {@code super}: the rewritten
 * method's receiver is the very object its caller armed the call for, so the hidden frame in
 * between goes unnoticed. Without the walk the suspension goes through and the hidden frame runs
 * again on resume; with it, the suspension is refused before anything is saved, naming that frame.
 */
@Timeout(60)
class PathCheckModeTest {

  /** How many times {@link Plain#work} started, in the hidden copy of it. */
  static final AtomicInteger PLAIN_CALLS = new AtomicInteger();

  public static class Base {
    @Suspendable
    public int work(int x) {
      Weft.gosched();
      return x + 1;
    }
  }

  /** Never loaded under its own name: its class file is defined as a hidden class. */
  public static class Plain extends Base {
    @Override
    public int work(int x) {
      PLAIN_CALLS.incrementAndGet();
      return super.work(x);
    }
  }

  @Suspendable
  static int call(Base b) {
    int local = 1;
    return b.work(40 + local);
  }

  /** A hidden class from {@link Plain}'s class file as javac wrote it. */
  private static Base hiddenPlain() throws ReflectiveOperationException, IOException {
    byte[] bytes;
    try (InputStream in = Plain.class.getClassLoader().getResourceAsStream(
        Plain.class.getName().replace('.', '/') + ".class")) {
      bytes = in.readAllBytes();
    }
    Class<?> hidden = MethodHandles.lookup().defineHiddenClass(bytes, true).lookupClass();
    return (Base) hidden.getConstructor().newInstance();
  }

  @BeforeEach
  void resetCount() {
    PLAIN_CALLS.set(0);
  }

  @Test
  void aSuspensionBelowAHiddenFrameIsRefusedAndNothingRunsTwice() throws Exception {
    Base plain = hiddenPlain();
    UninstrumentedFrameError e =
        assertThrows(UninstrumentedFrameError.class, () -> Weft.call(() -> call(plain)));
    assertEquals(1, PLAIN_CALLS.get(), "the hidden frame ran again on resume");
    assertTrue(e.getMessage().contains("weft.checkPath"), e.getMessage());
    assertTrue(e.getMessage().contains("hidden class"), e.getMessage());
    assertTrue(e.getMessage().contains("!! " + Plain.class.getName() + "/"), e.getMessage());
  }

  @Test
  void theSameCallWithoutTheHiddenFrameStillSuspends() {
    Base direct = new Base();
    assertEquals(42, Weft.call(() -> call(direct)));
  }

  @Test
  void theFiberKeepsWorkingAfterTheRefusal() throws Exception {
    Base plain = hiddenPlain();
    Object got =
        Weft.call(
            () -> {
              try {
                call(plain);
              } catch (UninstrumentedFrameError expected) {
                // refused before anything was saved
              }
              return call(new Base());
            });
    assertEquals(42, got);
  }
}
