package dev.weft.core;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Worker threads do not inherit the class loader of the code that happened to start them: a web
 * application that starts Weft must not be kept in memory by Weft's workers after it is undeployed.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public class WorkerContextLoaderTest {
  /** Threads made by the code of a dropped loader; kept alive as the scheduler keeps its workers. */
  private static final List<Thread> MADE = new ArrayList<>();

  @Test
  void aWorkerGetsTheSystemClassLoaderNotItsCreatorsContextLoader() {
    ClassLoader app = new ClassLoader(null) {};
    Thread t = Thread.currentThread();
    ClassLoader before = t.getContextClassLoader();
    t.setContextClassLoader(app);
    try {
      Worker w = newWorker();
      assertSame(ClassLoader.getSystemClassLoader(), w.getContextClassLoader());
      Thread m = Scheduler.get().monitor.newThread();
      assertSame(ClassLoader.getSystemClassLoader(), m.getContextClassLoader());
    } finally {
      t.setContextClassLoader(before);
    }
  }

  @Test
  void aDroppedLoaderThatStartedWorkersCanBeCollected() throws Exception {
    ReferenceQueue<ClassLoader> collected = new ReferenceQueue<>();
    WeakReference<ClassLoader> dropped = startWorkersFromADroppedLoader(collected);
    // Waits on the reference queue, which the collector fills once the loader is unreachable.
    for (int i = 0; i < 50; i++) {
      System.gc();
      if (collected.remove(100) != null) {
        break;
      }
    }
    assertNull(dropped.get(), "a worker made by the dropped loader's code still keeps it alive");
  }

  /** Loads {@link Starter} in a loader of its own, which then makes workers as its context loader. */
  private static WeakReference<ClassLoader> startWorkersFromADroppedLoader(
      ReferenceQueue<ClassLoader> collected) throws Exception {
    ClassLoader app =
        new OneClassLoader(WorkerContextLoaderTest.class.getClassLoader(), Starter.class);
    Thread t = Thread.currentThread();
    ClassLoader before = t.getContextClassLoader();
    t.setContextClassLoader(app);
    try {
      @SuppressWarnings("unchecked")
      Supplier<Object> starter =
          (Supplier<Object>) app.loadClass(Starter.class.getName()).getConstructor().newInstance();
      starter.get();
    } finally {
      t.setContextClassLoader(before);
    }
    return new WeakReference<>(app, collected);
  }

  /** Called by {@link Starter} from inside the dropped loader's code. */
  public static void makeThreads() {
    synchronized (MADE) {
      MADE.add(newWorker());
      MADE.add(Scheduler.get().monitor.newThread());
    }
  }

  private static Worker newWorker() {
    return Scheduler.get().makeWorker(10_000); // made as the scheduler makes one, never started
  }

  /** Stands for a web application's code: it is what starts the workers. */
  public static final class Starter implements Supplier<Object> {
    public Starter() {}

    @Override
    public Object get() {
      makeThreads();
      return null;
    }
  }
}
