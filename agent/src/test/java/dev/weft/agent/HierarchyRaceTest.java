package dev.weft.agent;

import static dev.weft.agent.GeneratedClass.aClass;
import static dev.weft.agent.GeneratedClass.anInterface;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.weft.agent.hierarchy.SuspendablesList;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two class-loading threads asking the hierarchy at once, made deterministic by a loader that
 * holds the first thread inside a resource read while the second one asks.
 */
class HierarchyRaceTest {
  private final WeftTransformer transformer = new WeftTransformer(null, true, true);
  private final ExecutorService pool = Executors.newFixedThreadPool(2);
  private final CountDownLatch inside = new CountDownLatch(1);
  private final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  void stop() {
    release.countDown();
    pool.shutdownNow();
  }

  /** Holds the first thread that asks for {@code resource} until the test releases it. */
  private void holdFirstRead(GeneratedLoader loader, String resource) {
    AtomicBoolean first = new AtomicBoolean(true);
    loader.onResource =
        r -> {
          if (r.equals(resource) && first.compareAndSet(true, false)) {
            inside.countDown();
            try {
              release.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
        };
  }

  private byte[] transform(GeneratedLoader loader, String name) {
    return transformer.transform(loader, name, null, null, loader.bytes(name));
  }

  private static boolean rewritten(byte[] bytes, String method) {
    return bytes != null && ClassFiles.instrumented(bytes).get(method);
  }

  @Test
  @Timeout(60)
  void aQuestionBeingAnsweredIsNeverSeenAsNotSuspendable() throws Exception {
    GeneratedLoader loader =
        new GeneratedLoader(transformer, true)
            .add(anInterface("race/Top").abstractMethod("run", "()V", true))
            .add(aClass("race/Mid", "java/lang/Object", "race/Top").method("other", "()V", true))
            .add(aClass("race/SubA", "race/Mid").method("run", "()V", false))
            .add(aClass("race/SubB", "race/Mid").method("run", "()V", false));
    holdFirstRead(loader, "race/Top.class");
    Future<byte[]> subA = pool.submit(() -> transform(loader, "race/SubA"));
    assertTrue(inside.await(30, SECONDS), "SubA's question reaches Top");
    // SubA's thread is now deciding whether Mid.run is suspendable, and is reading Top.
    byte[] subB = pool.submit(() -> transform(loader, "race/SubB")).get(30, SECONDS);
    release.countDown();
    assertTrue(rewritten(subA.get(30, SECONDS), "run()V"));
    assertTrue(
        rewritten(subB, "run()V"),
        "SubB.run overrides Top.run while another thread decides the same question: rewrite it");
  }

  @Test
  @Timeout(60)
  void anAnswerComputedAgainstOldListsIsNotKeptAfterANewList(@TempDir Path dir) throws Exception {
    GeneratedLoader app =
        new GeneratedLoader(transformer, true)
            .add(aClass("race/Base", "java/lang/Object").method("run", "()V", false))
            .add(aClass("race/SubX", "race/Base").method("run", "()V", false))
            .add(aClass("race/SubY1", "race/SubX").method("run", "()V", false))
            .add(aClass("race/SubY2", "race/SubX").method("run", "()V", false));
    Path list = dir.resolve("suspendables");
    Files.write(list, "race.SubX#run\n".getBytes(StandardCharsets.UTF_8));
    GeneratedLoader lib =
        new GeneratedLoader(transformer, true).add(aClass("race/Plain", "java/lang/Object"));
    lib.suspendables = list.toUri().toURL();

    holdFirstRead(app, "race/Base.class");
    Future<byte[]> first = pool.submit(() -> transform(app, "race/SubY1"));
    assertTrue(inside.await(30, SECONDS), "SubY1's question reaches Base");
    // While SubY1's thread decides, with the lists as they were, a loader brings a new list.
    transform(lib, "race/Plain");
    release.countDown();
    first.get(30, SECONDS); // decided against the old lists: either answer is fine for it
    assertTrue(
        rewritten(transform(app, "race/SubY2"), "run()V"),
        "SubX.run is listed now: its overrides are suspendable");
  }

  @Test
  @Timeout(60)
  void listsOfANewLoaderAreReadOutsideAnyLockOtherLoadersNeed() throws Exception {
    GeneratedLoader slow =
        new GeneratedLoader(transformer, true).add(aClass("race/Slow", "java/lang/Object"));
    GeneratedLoader other =
        new GeneratedLoader(transformer, true)
            .add(aClass("race/Quick", "java/lang/Object").method("go", "()V", true));
    holdFirstRead(slow, SuspendablesList.RESOURCE);
    Future<byte[]> held = pool.submit(() -> transform(slow, "race/Slow"));
    assertTrue(inside.await(30, SECONDS), "the slow loader's lists are being read");
    Future<byte[]> quick = pool.submit(() -> transform(other, "race/Quick"));
    try {
      assertTrue(rewritten(quick.get(30, SECONDS), "go()V"));
    } catch (TimeoutException e) {
      fail("a class of another loader waited for the slow loader's list to be read");
    }
    release.countDown();
    held.get(30, SECONDS);
  }
}
