package dev.weft.conformance.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Suspendable;
import dev.weft.frame.Carrier;
import dev.weft.frame.FrameStack;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.commons.ClassRemapper;
import org.objectweb.asm.commons.SimpleRemapper;

/**
 * A fiber suspended in a method whose class is then changed: the resume enters the new version
 * at the same call-site index, but the values saved there have another layout. The two versions
 * are one class name defined in two loaders (each rewritten by the agent, as a redefinition
 * would be), and the frames are driven on a carrier of the test's own, as the scheduler would:
 * unwind through the first version, rewind through the second.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RedefinedLayoutTest {
  private static final String NAME = "gen/Parked";

  /** The first version: a long saved at the suspension. */
  static final class Before {
    @Suspendable
    static long work() {
      long n = 41;
      FrameStack.suspend();
      return n + 1;
    }
  }

  /** The second version: the same call site, a double saved there instead. */
  static final class After {
    @Suspendable
    static long work() {
      double d = 0.5;
      FrameStack.suspend();
      return (long) (d * 4);
    }
  }

  @Test
  void aResumeInTheSameVersionRestoresTheSavedValues() throws Exception {
    Method before = work(Before.class);
    assertEquals(42L, suspendThenResume(before, before));
  }

  @Test
  void aResumeInAVersionWithAnotherLayoutFailsNamingTheMethod() throws Exception {
    Throwable thrown =
        assertThrows(
            IllegalStateException.class,
            () -> {
              // Before the check, this resumed and returned 0: the long's bits read as a double.
              Object value = suspendThenResume(work(Before.class), work(After.class));
              throw new AssertionError("resumed with a wrong layout, returned " + value);
            });
    assertTrue(
        thrown.getMessage().contains("fiber stack does not match gen.Parked.work")
            && thrown.getMessage().contains("was the class changed"),
        thrown.getMessage());
  }

  /** {@code work()} of {@code version}'s bytes, renamed to one name and defined in a loader of its own. */
  private static Method work(Class<?> version) throws Exception {
    byte[] original;
    String resource = version.getName().replace('.', '/') + ".class";
    try (InputStream in = RedefinedLayoutTest.class.getClassLoader().getResourceAsStream(resource)) {
      original = in.readAllBytes();
    }
    ClassWriter w = new ClassWriter(0);
    new ClassReader(original)
        .accept(new ClassRemapper(w, new SimpleRemapper(version.getName().replace('.', '/'), NAME)), 0);
    byte[] renamed = w.toByteArray();
    ClassLoader loader =
        new ClassLoader(RedefinedLayoutTest.class.getClassLoader()) {
          @Override
          protected Class<?> findClass(String name) throws ClassNotFoundException {
            if (!name.equals(NAME.replace('/', '.'))) {
              throw new ClassNotFoundException(name);
            }
            return defineClass(name, renamed, 0, renamed.length);
          }
        };
    Method m = Class.forName(NAME.replace('/', '.'), true, loader).getDeclaredMethod("work");
    m.setAccessible(true);
    return m;
  }

  /**
   * Calls {@code first} armed on a carrier until it suspends, then re-enters {@code second}
   * rewinding, as the scheduler re-enters a fiber's entry; returns what {@code second} returned.
   */
  private static Object suspendThenResume(Method first, Method second) throws Exception {
    FutureTask<Object> task =
        new FutureTask<>(
            () -> {
              FrameStack s = FrameStack.current();
              s.armedFor = first.getDeclaringClass();
              s.mode = FrameStack.ARMED;
              first.invoke(null);
              assertEquals(FrameStack.UNWINDING, s.mode, "the first version suspended");
              s.mode = FrameStack.REWINDING;
              try {
                return second.invoke(null);
              } catch (InvocationTargetException e) {
                throw (Exception) e.getCause();
              }
            });
    TestCarrier carrier = new TestCarrier(task);
    carrier.start();
    carrier.join(TimeUnit.SECONDS.toMillis(30));
    try {
      return task.get(1, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw (Exception) e.getCause();
    }
  }

  /** A carrier thread that runs one task with a fiber stack of its own. */
  private static final class TestCarrier extends Carrier {
    private final Runnable task;

    TestCarrier(Runnable task) {
      super(null, "redefined-layout", 0);
      this.task = task;
      frames = new FrameStack() {};
    }

    @Override
    public void run() {
      task.run();
    }
  }
}
