package dev.weft.agent;

import static dev.weft.agent.GeneratedClass.aClass;
import static dev.weft.agent.GeneratedClass.anInterface;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Many threads define the classes of one generated hierarchy at once, through the transformer,
 * as an application's class-loading threads do: every override of a suspendable method must come
 * out rewritten (or, when the loader serves no resources, at least disarmed), in every round.
 */
class ConcurrentLoadingTest {
  private static final int LEVELS = 4;
  private static final int LEAVES_PER_LEVEL = 8;
  private static final int THREADS = 4;
  private static final int ROUNDS = 12;

  private static List<String> leaves() {
    List<String> out = new ArrayList<>();
    for (int k = 1; k <= LEVELS; k++) {
      for (int j = 0; j < LEAVES_PER_LEVEL; j++) {
        out.add("gen/Leaf" + k + "_" + j);
      }
    }
    return out;
  }

  private static GeneratedLoader hierarchy(WeftTransformer transformer, boolean servesResources) {
    GeneratedLoader loader =
        new GeneratedLoader(transformer, servesResources)
            .add(anInterface("gen/Step").abstractMethod("step", "()V", true))
            .add(anInterface("gen/Getter").abstractMethod("get", "()Ljava/lang/Object;", true));
    for (int k = 1; k <= LEVELS; k++) {
      String superName = k == 1 ? "java/lang/Object" : "gen/Level" + (k - 1);
      GeneratedClass level =
          k == 1 ? aClass("gen/Level1", superName, "gen/Step") : aClass("gen/Level" + k, superName);
      loader.add(level.method("step", "()V", false).method("plain" + k, "()V", false));
      for (int j = 0; j < LEAVES_PER_LEVEL; j++) {
        loader.add(
            aClass("gen/Leaf" + k + "_" + j, "gen/Level" + k, "gen/Getter")
                .method("step", "()V", false)
                .method("get", "()Ljava/lang/String;", false)
                .bridge("get", "()Ljava/lang/Object;", "()Ljava/lang/String;")
                .method("plain", "()V", false));
      }
    }
    return loader;
  }

  @ParameterizedTest(name = "serves resources: {0}")
  @ValueSource(booleans = {true, false})
  @Timeout(120)
  void everyOverrideIsRewrittenOrDisarmedWhateverTheOrder(boolean servesResources)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      for (int round = 0; round < ROUNDS; round++) {
        GeneratedLoader loader =
            hierarchy(new WeftTransformer(null, true, true), servesResources);
        CyclicBarrier start = new CyclicBarrier(THREADS);
        List<Future<?>> loading = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
          long seed = round * 31L + t;
          loading.add(
              pool.submit(
                  () -> {
                    List<String> order = leaves();
                    Collections.shuffle(order, new Random(seed));
                    start.await(30, SECONDS);
                    for (String name : order) {
                      Class.forName(name.replace('/', '.'), false, loader);
                    }
                    return null;
                  }));
        }
        for (Future<?> f : loading) {
          f.get(60, SECONDS);
        }
        check(loader.defined, servesResources, round);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static void check(Map<String, byte[]> defined, boolean servesResources, int round) {
    assertEquals(2 + LEVELS + LEVELS * LEAVES_PER_LEVEL, defined.size());
    for (Map.Entry<String, byte[]> e : defined.entrySet()) {
      String name = e.getKey();
      if (!name.startsWith("gen/Level") && !name.startsWith("gen/Leaf")) {
        continue;
      }
      List<String> overrides = new ArrayList<>(List.of("step()V"));
      if (name.startsWith("gen/Leaf")) {
        overrides.add("get()Ljava/lang/String;");
        overrides.add("get()Ljava/lang/Object;");
      }
      Map<String, Boolean> rewritten = ClassFiles.instrumented(e.getValue());
      for (String m : overrides) {
        String where = "round " + round + ": " + name + "." + m;
        if (servesResources) {
          assertTrue(rewritten.get(m), where + " is not rewritten");
        } else {
          assertTrue(
              rewritten.get(m) || UnreadableSupertypeTest.disarmed(e.getValue(), m),
              where + " is neither rewritten nor disarmed");
        }
      }
      for (String m : rewritten.keySet()) {
        if (m.startsWith("plain")) {
          assertFalse(rewritten.get(m), "round " + round + ": " + name + "." + m + " is rewritten");
        }
      }
    }
  }
}
