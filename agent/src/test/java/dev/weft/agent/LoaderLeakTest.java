package dev.weft.agent;

import static dev.weft.agent.GeneratedClass.aClass;
import static dev.weft.agent.GeneratedClass.anInterface;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** An application server undeploys an application: the transformer must not keep its loader. */
class LoaderLeakTest {
  @Test
  @Timeout(60)
  void aDroppedLoaderIsCollectedWhileTheTransformerLives() throws Exception {
    WeftTransformer transformer = new WeftTransformer(null, true, true);
    ReferenceQueue<ClassLoader> collected = new ReferenceQueue<>();
    WeakReference<ClassLoader> undeployed = deployAndUndeploy(transformer, collected);
    // Waits on the reference queue, which the collector fills once the loader is unreachable.
    for (int i = 0; i < 50; i++) {
      System.gc();
      if (collected.remove(100) != null) {
        break;
      }
    }
    assertNull(undeployed.get(), "the transformer keeps an undeployed loader reachable");
    Reference.reachabilityFence(transformer);
  }

  private static WeakReference<ClassLoader> deployAndUndeploy(
      WeftTransformer transformer, ReferenceQueue<ClassLoader> collected)
      throws Exception {
    GeneratedLoader loader =
        new GeneratedLoader(transformer, true)
            .add(anInterface("leak/Task").abstractMethod("run", "()V", true))
            .add(aClass("leak/Job", "java/lang/Object", "leak/Task").method("run", "()V", false));
    Class<?> job = loader.loadClass("leak.Job");
    assertTrue(ClassFiles.instrumented(loader.defined.get("leak/Job")).get("run()V"));
    assertTrue(job.getClassLoader() == loader);
    return new WeakReference<>(loader, collected);
  }
}
